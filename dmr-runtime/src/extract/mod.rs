//! Extractors that hand the handler what the auth chain found.

use std::future::{Ready, ready};
use std::ops::Deref;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::auth::AuthInfo;
use crate::respond::NoIdentity;

pub(crate) mod lend;

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
/// The identity is moved into the argument, not copied: when the handler reads nothing else
/// of the request's record ([`AuthInfo`], `HttpRequest`, an extractor of your own, a throttle
/// keyed on the identity), the pipeline hands it over without storing it on the request;
/// otherwise it is shared with the record (one reference-count increment whatever its size).
#[derive(Debug)]
pub struct Authed<T>(Held<T>);

#[derive(Debug)]
enum Held<T> {
    /// Moved in by the pipeline, or made by [`Authed::new`].
    Owned(T),
    /// Shared with the request's record.
    Shared(Arc<T>),
}

impl<T> Authed<T> {
    /// Wraps an identity (for calling endpoint functions directly in unit tests).
    ///
    /// ```
    /// use dmr_runtime::Authed;
    ///
    /// let user = Authed::new("ada".to_owned());
    /// assert_eq!(user.as_str(), "ada");
    /// assert_eq!(user.into_inner(), "ada");
    /// ```
    pub fn new(identity: T) -> Self {
        Self(Held::Owned(identity))
    }

    /// The identity by value (cloned only if the request's record still holds it).
    pub fn into_inner(self) -> T
    where
        T: Clone,
    {
        match self.0 {
            Held::Owned(t) => t,
            Held::Shared(arc) => Arc::unwrap_or_clone(arc),
        }
    }
}

impl<T> Authed<T> {
    /// The identity, if this argument holds it alone.
    pub(crate) fn into_owned(self) -> Option<T> {
        match self.0 {
            Held::Owned(t) => Some(t),
            Held::Shared(arc) => Arc::into_inner(arc),
        }
    }
}

impl<T: Clone> Clone for Authed<T> {
    fn clone(&self) -> Self {
        Self(match &self.0 {
            Held::Owned(t) => Held::Owned(t.clone()),
            Held::Shared(arc) => Held::Shared(Arc::clone(arc)),
        })
    }
}

impl<T> Deref for Authed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.0 {
            Held::Owned(t) => t,
            Held::Shared(arc) => arc,
        }
    }
}

impl<T: Send + Sync + 'static> FromRequest for Authed<T> {
    type Error = NoIdentity;
    type Future = Ready<Result<Self, NoIdentity>>;

    #[inline]
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if let Some(identity) = lend::take::<T>() {
            return ready(Ok(Self(Held::Owned(identity))));
        }
        let ext = req.extensions();
        let found = ext
            .get::<AuthInfo>()
            .and_then(AuthInfo::identity_shared::<T>);
        ready(found.map(|arc| Self(Held::Shared(arc))).ok_or(NoIdentity))
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
