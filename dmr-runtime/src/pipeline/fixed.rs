//! A test override's replacement for an endpoint's chain: no auth runs, and either no
//! identity or a fixed one is recorded. The `testing` feature's builder methods make them.

use std::sync::Arc;

use actix_web::HttpRequest;

use crate::auth::{AuthInfo, IdentityType, ThrottleKeyFn};
use crate::description::IdentityNeed;

/// What replaces the chain of an overridden endpoint.
// Only the `testing` feature's builder methods construct it.
#[cfg_attr(not(feature = "testing"), allow(dead_code))]
#[derive(Clone)]
pub(crate) enum Fixed {
    /// No auth runs and no identity is recorded (`request_auth` is `None`).
    Off,
    /// No auth runs; every request carries this identity.
    Identity {
        info: AuthInfo,
        identity: IdentityType,
    },
}

impl Fixed {
    /// Records the fixed identity, if any, on the request.
    #[inline]
    pub(crate) fn apply(&self, req: &HttpRequest) {
        if let Self::Identity { info, .. } = self {
            info.clone().attach(req);
        }
    }

    /// Whether a handler argument that reads `need` finds something under this override.
    pub(crate) fn meets(&self, need: &IdentityNeed) -> bool {
        match (self, need) {
            (_, IdentityNeed::Optional | IdentityNeed::Record) => true,
            (Self::Off, _) => false,
            (Self::Identity { .. }, IdentityNeed::AnyAuth) => true,
            (Self::Identity { identity, .. }, IdentityNeed::Typed { identity: want, .. }) => {
                identity == want
            }
        }
    }

    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    pub(crate) fn new_identity<T: Clone + Send + Sync + 'static>(
        scheme: &str,
        value: T,
        throttle_key: ThrottleKeyFn,
    ) -> Self {
        Self::Identity {
            info: AuthInfo::new(Arc::from(scheme), 0, Arc::new(value), throttle_key),
            identity: IdentityType::of::<T>(),
        }
    }
}
