//! What an auth says about itself, read once when the API is built: by the chain (scheme
//! names, challenges), by the identity checks and by the OpenAPI document.

use std::any::Any;
use std::sync::Arc;

use super::{Auth, AuthResponses, IdentityType, SchemeDoc};

/// The self-description of one auth in an endpoint's chain.
#[derive(Debug, Clone)]
pub struct AuthDoc {
    /// The scheme name reported by [`request_auth`](crate::request_auth).
    pub scheme_name: Arc<str>,
    /// The OpenAPI security schemes it uses.
    pub schemes: Vec<SchemeDoc>,
    /// The scheme names of its security requirement object.
    pub requirement: Vec<String>,
    /// The error responses it can cause.
    pub responses: AuthResponses,
    /// Its `WWW-Authenticate` challenge, if header-based.
    pub challenge: Option<String>,
    /// The type of the identity it yields (what an `Authed<T>` argument can read).
    pub identity: IdentityType,
    /// Reads [`Auth::throttle_key`] off an identity it yielded.
    pub(crate) throttle_key: ThrottleKeyFn,
}

/// [`Auth::throttle_key`] of one auth, for its type-erased identity.
pub(crate) type ThrottleKeyFn = fn(&(dyn Any + Send + Sync)) -> Option<String>;

impl AuthDoc {
    /// Reads the description of `auth`.
    pub fn of<A: Auth>(auth: &A) -> Self {
        Self {
            scheme_name: Arc::from(auth.scheme_name()),
            schemes: auth.schemes(),
            requirement: auth.requirement(),
            responses: auth.responses(),
            challenge: auth.challenge(),
            identity: IdentityType::of::<A::Identity>(),
            throttle_key: |identity| identity.downcast_ref().and_then(A::throttle_key),
        }
    }
}
