//! The two runtime layers: [`Settings`] (the whole API) and [`Scope`] (a group of controllers
//! mounted together under a path prefix).

use std::any::TypeId;
use std::sync::Arc;

use super::controller::{Controller, ControllerFn};
use super::state::{AppState, FromState};
use crate::auth::LayerAuth;
use crate::build_error::ApiError;
use crate::throttle::LayerThrottle;

/// Builds one entry of a runtime layer from application state, once, in `ApiBuilder::build`.
type FromStateFn<T> = Arc<dyn Fn(&AppState, &str) -> Result<Arc<T>, ApiError> + Send + Sync>;

/// One entry of a runtime layer, an auth (`T` = `dyn LayerAuth`) or a throttle (`dyn
/// LayerThrottle`): a value, or a function of application state.
pub(crate) enum Entry<T: ?Sized> {
    Ready(Arc<T>),
    FromState(FromStateFn<T>),
}

impl<T: ?Sized> Clone for Entry<T> {
    fn clone(&self) -> Self {
        match self {
            Self::Ready(value) => Self::Ready(Arc::clone(value)),
            Self::FromState(build) => Self::FromState(Arc::clone(build)),
        }
    }
}

impl<T: ?Sized + 'static> Entry<T> {
    /// The entry `f` builds from application state; `erase` turns what it returns into `T`.
    fn from_state<F, Args>(f: F, erase: fn(F::Output) -> Arc<T>) -> Self
    where
        F: FromState<Args> + Clone + Send + Sync + 'static,
        F::Output: 'static,
    {
        Self::FromState(Arc::new(move |state: &AppState, site: &str| {
            Ok(erase(f.clone().call(state, site)?))
        }))
    }

    fn build(&self, state: &AppState, site: &str) -> Result<Arc<T>, ApiError> {
        match self {
            Self::Ready(value) => Ok(Arc::clone(value)),
            Self::FromState(build) => build(state, site),
        }
    }
}

fn erase_auth<A: LayerAuth>(auth: A) -> Arc<dyn LayerAuth> {
    Arc::new(auth)
}

fn erase_throttle<T: LayerThrottle>(throttle: T) -> Arc<dyn LayerThrottle> {
    Arc::new(throttle)
}

/// One list of a runtime layer (its auths, or its throttles), and whether the layer said
/// `none` (only a scope can).
pub(crate) struct Layer<T: ?Sized> {
    entries: Vec<Entry<T>>,
    off: bool,
}

impl<T: ?Sized> Default for Layer<T> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            off: false,
        }
    }
}

impl<T: ?Sized> Clone for Layer<T> {
    fn clone(&self) -> Self {
        Self {
            entries: self.entries.clone(),
            off: self.off,
        }
    }
}

impl<T: ?Sized + 'static> Layer<T> {
    fn push(&mut self, entry: Entry<T>) {
        self.entries.push(entry);
    }

    /// Evaluates the entries, once, in `ApiBuilder::build`.
    pub(crate) fn build(&self, state: &AppState, site: &str) -> Result<Vec<Arc<T>>, ApiError> {
        self.entries.iter().map(|e| e.build(state, site)).collect()
    }

    /// What this layer of the scope at `prefix` runs: its own entries then the settings', or
    /// nothing when the scope said `none`; listing entries and saying `none` is the `conflict`
    /// error.
    pub(crate) fn within(
        &self,
        prefix: &str,
        settings: &[Arc<T>],
        state: &AppState,
        conflict: fn(String) -> ApiError,
    ) -> Result<Vec<Arc<T>>, ApiError> {
        match (self.off, self.entries.is_empty()) {
            (true, false) => Err(conflict(prefix.to_owned())),
            (true, true) => Ok(Vec::new()),
            (false, _) => {
                let mut list = self.build(state, &format!("scope \"{prefix}\""))?;
                list.extend(settings.iter().cloned());
                Ok(list)
            }
        }
    }
}

/// A mounted controller: its type (for test overrides and messages) and its build function.
#[derive(Clone, Copy)]
pub(crate) struct Mounted {
    pub(crate) type_id: TypeId,
    pub(crate) build: ControllerFn,
}

/// API-wide configuration; its auth is the last layer of every chain.
///
/// Settings auth cannot be turned off (there is no `none` here): an endpoint, controller or
/// scope that says `auth = none` opts out of it.
///
/// ```
/// use dmr_runtime::Settings;
/// use dmr_runtime::backends::basic::HttpBasic;
///
/// let settings = Settings::new().auth(HttpBasic::new(|user, pass| user == "ops" && pass == "s3cret"));
/// # let _ = settings;
/// ```
#[derive(Clone, Default)]
pub struct Settings {
    pub(crate) auth: Layer<dyn LayerAuth>,
    pub(crate) throttle: Layer<dyn LayerThrottle>,
}

impl Settings {
    /// Settings with no auth.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an auth to the settings chain (declaration order is chain order).
    pub fn auth(mut self, auth: impl LayerAuth) -> Self {
        self.auth.push(Entry::Ready(Arc::new(auth)));
        self
    }

    /// Appends an auth built from application state when the API is built: a closure whose
    /// arguments are references to values registered with
    /// [`ApiBuilder::state`](crate::ApiBuilder::state).
    ///
    /// ```
    /// use dmr_runtime::{Api, Settings};
    /// use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError};
    ///
    /// struct Keys { jwt_secret: String }
    ///
    /// impl Keys {
    ///     fn jwt(&self) -> Result<JwtAuth, JwtConfigError> {
    ///         JwtAuth::hs256(self.jwt_secret.as_bytes())
    ///     }
    /// }
    ///
    /// let keys = Keys { jwt_secret: "a secret of at least thirty-two bytes".into() };
    /// let api = Api::new()
    ///     .state(keys)
    ///     .settings(Settings::new().auth_from(|keys: &Keys| keys.jwt().expect("a valid key")))
    ///     .build()
    ///     .unwrap();
    /// # let _ = api;
    /// ```
    pub fn auth_from<F, Args>(mut self, build: F) -> Self
    where
        F: FromState<Args> + Clone + Send + Sync + 'static,
        F::Output: LayerAuth,
    {
        self.auth.push(Entry::from_state(build, erase_auth));
        self
    }

    /// Appends a throttle to every endpoint (after the endpoint's, controller's and scope's;
    /// every throttle must pass). An endpoint or controller with `throttle = none`, or a scope
    /// with [`Scope::no_throttle`], opts out.
    ///
    /// ```
    /// use dmr_runtime::Settings;
    /// use dmr_runtime::throttle::{Key, Throttle};
    ///
    /// let settings = Settings::new()
    ///     .throttle(Throttle::per_second(50))                          // per client address
    ///     .throttle(Throttle::per_minute(600).key(Key::identity()));    // per user, after auth
    /// # let _ = settings;
    /// ```
    pub fn throttle(mut self, throttle: impl LayerThrottle) -> Self {
        self.throttle.push(Entry::Ready(Arc::new(throttle)));
        self
    }

    /// Appends a throttle built from application state when the API is built (for example a
    /// [`RedisStore`](crate::throttle::RedisStore) from the configuration); see
    /// [`Settings::auth_from`].
    ///
    /// ```
    /// use dmr_runtime::{Api, Settings};
    /// use dmr_runtime::throttle::{Rate, Throttle};
    ///
    /// struct Limits { per_address: Rate }
    ///
    /// let api = Api::new()
    ///     .state(Limits { per_address: "100/minute".parse().unwrap() })
    ///     .settings(Settings::new().throttle_from(|l: &Limits| Throttle::new(l.per_address)))
    ///     .build()
    ///     .unwrap();
    /// # let _ = api;
    /// ```
    pub fn throttle_from<F, Args>(mut self, build: F) -> Self
    where
        F: FromState<Args> + Clone + Send + Sync + 'static,
        F::Output: LayerThrottle,
    {
        self.throttle.push(Entry::from_state(build, erase_throttle));
        self
    }
}

/// Controllers mounted together under a path prefix, with an auth layer of their own that
/// runs after the controllers' chains and before the settings chain.
///
/// ```
/// use dmr_runtime::{Api, Scope};
/// use dmr_runtime::backends::basic::HttpBasic;
///
/// let api = Api::new().scope("/admin", |s: Scope| {
///     s.auth(HttpBasic::new(|user, pass| user == "root" && pass == "toor"))
/// });
/// # let _ = api;
/// ```
#[derive(Clone)]
pub struct Scope {
    pub(crate) prefix: String,
    pub(crate) auth: Layer<dyn LayerAuth>,
    pub(crate) throttle: Layer<dyn LayerThrottle>,
    pub(crate) controllers: Vec<Mounted>,
}

impl Scope {
    pub(crate) fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_owned(),
            auth: Layer::default(),
            throttle: Layer::default(),
            controllers: Vec::new(),
        }
    }

    /// Appends an auth to the scope chain. A scope cannot both list auth and say
    /// [`Scope::no_auth`]: [`ApiBuilder::build`](crate::ApiBuilder::build) refuses it.
    pub fn auth(mut self, auth: impl LayerAuth) -> Self {
        self.auth.push(Entry::Ready(Arc::new(auth)));
        self
    }

    /// Appends an auth built from application state when the API is built; see
    /// [`Settings::auth_from`].
    ///
    /// ```
    /// use dmr_runtime::Api;
    /// use dmr_runtime::backends::basic::{HttpBasic, constant_time_eq};
    ///
    /// struct Admin { password: String }
    ///
    /// let api = Api::new()
    ///     .state(Admin { password: "from the config".into() })
    ///     .scope("/admin", |s| {
    ///         s.auth_from(|admin: &Admin| {
    ///             let password = admin.password.clone();
    ///             HttpBasic::new(move |user, pass| user == "admin" && constant_time_eq(pass, &password))
    ///         })
    ///     })
    ///     .build()
    ///     .unwrap();
    /// # let _ = api;
    /// ```
    pub fn auth_from<F, Args>(mut self, build: F) -> Self
    where
        F: FromState<Args> + Clone + Send + Sync + 'static,
        F::Output: LayerAuth,
    {
        self.auth.push(Entry::from_state(build, erase_auth));
        self
    }

    /// `auth = none` for the scope: its endpoints run no scope or settings auth (controller
    /// and endpoint auth still apply).
    pub fn no_auth(mut self) -> Self {
        self.auth.off = true;
        self
    }

    /// Appends a throttle to the scope's endpoints (after their own and their controllers',
    /// before the settings'). A scope cannot both list throttles and say
    /// [`Scope::no_throttle`].
    ///
    /// ```
    /// use dmr_runtime::{Api, Scope};
    /// use dmr_runtime::throttle::Throttle;
    ///
    /// let api = Api::new().scope("/auth", |s: Scope| s.throttle(Throttle::per_minute(20).smooth()));
    /// # let _ = api;
    /// ```
    pub fn throttle(mut self, throttle: impl LayerThrottle) -> Self {
        self.throttle.push(Entry::Ready(Arc::new(throttle)));
        self
    }

    /// Appends a throttle built from application state; see [`Settings::throttle_from`].
    pub fn throttle_from<F, Args>(mut self, build: F) -> Self
    where
        F: FromState<Args> + Clone + Send + Sync + 'static,
        F::Output: LayerThrottle,
    {
        self.throttle.push(Entry::from_state(build, erase_throttle));
        self
    }

    /// `throttle = none` for the scope: its endpoints run no scope or settings throttle
    /// (controller and endpoint throttles still apply).
    pub fn no_throttle(mut self) -> Self {
        self.throttle.off = true;
        self
    }

    /// Mounts a controller in this scope.
    pub fn controller<C: Controller>(mut self) -> Self {
        self.controllers.push(Mounted {
            type_id: TypeId::of::<C>(),
            build: C::__dmr_build,
        });
        self
    }
}
