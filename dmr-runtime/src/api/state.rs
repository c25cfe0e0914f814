//! Application state: values registered on the builder at startup (a config struct, a key set,
//! a connection pool) that auth declarations read by type while the API is built, and that
//! handlers read as `web::Data<T>`.

use std::any::{Any, TypeId, type_name};
use std::collections::HashMap;
use std::sync::Arc;

use actix_web::web::{Data, ServiceConfig};

use crate::build_error::ApiError;

type Shared = Arc<dyn Any + Send + Sync>;

/// One registered value, with the way to hand it to actix as `Data<T>`.
#[derive(Clone)]
struct Entry {
    type_name: &'static str,
    value: Shared,
    serve: fn(&Shared, &mut ServiceConfig),
}

/// The values registered with [`ApiBuilder::state`](crate::ApiBuilder::state), one per type.
///
/// Auth declarations read them while the API is built: `auth = [|keys: &Keys| keys.jwt()]` on
/// a controller or an endpoint, [`Settings::auth_from`](crate::Settings::auth_from) and
/// [`Scope::auth_from`](crate::Scope::auth_from) at run time. Nothing is looked up per
/// request: each declaration is evaluated once, in
/// [`ApiBuilder::build`](crate::ApiBuilder::build).
#[derive(Clone, Default)]
pub struct AppState {
    values: HashMap<TypeId, Entry>,
    /// Types registered more than once: reported by `ApiBuilder::build`.
    duplicates: Vec<&'static str>,
}

impl AppState {
    /// Registers `value`; a second value of the same type is kept out and reported by
    /// [`AppState::check`].
    pub(crate) fn insert<T: StateValue>(&mut self, value: T) {
        if self.values.contains_key(&TypeId::of::<T>()) {
            self.duplicates.push(type_name::<T>());
            return;
        }
        let entry = Entry {
            type_name: type_name::<T>(),
            value: Arc::new(value),
            serve: serve::<T>,
        };
        self.values.insert(TypeId::of::<T>(), entry);
    }

    /// Refuses a type registered twice: which of the two values would an auth get?
    pub(crate) fn check(&self) -> Result<(), ApiError> {
        match self.duplicates.first() {
            Some(type_name) => Err(ApiError::DuplicateState { type_name }),
            None => Ok(()),
        }
    }

    /// The registered `T`, or a build error naming the type and `site`, the declaration
    /// that reads it (`Articles`, `Articles::list`, `settings`, `scope "/admin"`).
    pub fn get<T: 'static>(&self, site: &str) -> Result<&T, ApiError> {
        self.values
            .get(&TypeId::of::<T>())
            .and_then(|e| e.value.downcast_ref())
            .ok_or_else(|| ApiError::MissingState {
                site: site.to_owned(),
                type_name: type_name::<T>(),
                registered: self.type_names(),
            })
    }

    /// Serves every value to handlers as `web::Data<T>`.
    pub(crate) fn serve(&self, cfg: &mut ServiceConfig) {
        for e in self.values.values() {
            (e.serve)(&e.value, cfg);
        }
    }

    /// The registered type names, for messages.
    fn type_names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.values.values().map(|e| e.type_name).collect();
        names.sort_unstable();
        names
    }
}

fn serve<T: StateValue>(value: &Shared, cfg: &mut ServiceConfig) {
    if let Ok(v) = Arc::clone(value).downcast::<T>() {
        cfg.app_data(Data::from(v));
    }
}

/// A type that can be application state: shared by every worker thread, so `Send + Sync`,
/// and owned, so `'static`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be application state: it is not `Send + Sync + 'static`",
    label = "not shareable across the server's threads",
    note = "state is registered once with `Api::new().state(value)` and shared by every worker thread",
    note = "wrap what is not `Sync` in a `Mutex`, and take owned types (a `String`, not a `&str`)"
)]
pub trait StateValue: Send + Sync + 'static {}
#[diagnostic::do_not_recommend]
impl<T: Send + Sync + 'static> StateValue for T {}

/// A function that builds a value from application state: a closure whose arguments are
/// references to registered types, like `|keys: &Keys| keys.jwt()` or
/// `|keys: &Keys, pool: &Pool| ..` (up to four).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot build an auth from application state",
    label = "expected a closure like `|keys: &Keys| keys.jwt()`",
    note = "each argument is a reference to a value registered with `Api::new().state(..)`, with its type written out: the value is found by its type"
)]
pub trait FromState<Args> {
    /// What the function returns.
    type Output;
    /// Looks each argument up in `state` (a missing one is an error naming `site`) and calls.
    fn call(self, state: &AppState, site: &str) -> Result<Self::Output, ApiError>;
}

macro_rules! from_state {
    ($($t:ident),+) => {
        impl<F, R, $($t: 'static),+> FromState<($($t,)+)> for F
        where
            F: FnOnce($(&$t),+) -> R,
        {
            type Output = R;
            #[allow(non_snake_case)]
            fn call(self, state: &AppState, site: &str) -> Result<R, ApiError> {
                $(let $t = state.get::<$t>(site)?;)+
                Ok(self($($t),+))
            }
        }
    };
}

from_state!(A);
from_state!(A, B);
from_state!(A, B, C);
from_state!(A, B, C, D);

#[cfg(test)]
mod tests {
    use super::*;

    struct Keys(&'static str);

    #[test]
    fn a_registered_value_is_found_by_type() {
        let mut state = AppState::default();
        state.insert(Keys("k1"));
        state.insert(7_u32);
        let f = |k: &Keys, n: &u32| format!("{}:{n}", k.0);
        assert_eq!(f.call(&state, "Articles").unwrap(), "k1:7");
    }

    #[test]
    fn a_missing_value_names_the_type_and_the_site() {
        let state = AppState::default();
        let err = (|k: &Keys| k.0).call(&state, "Articles::list").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("`Articles::list`"), "{msg}");
        assert!(msg.contains("Keys"), "{msg}");
        assert!(msg.contains(".state("), "{msg}");
    }

    #[test]
    fn a_second_value_of_one_type_is_refused() {
        let mut state = AppState::default();
        state.insert(1_u8);
        state.insert(2_u8);
        let err = state.check().unwrap_err();
        assert!(err.to_string().contains("`u8`"), "{err}");
    }
}
