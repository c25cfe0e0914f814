//! What a throttle store does: count one request for a key and say whether it passes.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::Rate;

/// How requests are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// `max` requests per window, the window starting at fixed times (the reference's
    /// default). A client can send `max` at the end of one window and `max` at the start of
    /// the next: a burst of twice the rate around a boundary.
    #[default]
    FixedWindow,
    /// GCRA (a leaky bucket without a background drain): up to `max` at once, then one more
    /// every `period / max`. No boundary burst; the right one for login, OTP and password
    /// reset endpoints.
    Smooth,
}

impl Algorithm {
    /// `fixed_window` or `smooth`: part of the stored key.
    pub fn name(&self) -> &'static str {
        match self {
            Self::FixedWindow => "fixed_window",
            Self::Smooth => "smooth",
        }
    }
}

/// What one check decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request passes.
    pub allowed: bool,
    /// The limit (`max` of the rate).
    pub limit: u32,
    /// Requests left after this one.
    pub remaining: u32,
    /// Time until the limit is fully available again (the window's end for a fixed window).
    pub reset: Duration,
    /// For a refused request, time until one would pass.
    pub retry_after: Duration,
}

/// A store that could not answer (down, timed out). The throttle's
/// [`Outage`](super::Outage) decides what the request gets.
#[derive(Debug)]
pub struct StoreError(pub(crate) String);

impl StoreError {
    /// An error with this description (logged, never sent to the client).
    pub fn new(msg: impl fmt::Display) -> Self {
        Self(msg.to_string())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// What a store needs to know about one throttle of one endpoint to build its limiter.
#[derive(Debug, Clone)]
pub struct LimiterSpec {
    /// The rate.
    pub rate: Rate,
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Unique per endpoint and configuration: operation, method, store, algorithm, key kind,
    /// limit and period joined with `|`. The key value is appended per request.
    pub namespace: String,
}

/// A place to keep counters. Implement [`SyncStore`] (a check that may block or is
/// immediate) and/or [`AsyncStore`] (a check that awaits) as well.
pub trait ThrottleStore: Clone + Send + Sync + 'static {
    /// Per-throttle, per-endpoint state, built once when the API is built.
    type Limiter: Send + Sync + 'static;
    /// `memory`, `redis`, ..: part of the stored key.
    fn name(&self) -> &'static str;
    /// Builds the limiter of one throttle on one endpoint.
    fn limiter(&self, spec: &LimiterSpec) -> Self::Limiter;
}

/// A store whose check runs without awaiting. A throttle on such a store can guard plain `fn`
/// endpoints; if [`SyncStore::blocks`], its check runs on actix's blocking pool.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot throttle a sync endpoint: it does not implement `SyncStore`",
    label = "this store is async-only",
    note = "a plain `fn` endpoint takes throttles whose store implements `SyncStore` (the in-memory `MemoryStore` does)"
)]
pub trait SyncStore: ThrottleStore {
    /// Counts one request for `key`.
    fn hit(&self, limiter: &Self::Limiter, key: &str) -> Result<Decision, StoreError>;
    /// Whether [`SyncStore::hit`] may block (a database call): it then runs on the blocking
    /// pool, and the throttle cannot guard an `async fn` endpoint.
    fn blocks(&self) -> bool {
        true
    }
}

/// The future of an [`AsyncStore`] check.
pub type HitFuture<'a> = Pin<Box<dyn Future<Output = Result<Decision, StoreError>> + 'a>>;

/// A store whose check awaits (a network round trip). A throttle on such a store can guard
/// `async fn` endpoints.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot throttle an async endpoint: it does not implement `AsyncStore`",
    label = "this store blocks",
    note = "an `async fn` endpoint runs its throttles on the async workers, where a blocking store would stall other requests"
)]
pub trait AsyncStore: ThrottleStore {
    /// Counts one request for `key`.
    fn hit<'a>(&'a self, limiter: &'a Self::Limiter, key: &'a str) -> HitFuture<'a>;
    /// An answer without awaiting, when the store has one (the in-memory store): saves the
    /// boxed future.
    fn hit_now(&self, limiter: &Self::Limiter, key: &str) -> Option<Result<Decision, StoreError>> {
        let _ = (limiter, key);
        None
    }
}
