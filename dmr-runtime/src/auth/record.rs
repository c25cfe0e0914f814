//! What a successful chain leaves on the request, and how to read it back.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use actix_web::{HttpMessage, HttpRequest};

use super::ThrottleKeyFn;

/// Which auth let the request in, and what it yielded.
///
/// Stored on the request when the chain succeeds; read it with [`request_auth`],
/// [`request_auth_strict`], or as a handler argument (`AuthInfo` is an extractor).
#[derive(Clone)]
pub struct AuthInfo {
    scheme: Arc<str>,
    position: usize,
    identity: Arc<dyn Any + Send + Sync>,
    throttle_key: ThrottleKeyFn,
}

impl AuthInfo {
    pub(crate) fn new(
        scheme: Arc<str>,
        position: usize,
        identity: Arc<dyn Any + Send + Sync>,
        throttle_key: ThrottleKeyFn,
    ) -> Self {
        Self {
            scheme,
            position,
            identity,
            throttle_key,
        }
    }

    /// What throttles keyed on the identity count it by: [`Auth::throttle_key`] of the auth
    /// that yielded it.
    ///
    /// [`Auth::throttle_key`]: super::Auth::throttle_key
    pub(crate) fn throttle_key(&self) -> Option<String> {
        (self.throttle_key)(&*self.identity)
    }

    /// The scheme name of the auth that succeeded (`"jwt"`, `"http_basic"`, ..).
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Its position in the endpoint's chain (0 = first).
    pub fn position(&self) -> usize {
        self.position
    }

    /// The identity, if it is a `T`.
    pub fn identity<T: 'static>(&self) -> Option<&T> {
        self.identity.downcast_ref()
    }

    /// The identity as a shared `Arc<T>`, if it is a `T` (no copy of the identity is made).
    pub fn identity_shared<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        Arc::clone(&self.identity).downcast().ok()
    }

    pub(crate) fn attach(self, req: &HttpRequest) {
        req.extensions_mut().insert(self);
    }
}

impl fmt::Debug for AuthInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthInfo")
            .field("scheme", &self.scheme)
            .field("position", &self.position)
            .finish_non_exhaustive()
    }
}

/// The auth that let `req` in, or `None` when the endpoint has no auth (or it did not run).
///
/// ```
/// use actix_web::test::TestRequest;
/// use dmr_runtime::request_auth;
///
/// let req = TestRequest::get().to_http_request();
/// assert!(request_auth(&req).is_none());
/// ```
pub fn request_auth(req: &HttpRequest) -> Option<AuthInfo> {
    req.extensions().get::<AuthInfo>().cloned()
}

/// Like [`request_auth`], but a missing record is an error (the reference's `strict=True`).
///
/// ```
/// use actix_web::test::TestRequest;
/// use dmr_runtime::request_auth_strict;
///
/// let req = TestRequest::get().to_http_request();
/// assert_eq!(request_auth_strict(&req).unwrap_err().to_string(), "no auth record on this request");
/// ```
pub fn request_auth_strict(req: &HttpRequest) -> Result<AuthInfo, MissingAuth> {
    request_auth(req).ok_or(MissingAuth)
}

/// The error of [`request_auth_strict`]: nothing authenticated this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingAuth;

impl fmt::Display for MissingAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no auth record on this request")
    }
}

impl std::error::Error for MissingAuth {}
