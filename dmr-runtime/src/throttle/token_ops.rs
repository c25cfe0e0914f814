//! The default throttles of the JWT token controllers (`JwtRefresh`, `JwtVerify`, `JwtLogout`
//! and their sync variants): per client address before the token is read, then per subject
//! (the verified `sub`, hashed) and per refresh family (`extras.fam`) once it is verified.
//! Each operation counts apart (a flood of refreshes does not spend the logout budget), sync
//! and async variants together.

use std::sync::{Arc, OnceLock};

use actix_web::HttpRequest;

use crate::throttle::counters::Counters;
use crate::throttle::stage::{Refusal, StageThrottle, check_value, check_value_blocking};
use crate::throttle::{AsyncStore, Key, Throttle};

/// One token operation, counted apart from the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenOp {
    /// `POST refresh/`.
    Refresh,
    /// `POST verify/`.
    Verify,
    /// `POST logout/`.
    Logout,
}

impl TokenOp {
    const ALL: [Self; 3] = [Self::Refresh, Self::Verify, Self::Logout];

    fn name(self) -> &'static str {
        match self {
            Self::Refresh => "refresh",
            Self::Verify => "verify",
            Self::Logout => "logout",
        }
    }
}

/// The default per-client-address throttle: 60 requests, then one a second (GCRA).
pub(crate) fn default_address_throttle() -> Throttle {
    Throttle::per_minute(60).smooth().name("token_address")
}

/// The default per-subject throttle: 30 requests, then one every 2 seconds (GCRA).
pub(crate) fn default_subject_throttle() -> Throttle {
    Throttle::per_minute(30).smooth().name("token_subject")
}

/// The default per-family throttle: 10 requests, then one every 6 seconds (GCRA).
pub(crate) fn default_family_throttle() -> Throttle {
    Throttle::per_minute(10).smooth().name("token_family")
}

/// The throttles of a JWT issuer's token controllers, shared by its clones.
#[derive(Clone)]
pub(crate) struct TokenThrottles {
    per_address: Option<Throttle>,
    /// The per-address throttle is the default one: its key follows the issuer's
    /// trusted-proxy setting.
    default_address_key: bool,
    per_subject: Option<Throttle>,
    per_family: Option<Throttle>,
    store: Counters,
    bound: Arc<OnceLock<[Bound; 3]>>,
}

struct Bound {
    per_address: Option<Arc<dyn StageThrottle>>,
    per_subject: Option<Arc<dyn StageThrottle>>,
    per_family: Option<Arc<dyn StageThrottle>>,
}

impl Default for TokenThrottles {
    fn default() -> Self {
        Self {
            per_address: Some(default_address_throttle()),
            default_address_key: true,
            per_subject: Some(default_subject_throttle()),
            per_family: Some(default_family_throttle()),
            store: Counters::default(),
            bound: Arc::default(),
        }
    }
}

impl TokenThrottles {
    pub(crate) fn set_per_address(&mut self, throttle: Option<Throttle>) {
        self.per_address = throttle;
        self.default_address_key = false;
        self.bound = Arc::default();
    }

    pub(crate) fn set_per_subject(&mut self, throttle: Option<Throttle>) {
        self.per_subject = throttle;
        self.bound = Arc::default();
    }

    pub(crate) fn set_per_family(&mut self, throttle: Option<Throttle>) {
        self.per_family = throttle;
        self.bound = Arc::default();
    }

    /// Keeps the counters of the three throttles in `store` (awaited; a sync controller
    /// waits for it on the blocking pool).
    pub(crate) fn set_store<S: AsyncStore>(&mut self, store: S) {
        self.store.set(store);
        self.bound = Arc::default();
    }

    pub(crate) fn per_address(&self) -> Option<&Throttle> {
        self.per_address.as_ref()
    }

    pub(crate) fn per_subject(&self) -> Option<&Throttle> {
        self.per_subject.as_ref()
    }

    pub(crate) fn per_family(&self) -> Option<&Throttle> {
        self.per_family.as_ref()
    }

    fn bound(&self, op: TokenOp) -> &Bound {
        let all = self.bound.get_or_init(|| {
            TokenOp::ALL.map(|op| {
                let operation = format!("jwt_{}", op.name());
                let bind = |t: &Throttle, what: &str| self.store.bind(t, &operation, what);
                Bound {
                    per_address: self.per_address.as_ref().map(|t| bind(t, "address")),
                    per_subject: self.per_subject.as_ref().map(|t| bind(t, "subject")),
                    per_family: self.per_family.as_ref().map(|t| bind(t, "family")),
                }
            })
        });
        match op {
            TokenOp::Refresh => &all[0],
            TokenOp::Verify => &all[1],
            TokenOp::Logout => &all[2],
        }
    }

    /// The client's address key for this request, read now (sync controllers count on the
    /// blocking pool, where the request is not available): forwarding headers are read when
    /// `trust_forwarded` for the default throttle; one given by the user keeps its own key.
    pub(crate) fn client(&self, req: &HttpRequest, trust_forwarded: bool) -> Option<String> {
        let t = self.per_address.as_ref()?;
        if self.default_address_key {
            Key::client_addr()
                .trust_forwarded_headers(trust_forwarded)
                .value(req)
        } else {
            t.key_ref().value(req)
        }
    }

    /// What to count for one `op` request from the client whose address key is `client`.
    pub(crate) fn attempt<'a>(&'a self, op: TokenOp, client: Option<&'a str>) -> TokenAttempt<'a> {
        let bound = self.bound(op);
        TokenAttempt {
            bound,
            client: client.filter(|_| bound.per_address.is_some()),
        }
    }
}

/// One token-controller request to count.
pub(crate) struct TokenAttempt<'a> {
    bound: &'a Bound,
    client: Option<&'a str>,
}

async fn hit(t: &Arc<dyn StageThrottle>, value: &str, blocking: bool) -> Result<(), Refusal> {
    if blocking {
        check_value_blocking(t, value)
    } else {
        check_value(t, value).await
    }
}

impl TokenAttempt<'_> {
    /// Counts the request from its client address (before any token is decoded); `Err`
    /// with the 429. `blocking` on a sync controller's thread.
    pub(crate) async fn address(&self, blocking: bool) -> Result<(), Refusal> {
        match (&self.bound.per_address, self.client) {
            (Some(t), Some(client)) => hit(t, client, blocking).await,
            _ => Ok(()),
        }
    }

    /// Counts the request for a verified token's subject (hashed) and family; `Err` with
    /// the 429 when either refuses.
    pub(crate) async fn token(
        &self,
        blocking: bool,
        subject: &str,
        family: Option<&str>,
    ) -> Result<(), Refusal> {
        if let Some(t) = &self.bound.per_subject {
            hit(t, &crate::throttle::hex_sha256(subject), blocking).await?;
        }
        if let (Some(t), Some(family)) = (&self.bound.per_family, family) {
            hit(t, family, blocking).await?;
        }
        Ok(())
    }
}
