//! The default throttles of the credential controllers (`SessionLogin`, `JwtObtain`): per
//! client address and per user name, checked before any password is hashed.

use std::sync::{Arc, OnceLock};

use actix_web::HttpRequest;

use crate::throttle::stage::{Refusal, StageThrottle, ThrottleSite, check_value, key_value};
use crate::throttle::{Key, LayerThrottle, Throttle};

/// The login throttles of a session config or a JWT issuer, shared by its clones.
#[derive(Clone)]
pub(crate) struct LoginThrottles {
    per_address: Option<Throttle>,
    /// The per-address throttle is the default one: its key follows the CSRF config's
    /// `trust_forwarded_headers`.
    default_address_key: bool,
    per_username: Option<Throttle>,
    bound: Arc<OnceLock<Bound>>,
}

struct Bound {
    per_address: Option<Arc<dyn StageThrottle>>,
    per_username: Option<Arc<dyn StageThrottle>>,
}

/// The default of both: 10 attempts, then one more every 6 seconds (GCRA, 10 per minute).
pub(crate) fn default_login_throttle() -> Throttle {
    Throttle::per_minute(10).smooth().name("login")
}

impl Default for LoginThrottles {
    fn default() -> Self {
        Self {
            per_address: Some(default_login_throttle()),
            default_address_key: true,
            per_username: Some(default_login_throttle().name("username")),
            bound: Arc::default(),
        }
    }
}

impl LoginThrottles {
    pub(crate) fn set_per_address(&mut self, throttle: Option<Throttle>) {
        self.per_address = throttle;
        self.default_address_key = false;
        self.bound = Arc::default();
    }

    pub(crate) fn set_per_username(&mut self, throttle: Option<Throttle>) {
        self.per_username = throttle;
        self.bound = Arc::default();
    }

    pub(crate) fn per_address(&self) -> Option<&Throttle> {
        self.per_address.as_ref()
    }

    pub(crate) fn per_username(&self) -> Option<&Throttle> {
        self.per_username.as_ref()
    }

    fn bound(&self, trust_forwarded: bool, operation: &str) -> &Bound {
        self.bound.get_or_init(|| {
            let site = |what: &str| format!("{operation}|{what}");
            let bind = |t: &Throttle, what: &str| {
                let operation = site(what);
                let site = ThrottleSite {
                    operation: &operation,
                    method: "POST",
                };
                LayerThrottle::bind(t, &site, false)
            };
            let per_address = self.per_address.as_ref().map(|t| {
                let t = if self.default_address_key {
                    t.clone()
                        .key(Key::client_addr().trust_forwarded_headers(trust_forwarded))
                } else {
                    t.clone()
                };
                bind(&t, "address")
            });
            Bound {
                per_address,
                per_username: self.per_username.as_ref().map(|t| bind(t, "username")),
            }
        })
    }

    /// Counts one attempt from this request's address, then (once the body is read) for
    /// this user name (hashed): `Err` with the 429 when either refuses.
    pub(crate) async fn check(
        &self,
        req: &HttpRequest,
        username: &str,
        trust_forwarded: bool,
        operation: &str,
    ) -> Result<(), Refusal> {
        let bound = self.bound(trust_forwarded, operation);
        if let Some(t) = &bound.per_address
            && let Some(addr) = key_value(t, req)
        {
            check_value(t, &addr).await?;
        }
        if let Some(t) = &bound.per_username {
            check_value(t, &crate::throttle::hex_sha256(username)).await?;
        }
        Ok(())
    }
}
