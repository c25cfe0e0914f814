//! The default throttles of the credential operations other than logins: the JWT token
//! controllers (`JwtRefresh`, `JwtVerify`, `JwtLogout` and their sync variants), the session
//! logout and the opaque-token revocations. Per client address before any credential is read,
//! then per subject (the verified `sub` or the user id, hashed) and, for JWTs, per refresh
//! family (`extras.fam`) once it is verified. Each operation counts apart (a flood of
//! refreshes does not spend the logout budget), sync and async variants together.

use std::sync::{Arc, OnceLock};

use actix_web::HttpRequest;

use crate::throttle::counters::Counters;
use crate::throttle::stage::{Refusal, StageThrottle, check_value, check_value_blocking};
use crate::throttle::{AsyncStore, Key, Throttle};

/// One credential operation, counted apart from the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenOp {
    /// The JWT `POST refresh/`.
    Refresh,
    /// The JWT `POST verify/`.
    Verify,
    /// The JWT `POST logout/`.
    Logout,
    /// The session `POST logout/`.
    SessionLogout,
    /// The opaque tokens' `DELETE current/` and `DELETE` (all mine).
    #[cfg_attr(not(feature = "tokens"), allow(dead_code))]
    TokenRevoke,
}

impl TokenOp {
    const COUNT: usize = 5;

    /// The operation's part of its counters' stored keys, and its HTTP method.
    fn site(self) -> (&'static str, &'static str) {
        match self {
            Self::Refresh => ("jwt_refresh", "POST"),
            Self::Verify => ("jwt_verify", "POST"),
            Self::Logout => ("jwt_logout", "POST"),
            Self::SessionLogout => ("session_logout", "POST"),
            Self::TokenRevoke => ("token_revoke", "DELETE"),
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
    /// Bound on first use, one entry per [`TokenOp`] (a holder uses some of them only).
    bound: Arc<[OnceLock<Bound>; TokenOp::COUNT]>,
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
        self.bound[op as usize].get_or_init(|| {
            let (operation, method) = op.site();
            let bind = |t: &Throttle, what: &str| self.store.bind(t, operation, method, what);
            Bound {
                per_address: self.per_address.as_ref().map(|t| bind(t, "address")),
                per_subject: self.per_subject.as_ref().map(|t| bind(t, "subject")),
                per_family: self.per_family.as_ref().map(|t| bind(t, "family")),
            }
        })
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

    /// Counts one `op` request of an async controller: by its client address, then, when
    /// the request's user is known, by `subject`; `Err` with the 429.
    #[cfg_attr(not(feature = "tokens"), allow(dead_code))]
    pub(crate) async fn admit(
        &self,
        op: TokenOp,
        req: &HttpRequest,
        trust_forwarded: bool,
        subject: Option<&str>,
    ) -> Result<(), Refusal> {
        let client = self.client(req, trust_forwarded);
        let attempt = self.attempt(op, client.as_deref());
        attempt.address(false).await?;
        match subject {
            Some(subject) => attempt.token(false, subject, None).await,
            None => Ok(()),
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

/// The per-address and per-subject throttle setters and getters of one credential operation
/// held in a configuration's `ops` field ([`TokenThrottles`]): `$what` names the operation in
/// the docs; the setters are `$address` and `$subject`, the getters `$get_address` and
/// `$get_subject`.
macro_rules! op_throttle_accessors {
    ($what:literal, $address:ident, $get_address:ident, $subject:ident, $get_subject:ident) => {
        #[doc = concat!("The per-client-address throttle of ", $what, ", counted before any ")]
        /// credential is read; `None` to turn it off. Default: 60 at once, then one a second
        /// (GCRA, 60 per minute); over it, 429 `Too many requests` with `Retry-After` and
        /// `X-RateLimit-*`. [`throttle_store`](Self::throttle_store) moves its counters to a
        /// store shared by every server.
        pub fn $address(mut self, throttle: Option<crate::throttle::Throttle>) -> Self {
            self.ops.set_per_address(throttle);
            self
        }

        #[doc = concat!("The per-user throttle of ", $what, ", counted by the user's id ")]
        /// (hashed) once the request's credential is known, so that one account cannot spend
        /// what the server has for everyone; `None` to turn it off. Default: 30 at once, then
        /// one every 2 seconds (GCRA, 30 per minute).
        pub fn $subject(mut self, throttle: Option<crate::throttle::Throttle>) -> Self {
            self.ops.set_per_subject(throttle);
            self
        }

        #[doc = concat!("The per-client-address throttle of ", $what, ", if any.")]
        pub fn $get_address(&self) -> Option<&crate::throttle::Throttle> {
            self.ops.per_address()
        }

        #[doc = concat!("The per-user throttle of ", $what, ", if any.")]
        pub fn $get_subject(&self) -> Option<&crate::throttle::Throttle> {
            self.ops.per_subject()
        }
    };
}
pub(crate) use op_throttle_accessors;
