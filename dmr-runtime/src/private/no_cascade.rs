//! One error per mistake. The expansion uses each auth, argument and return type in several
//! places (the spanned assertion, the chain, the OpenAPI description, the extraction, the
//! response). Each use outside the assertion goes through a probe: an autoref-specialized
//! method whose `Specific` impl (the real behaviour) applies when the type has the trait, and
//! whose `Fallback` impl applies otherwise. The fallback compiles without the trait, so a
//! wrong type produces only the assertion's error, at the user's token, instead of a second
//! one at the attribute. A fallback never runs: a program in which one is selected has
//! failed that assertion and does not build.

use std::cell::Cell;
use std::marker::PhantomData;
use std::sync::Arc;

use actix_web::{FromRequest, Responder};

use crate::auth::{AsyncAuth, Auth, AuthRequest, AuthResult, SyncAuth};
use crate::pipeline::{AsyncFn, AsyncLink, CallSync, SyncFn, SyncLink, Unfit};

/// A static auth of the chain, as the expansion sees it (`&__dmr_auth.0`): built once, in an
/// `Arc` that the controller's endpoints share.
pub struct AuthProbe<'a, A>(pub &'a Arc<A>);

/// The endpoint's function, with the argument types `Args` (a tuple) written in its signature.
pub struct FnProbe<Args, F>(F, PhantomData<fn(Args)>);

impl<Args, F> FnProbe<Args, F> {
    /// A probe holding the function.
    pub const fn new(f: F) -> Self {
        Self(f, PhantomData)
    }
}

/// A static auth on an `async fn` endpoint.
pub trait AsyncLinkSpecific {
    /// The link.
    type Link;
    /// The link the chain runs.
    fn async_link(&self) -> Self::Link;
}
impl<A: AsyncAuth> AsyncLinkSpecific for &AuthProbe<'_, A> {
    type Link = AsyncLink<A>;
    fn async_link(&self) -> AsyncLink<A> {
        AsyncLink(Arc::clone(self.0))
    }
}
/// See [`AsyncLinkSpecific`].
pub trait AsyncLinkFallback {
    /// The stand-in.
    fn async_link(&self) -> Unfit {
        Unfit
    }
}
impl<A> AsyncLinkFallback for AuthProbe<'_, A> {}

/// A static auth on a plain `fn` endpoint.
pub trait SyncLinkSpecific {
    /// The link.
    type Link;
    /// The link the chain runs.
    fn sync_link(&self) -> Self::Link;
}
impl<A: SyncAuth> SyncLinkSpecific for &AuthProbe<'_, A> {
    type Link = SyncLink<A>;
    fn sync_link(&self) -> SyncLink<A> {
        SyncLink(Arc::clone(self.0))
    }
}
/// See [`SyncLinkSpecific`].
pub trait SyncLinkFallback {
    /// The stand-in.
    fn sync_link(&self) -> Unfit {
        Unfit
    }
}
impl<A> SyncLinkFallback for AuthProbe<'_, A> {}

/// An `async fn` endpoint whose arguments are extractors and whose result is a response.
pub trait AsyncFnSpecific {
    /// The function the pipeline calls.
    type Fn;
    /// The function the pipeline calls.
    fn async_fn(&self) -> Self::Fn;
}
impl<Args, F> AsyncFnSpecific for &FnProbe<Args, F>
where
    Args: FromRequest + 'static,
    F: actix_web::Handler<Args> + Send + Sync,
    F::Output: Responder,
{
    type Fn = AsyncFn<F, Args>;
    fn async_fn(&self) -> AsyncFn<F, Args> {
        AsyncFn(self.0.clone(), PhantomData)
    }
}
/// See [`AsyncFnSpecific`].
pub trait AsyncFnFallback {
    /// The stand-in.
    fn async_fn(&self) -> Unfit {
        Unfit
    }
}
impl<Args, F> AsyncFnFallback for FnProbe<Args, F> {}

/// A plain `fn` endpoint whose arguments are `Send` extractors and whose result is a `Send`
/// response.
pub trait SyncFnSpecific {
    /// The function the pipeline calls.
    type Fn;
    /// The function the pipeline calls.
    fn sync_fn(&self) -> Self::Fn;
}
impl<Args, F> SyncFnSpecific for &FnProbe<Args, F>
where
    Args: FromRequest + Send + 'static,
    F: CallSync<Args>,
    F::Output: Responder + Send + 'static,
{
    type Fn = SyncFn<F, Args>;
    fn sync_fn(&self) -> SyncFn<F, Args> {
        SyncFn(self.0.clone(), PhantomData)
    }
}
/// See [`SyncFnSpecific`].
pub trait SyncFnFallback {
    /// The stand-in.
    fn sync_fn(&self) -> Unfit {
        Unfit
    }
}
impl<Args, F> SyncFnFallback for FnProbe<Args, F> {}

/// Which auth the endpoint-kind assertion checks: the auth itself, or nothing for a value that
/// is not an auth (already reported by `build_auth` as "`X` is not an auth").
pub trait KindSpecific {
    /// The auth.
    type Auth;
    /// The auth's type.
    fn kind(&self) -> PhantomData<Self::Auth>;
}
impl<A: Auth> KindSpecific for &AuthProbe<'_, A> {
    type Auth = A;
    fn kind(&self) -> PhantomData<A> {
        PhantomData
    }
}
/// See [`KindSpecific`].
pub trait KindFallback {
    /// A stand-in that passes both assertions.
    fn kind(&self) -> PhantomData<NotAnAuth> {
        PhantomData
    }
}
impl<A> KindFallback for AuthProbe<'_, A> {}

/// The stand-in of [`KindFallback`]: fits both endpoint kinds.
#[doc(hidden)]
pub struct NotAnAuth;

impl Auth for NotAnAuth {
    type Identity = ();
    fn scheme_name(&self) -> &str {
        ""
    }
    fn schemes(&self) -> Vec<crate::auth::SchemeDoc> {
        Vec::new()
    }
}

impl crate::auth::InlineAuth for NotAnAuth {
    fn authenticate_inline(&self, _: &AuthRequest<'_>) -> AuthResult<()> {
        Ok(None)
    }
}

/// One `auth = [..]` entry being built. Its type was asserted to be an auth (or a `Result` of
/// one) by `auth_entry_must_be_an_auth`; a value that is not one builds the stand-in, so that
/// the chain's type stays known and nothing else reports the same mistake.
pub struct BuildProbe<T>(Cell<Option<T>>);

impl<T> BuildProbe<T> {
    /// A probe holding the entry's value.
    pub fn new(value: T) -> Self {
        Self(Cell::new(Some(value)))
    }
}

/// Building an entry that is an auth.
pub trait BuildSpecific {
    /// The auth.
    type Auth;
    /// Evaluates the entry once, naming `site` in its error.
    fn build(&self, site: &str) -> Result<Self::Auth, crate::build_error::ApiError>;
}
impl<T: super::IntoAuth> BuildSpecific for &BuildProbe<T> {
    type Auth = T::Auth;
    fn build(&self, site: &str) -> Result<T::Auth, crate::build_error::ApiError> {
        match self.0.take() {
            Some(value) => super::build_auth(value, site),
            None => Err(crate::ApiError::Auth {
                site: site.to_owned(),
                auth: std::any::type_name::<T::Auth>(),
                source: crate::build_error::AuthConfigError::new("auth entry built twice"),
            }),
        }
    }
}
/// See [`BuildSpecific`].
pub trait BuildFallback {
    /// The stand-in.
    fn build(&self, _: &str) -> Result<NotAnAuth, crate::build_error::ApiError> {
        Ok(NotAnAuth)
    }
}
impl<T> BuildFallback for BuildProbe<T> {}
