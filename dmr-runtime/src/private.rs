//! Everything the `#[controller]` expansion touches. Not a public API: it changes together
//! with `dmr-macros`, which is pinned to this crate's exact version.

pub use ::actix_web;
pub use ::std::boxed::Box;
pub use ::std::ops::ControlFlow;
pub use ::std::option::Option::{self, None, Some};
pub use ::std::result::Result::{self, Err, Ok};
pub use ::std::sync::Arc;
pub use ::std::vec::Vec;

pub use crate::api::controller::{ControllerBuild, EndpointSpec, RawRequest};
pub use crate::api::{ApiError, AuthConfigError, Controller};
pub use crate::auth::{AsyncAuth, AuthRequest, RequestSnapshot, SyncAuth};
pub use crate::chain::EndpointCtx;
pub use crate::error::{DefaultErrorModel, render_fn};
pub use crate::negotiate::accepts_json;
pub use crate::openapi::probe as openapi_probe;
pub use crate::openapi::{AuthDoc, OperationDoc};

use crate::auth::Auth;

/// A value that can stand in `auth = [..]`: an auth, or a `Result` of one whose error is
/// reported when the API is built.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an auth",
    label = "expected an auth value here",
    note = "every entry of `auth = [..]` must implement `dmr_runtime::auth::Auth` (for example `HttpBasic::new(check)` or `JwtAuth::hs256(secret)`), or be a `Result` of one",
    note = "write `auth = none` to turn auth off"
)]
pub trait IntoAuth {
    /// The auth type.
    type Auth: Auth;
    /// The auth, or why it cannot be built.
    fn into_auth(self) -> Result<Self::Auth, AuthConfigError>;
}

impl<A: Auth> IntoAuth for A {
    type Auth = A;
    #[inline]
    fn into_auth(self) -> Result<A, AuthConfigError> {
        Ok(self)
    }
}

impl<A: Auth, E: Into<Box<dyn std::error::Error + Send + Sync>>> IntoAuth for Result<A, E> {
    type Auth = A;
    fn into_auth(self) -> Result<A, AuthConfigError> {
        self.map_err(AuthConfigError::new)
    }
}

/// Evaluates one `auth = [..]` entry, naming the site in the error.
pub fn build_auth<T: IntoAuth>(value: T, site: &str) -> Result<T::Auth, ApiError> {
    value.into_auth().map_err(|source| ApiError::Auth { site: site.to_owned(), source })
}

/// Asserts, at the user's token, that an auth can run on a plain `fn` endpoint.
#[inline(always)]
pub fn auth_must_be_sync_for_a_sync_endpoint<A: SyncAuth>(_: &A) {}

/// Asserts, at the user's token, that an auth can run on an `async fn` endpoint.
#[inline(always)]
pub fn auth_must_be_async_for_an_async_endpoint<A: AsyncAuth>(_: &A) {}

/// Describes one static auth.
pub fn doc<A: Auth>(auth: &A) -> AuthDoc {
    AuthDoc::of(auth)
}

/// Runs a closure on actix's blocking pool.
pub async fn blocking<F, R>(f: F) -> Result<R, actix_web::error::BlockingError>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    actix_web::web::block(f).await
}

/// Turns a handler's output into the response.
#[inline]
pub fn respond<R: actix_web::Responder>(
    out: R,
    req: &actix_web::HttpRequest,
) -> actix_web::HttpResponse {
    actix_web::Responder::respond_to(out, req).map_into_boxed_body()
}

/// A handler argument: any actix extractor.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a handler argument: it is not an extractor",
    label = "not an extractor",
    note = "every argument of an endpoint must implement `actix_web::FromRequest` (`Json<T>`, `Path<T>`, `Query<T>`, `Authed<T>`, `HttpRequest`, ..)"
)]
pub trait Extractor {}
impl<T: actix_web::FromRequest> Extractor for T {}

/// Asserts, at the user's type, that an argument is an extractor.
#[inline(always)]
pub fn handler_argument_must_be_an_extractor<T: Extractor>() {}

/// An argument or output that can cross to the blocking pool.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used by a sync endpoint: it is not `Send`",
    label = "not `Send`",
    note = "a plain `fn` endpoint runs on actix's blocking pool, so its arguments and its result must be `Send` (`HttpRequest` is not: take the extractors you need, or make the endpoint an `async fn`)"
)]
pub trait SendToBlockingPool {}
impl<T: Send> SendToBlockingPool for T {}

/// Asserts, at the user's type, that a sync endpoint's argument is `Send`.
#[inline(always)]
pub fn sync_endpoint_argument_must_be_send<T: SendToBlockingPool>() {}

/// Asserts, at the user's type, that a sync endpoint's result is `Send`.
#[inline(always)]
pub fn sync_endpoint_output_must_be_send<T: SendToBlockingPool>() {}

/// A handler result: any actix responder.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by an endpoint: it is not a response",
    label = "not a response",
    note = "an endpoint must return a type that implements `actix_web::Responder` (`String`, `&'static str`, `Json<T>`, `HttpResponse`, `(T, StatusCode)`, ..)"
)]
pub trait Response {}
impl<T: actix_web::Responder> Response for T {}

/// Asserts, at the user's type, that the return type is a response.
#[inline(always)]
pub fn handler_must_return_a_response<T: Response>() {}
