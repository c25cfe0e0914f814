//! Throttling (rate limiting), declared like auth: `throttle = [..]` on endpoints and
//! controllers, [`Scope::throttle`](crate::Scope::throttle) and
//! [`Settings::throttle`](crate::Settings::throttle).
//!
//! Levels are joined (endpoint, controller, scope, settings) and every throttle must pass;
//! `throttle = none` on an endpoint or a controller, or [`Scope::no_throttle`](crate::Scope::no_throttle),
//! turns off every layer below it. A throttle is a [`Rate`], a [`Key`] (what is counted: the
//! client address by default), an [`Algorithm`], a store ([`MemoryStore`] by default,
//! [`RedisStore`] to share the counts between servers) and the headers it sends.
//!
//! **Two stages.** Throttles whose key runs before auth (the client address) are checked right
//! after routing, before `Accept` negotiation and the auth chain: they protect auth itself.
//! Identity keys are checked after the chain succeeded. A key that finds nothing (no identity)
//! skips its throttle.
//!
//! **Refusal.** 429 with `{"detail":[{"msg":"Too many requests","type":"ratelimit"}]}` in the
//! controller's error model, `Retry-After`, and `X-RateLimit-Limit`, `X-RateLimit-Remaining`,
//! `X-RateLimit-Reset` (or the IETF draft `RateLimit` / `RateLimit-Policy`, see
//! [`RateLimitHeaders`]). A store that cannot answer gives the throttle's [`Outage`]
//! behaviour: 503 by default, or the request passes.
//!
//! ```
//! use dmr_runtime::prelude::*;
//! use dmr_runtime::throttle::{Key, Throttle};
//!
//! struct Search;
//!
//! #[controller(path = "/search", auth = none, throttle = [Throttle::per_minute(60)])]
//! impl Search {
//!     /// Also at most 2 per second per address (every throttle must pass).
//!     #[endpoint(get, path = "/", throttle = [Throttle::per_second(2).smooth()])]
//!     async fn search() -> &'static str {
//!         "results"
//!     }
//! }
//!
//! let api = Api::new()
//!     .settings(Settings::new().throttle(Throttle::per_hour(10_000).key(Key::identity())))
//!     .controller::<Search>()
//!     .build()
//!     .unwrap();
//! # let _ = api;
//! ```

#[cfg(feature = "session")]
mod counters;
pub(crate) mod doc;
pub(crate) mod entry;
mod headers;
mod key;
pub(crate) mod list;
#[cfg(feature = "session")]
pub(crate) mod login;
mod memory;
mod rate;
#[cfg(feature = "redis-throttle")]
mod redis;
// (read by the login throttles, in the `session` feature)
#[cfg_attr(not(feature = "session"), allow(dead_code))]
pub(crate) mod source;
pub(crate) use list::Now;
pub(crate) mod stage;
#[cfg(feature = "session")]
pub(crate) mod token_ops;

#[cfg(feature = "session")]
pub(crate) use key::hex_sha256;
mod store;

use std::borrow::Cow;

pub use entry::IntoThrottle;
pub use headers::RateLimitHeaders;
#[doc(hidden)]
pub use key::KeyValue;
pub use key::{Key, Stage, ThrottleIdentity};
pub use memory::{DEFAULT_CAPACITY, MemoryStore};
pub use rate::{Rate, RateError};
#[cfg(feature = "redis-throttle")]
pub use redis::RedisStore;
pub use stage::{LayerThrottle, ThrottleDoc};
pub use store::{
    Algorithm, AsyncStore, Decision, HitFuture, LimiterSpec, StoreError, SyncStore, ThrottleStore,
};

#[doc(hidden)]
pub use memory::{GcraState, MemoryLimiter};

/// What a request gets when the store cannot answer (down, timed out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outage {
    /// 503 `{"detail":[{"msg":"Rate limit unavailable","type":"ratelimit"}]}` with
    /// `Retry-After: 1` (the default: a throttle protecting a login must not vanish when its
    /// store does).
    #[default]
    FailClosed,
    /// The request passes as if the throttle allowed it (a warning is logged).
    FailOpen,
}

/// One throttle: a rate, a key, an algorithm, a store, the headers it sends.
///
/// ```
/// use dmr_runtime::throttle::{Algorithm, Key, RateLimitHeaders, Throttle};
///
/// let per_address = Throttle::per_minute(10);                  // fixed window, memory, by address
/// let login = Throttle::parse("5/minute").unwrap().smooth();   // GCRA: no boundary burst
/// let per_user = Throttle::per_hour(1000).key(Key::identity()) // after auth, by identity
///     .headers(RateLimitHeaders::IETF);
/// assert_eq!(login.algorithm_kind(), Algorithm::Smooth);
/// # let _ = (per_address, per_user);
/// ```
#[derive(Debug, Clone)]
pub struct Throttle<S = MemoryStore> {
    rate: Rate,
    algorithm: Algorithm,
    key: Key,
    headers: RateLimitHeaders,
    name: Option<Cow<'static, str>>,
    outage: Outage,
    store: S,
}

impl Throttle<MemoryStore> {
    /// A throttle of `rate`, in the process-wide [`MemoryStore`], by client address, fixed
    /// window.
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            algorithm: Algorithm::default(),
            key: Key::default(),
            headers: RateLimitHeaders::default(),
            name: None,
            outage: Outage::default(),
            store: MemoryStore::default(),
        }
    }

    /// A throttle of a rate written `"10/minute"` (see [`Rate`]).
    pub fn parse(rate: &str) -> Result<Self, RateError> {
        rate.parse().map(Self::new)
    }

    /// `max` requests per second.
    pub fn per_second(max: u32) -> Self {
        Self::new(Rate::per_second(max))
    }

    /// `max` requests per minute.
    pub fn per_minute(max: u32) -> Self {
        Self::new(Rate::per_minute(max))
    }

    /// `max` requests per hour.
    pub fn per_hour(max: u32) -> Self {
        Self::new(Rate::per_hour(max))
    }

    /// `max` requests per day.
    pub fn per_day(max: u32) -> Self {
        Self::new(Rate::per_day(max))
    }
}

impl<S: ThrottleStore> Throttle<S> {
    /// Counts by `key` (default [`Key::client_addr`]).
    pub fn key(mut self, key: Key) -> Self {
        self.key = key;
        self
    }

    /// Uses `algorithm` (default [`Algorithm::FixedWindow`]).
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// [`Algorithm::Smooth`] (GCRA).
    pub fn smooth(self) -> Self {
        self.algorithm(Algorithm::Smooth)
    }

    /// The headers of a 429 (default: `X-RateLimit-*` and `Retry-After`).
    pub fn headers(mut self, headers: RateLimitHeaders) -> Self {
        self.headers = headers;
        self
    }

    /// The policy name in `RateLimit` / `RateLimit-Policy` (default: the key's kind, `ip`).
    pub fn name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// What happens when the store cannot answer (default [`Outage::FailClosed`]).
    pub fn on_outage(mut self, outage: Outage) -> Self {
        self.outage = outage;
        self
    }

    /// Keeps the counters in `store`.
    pub fn store<T: ThrottleStore>(self, store: T) -> Throttle<T> {
        Throttle {
            rate: self.rate,
            algorithm: self.algorithm,
            key: self.key,
            headers: self.headers,
            name: self.name,
            outage: self.outage,
            store,
        }
    }

    /// The rate.
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// The algorithm.
    pub fn algorithm_kind(&self) -> Algorithm {
        self.algorithm
    }

    /// The key.
    pub fn key_ref(&self) -> &Key {
        &self.key
    }
}
