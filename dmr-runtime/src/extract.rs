//! Extractors that hand the handler what the auth chain found.

use std::future::{Ready, ready};
use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};

use crate::auth::{AuthError, AuthInfo};
use crate::error::{DefaultErrorModel, ErrorModel, ErrorResponder};

/// The identity of the auth that let the request in, typed: JWT claims
/// ([`JwtToken`](crate::backends::jwt::JwtToken)), a Basic user
/// ([`BasicUser`](crate::backends::basic::BasicUser)), or whatever your backend yields.
///
/// If the auth that succeeded yields another type (a chain of JWT and Basic, where Basic
/// succeeded), the request is answered 401; take `Option<Authed<T>>` to branch instead.
///
/// ```
/// use dmr_runtime::prelude::*;
/// use dmr_runtime::backends::basic::{BasicUser, HttpBasic};
///
/// fn check(user: &str, pass: &str) -> bool {
///     user == "admin" && pass == "pass"
/// }
///
/// struct Me;
///
/// #[controller(path = "/me", auth = [HttpBasic::new(check)])]
/// impl Me {
///     #[endpoint(get, path = "/")]
///     async fn me(user: Authed<BasicUser>) -> String {
///         user.username.clone()
///     }
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Authed<T>(pub T);

impl<T> Authed<T> {
    /// The identity.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Authed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The error of [`Authed`] when the request carries no identity of the requested type.
#[derive(Debug)]
pub struct NoIdentity;

impl std::fmt::Display for NoIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(AuthError::DEFAULT_MESSAGE)
    }
}

impl ResponseError for NoIdentity {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::UNAUTHORIZED
    }
    fn error_response(&self) -> HttpResponse {
        ErrorResponder::new(DefaultErrorModel::render_bytes, &[])
            .auth(&AuthError::not_authenticated())
    }
}

impl<T: Clone + 'static> FromRequest for Authed<T> {
    type Error = NoIdentity;
    type Future = Ready<Result<Self, NoIdentity>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ext = req.extensions();
        let found = ext
            .get::<AuthInfo>()
            .and_then(|i| i.identity::<T>())
            .cloned();
        ready(found.map(Authed).ok_or(NoIdentity))
    }
}

impl FromRequest for AuthInfo {
    type Error = NoIdentity;
    type Future = Ready<Result<Self, NoIdentity>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<AuthInfo>()
                .cloned()
                .ok_or(NoIdentity),
        )
    }
}
