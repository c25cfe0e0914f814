//! One error per mistake. The expansion uses each auth, argument and return type in several
//! places (the spanned assertion, the chain, the OpenAPI description, the extraction, the
//! response). Each use outside the assertion goes through a probe: an autoref-specialized
//! method whose `Specific` impl (the real behaviour) applies when the type has the trait, and
//! whose `Fallback` impl applies otherwise. The fallback compiles without the trait, so a
//! wrong type produces only the assertion's error, at the user's token, instead of a second
//! one at the attribute. A fallback never runs: a program in which one is selected has
//! failed that assertion and does not build.

use std::cell::Cell;
use std::future::{Future, Ready, ready};
use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, Responder};

use crate::auth::{AsyncAuth, Auth, AuthRequest, AuthResult, SyncAuth};
use crate::openapi::AuthDoc;

/// A static auth of the chain, as the expansion sees it (`&__dmr_state.1.0`).
pub struct AuthProbe<'a, A>(pub &'a A);

/// Extraction of the handler arguments `T` (a tuple).
pub struct ArgsProbe<T>(PhantomData<T>);

impl<T> ArgsProbe<T> {
    /// A probe for the argument tuple `T`.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

/// The handler's result `R`, taken out once by `respond`.
pub struct ResponseProbe<R>(Cell<Option<R>>);

impl<R> ResponseProbe<R> {
    /// A probe holding the handler's result.
    pub fn new(out: R) -> Self {
        Self(Cell::new(Some(out)))
    }
}

/// Describing a static auth.
pub trait DocSpecific {
    /// Its description.
    fn doc(&self) -> Option<AuthDoc>;
}
impl<A: Auth> DocSpecific for &AuthProbe<'_, A> {
    fn doc(&self) -> Option<AuthDoc> {
        Some(AuthDoc::of(self.0))
    }
}
/// See [`DocSpecific`].
pub trait DocFallback {
    /// Nothing.
    fn doc(&self) -> Option<AuthDoc> {
        None
    }
}
impl<A> DocFallback for AuthProbe<'_, A> {}

/// Running a static auth on a sync endpoint.
pub trait SyncSpecific {
    /// What the check yields.
    type Identity: Send + Sync + 'static;
    /// Runs the check.
    fn run_sync(&self, req: &AuthRequest<'_>) -> AuthResult<Self::Identity>;
}
impl<A: SyncAuth> SyncSpecific for &AuthProbe<'_, A> {
    type Identity = A::Identity;
    #[inline]
    fn run_sync(&self, req: &AuthRequest<'_>) -> AuthResult<A::Identity> {
        self.0.authenticate_sync(req)
    }
}
/// See [`SyncSpecific`].
pub trait SyncFallback {
    /// Skips.
    fn run_sync(&self, _: &AuthRequest<'_>) -> AuthResult<()> {
        Ok(None)
    }
}
impl<A> SyncFallback for AuthProbe<'_, A> {}

/// Running a static auth on an async endpoint.
pub trait AsyncSpecific {
    /// What the check yields.
    type Identity: Send + Sync + 'static;
    /// Runs the check.
    fn run_async(&self, req: &AuthRequest<'_>) -> impl Future<Output = AuthResult<Self::Identity>>;
}
impl<A: AsyncAuth> AsyncSpecific for &AuthProbe<'_, A> {
    type Identity = A::Identity;
    #[inline]
    fn run_async(&self, req: &AuthRequest<'_>) -> impl Future<Output = AuthResult<A::Identity>> {
        self.0.authenticate(req)
    }
}
/// See [`AsyncSpecific`].
pub trait AsyncFallback {
    /// Skips.
    fn run_async(&self, _: &AuthRequest<'_>) -> Ready<AuthResult<()>> {
        ready(Ok(None))
    }
}
impl<A> AsyncFallback for AuthProbe<'_, A> {}

/// Extracting the handler's arguments.
pub trait ArgsSpecific {
    /// The argument tuple.
    type Args;
    /// Extracts them.
    fn extract(
        &self,
        req: &HttpRequest,
        payload: &mut Payload,
    ) -> impl Future<Output = Result<Self::Args, actix_web::Error>>;
}
impl<T: FromRequest> ArgsSpecific for &ArgsProbe<T> {
    type Args = T;
    #[inline]
    fn extract(
        &self,
        req: &HttpRequest,
        payload: &mut Payload,
    ) -> impl Future<Output = Result<T, actix_web::Error>> {
        let fut = T::from_request(req, payload);
        async move { fut.await.map_err(Into::into) }
    }
}
/// See [`ArgsSpecific`].
pub trait ArgsFallback<T> {
    /// Fails.
    fn extract(&self, _: &HttpRequest, _: &mut Payload) -> Ready<Result<T, actix_web::Error>> {
        ready(Err(actix_web::error::ErrorInternalServerError(
            "handler arguments cannot be extracted",
        )))
    }
}
impl<T> ArgsFallback<T> for ArgsProbe<T> {}

/// Turning the handler's result into the response.
pub trait ResponseSpecific {
    /// The response.
    fn respond(&self, req: &HttpRequest) -> HttpResponse;
}
impl<R: Responder> ResponseSpecific for &ResponseProbe<R> {
    #[inline]
    fn respond(&self, req: &HttpRequest) -> HttpResponse {
        match self.0.take() {
            Some(out) => out.respond_to(req).map_into_boxed_body(),
            None => HttpResponse::InternalServerError().finish(),
        }
    }
}
/// See [`ResponseSpecific`].
pub trait ResponseFallback {
    /// A 500.
    fn respond(&self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::InternalServerError().finish()
    }
}
impl<R> ResponseFallback for ResponseProbe<R> {}

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

/// The descriptions of the static chain, in order.
pub fn docs<const N: usize>(docs: [Option<AuthDoc>; N]) -> Vec<AuthDoc> {
    docs.into_iter().flatten().collect()
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
    fn build(&self, site: &str) -> Result<Self::Auth, crate::ApiError>;
}
impl<T: super::IntoAuth> BuildSpecific for &BuildProbe<T> {
    type Auth = T::Auth;
    fn build(&self, site: &str) -> Result<T::Auth, crate::ApiError> {
        match self.0.take() {
            Some(value) => super::build_auth(value, site),
            None => Err(crate::ApiError::Auth {
                site: site.to_owned(),
                auth: std::any::type_name::<T::Auth>(),
                source: crate::AuthConfigError::new("auth entry built twice"),
            }),
        }
    }
}
/// See [`BuildSpecific`].
pub trait BuildFallback {
    /// The stand-in.
    fn build(&self, _: &str) -> Result<NotAnAuth, crate::ApiError> {
        Ok(NotAnAuth)
    }
}
impl<T> BuildFallback for BuildProbe<T> {}
