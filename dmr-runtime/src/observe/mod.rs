//! What operators see: a `tracing` span per request, audit events of the credential
//! lifecycle, and metrics through the [`metrics`] facade. Nothing is written unless a
//! `tracing` subscriber (or a `log` logger) listens and nothing is counted unless a
//! `metrics` recorder is installed; no secret (password, token, cookie, `Authorization`
//! value, CSRF token, signing key) is ever a field, a message or a label.
//!
//! * **Span** `dmr.request` (target [`REQUEST_TARGET`], level INFO) around each request's
//!   auth stages, with the fields named in [`fields`].
//! * **Audit events** on the target [`AUDIT_TARGET`] (level INFO, WARN for reuse, lockout
//!   and store outages), one name each in the field `event` (see [`events`]); each carries
//!   `subject` when known, `client.address` (as the throttles see it) and `request_id`.
//!   Route them to a sink of your own with a `tracing` filter on the target, for example
//!   `RUST_LOG=dmr::audit=info` with `tracing-subscriber`'s `EnvFilter`.
//! * **Metrics**: the names in [`metrics`](self::names), registered the first time they are
//!   used (install your recorder before the server starts).
//! * **No floods**: a warning that an anonymous client can cause is written at most
//!   [`flood::PER_WINDOW`] times a minute per call site, then once with the number it held
//!   back ([`flood`]).
//!
//! ```
//! use dmr_runtime::observe::{AUDIT_TARGET, events, names};
//!
//! assert_eq!(AUDIT_TARGET, "dmr::audit");
//! assert_eq!(events::LOGIN_SUCCEEDED, "login.succeeded");
//! assert_eq!(names::AUTH_TOTAL, "dmr_auth_total");
//! ```

// (the credential flows that write them are in the `session` and `tokens` features)
#[cfg_attr(not(all(feature = "session", feature = "tokens")), allow(dead_code))]
pub(crate) mod audit;
pub mod events;
pub mod flood;
// (store health: the Redis stores)
#[cfg_attr(
    not(any(
        feature = "redis-session",
        feature = "redis-blocklist",
        feature = "redis-throttle"
    )),
    allow(dead_code, unused_imports)
)]
mod health;
pub mod names;
mod origin;

pub(crate) use audit::Source;
pub use flood::Aggregate;
#[cfg_attr(
    not(any(
        feature = "redis-session",
        feature = "redis-blocklist",
        feature = "redis-throttle"
    )),
    allow(unused_imports)
)]
pub(crate) use health::Health;
pub(crate) use origin::Origin;
pub use origin::RequestId;

/// The `tracing` target of the audit events.
pub const AUDIT_TARGET: &str = "dmr::audit";

/// The `tracing` target of the per-request span.
pub const REQUEST_TARGET: &str = "dmr::request";

/// The fields of the `dmr.request` span (OpenTelemetry names where one exists).
pub mod fields {
    /// The endpoint's route pattern (`/api/items/{id}`), OpenTelemetry `http.route`.
    pub const HTTP_ROUTE: &str = "http.route";
    /// `ok` or `refused` (absent for an endpoint without auth).
    pub const OUTCOME: &str = "dmr.auth.outcome";
    /// The scheme name of the auth that let the request in.
    pub const SCHEME: &str = "dmr.auth.scheme";
    /// Its position in the chain (0 first).
    pub const POSITION: &str = "dmr.auth.position";
    /// The refusal's reason code (`not_authenticated`, `forbidden`, `unavailable`, ..).
    pub const REASON: &str = "dmr.auth.reason";
    /// The throttles' decision: `allowed` or `refused`.
    pub const THROTTLE: &str = "dmr.throttle";
    /// The request id (see [`RequestId`](super::RequestId)).
    pub const REQUEST_ID: &str = "request_id";
}
