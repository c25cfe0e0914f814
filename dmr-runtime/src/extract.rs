//! Extractors that hand the handler what the auth chain found.

use std::future::{Ready, ready};
use std::ops::Deref;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::auth::AuthInfo;
use crate::respond::NoIdentity;

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
///
/// The identity is shared with the request record, not copied: taking `Authed<JwtToken>`
/// costs one reference-count increment whatever the size of the claims.
#[derive(Debug)]
pub struct Authed<T>(Arc<T>);

impl<T> Authed<T> {
    /// Wraps an identity (for calling endpoint functions directly in unit tests).
    pub fn new(identity: T) -> Self {
        Self(Arc::new(identity))
    }

    /// The identity, shared.
    pub fn shared(&self) -> &Arc<T> {
        &self.0
    }

    /// The identity by value (cloned only if the request still holds it).
    pub fn into_inner(self) -> T
    where
        T: Clone,
    {
        Arc::unwrap_or_clone(self.0)
    }
}

impl<T> Clone for Authed<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> Deref for Authed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Send + Sync + 'static> FromRequest for Authed<T> {
    type Error = NoIdentity;
    type Future = Ready<Result<Self, NoIdentity>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ext = req.extensions();
        let found = ext
            .get::<AuthInfo>()
            .and_then(AuthInfo::identity_shared::<T>);
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
