//! The names of the metrics (through the [`metrics`] facade: no exporter is chosen for you).
//!
//! ```
//! use dmr_runtime::observe::names;
//!
//! assert_eq!(names::CREDENTIAL_TOTAL, "dmr_credential_operations_total");
//! ```

/// Counter: requests through an endpoint with auth, by `result`: `ok` (with `scheme`, the
/// scheme name of the auth that let it in) or `refused` (any refusal of the chain: every auth
/// skipped, a bad credential, a CSRF failure, a store that cannot answer).
pub const AUTH_TOTAL: &str = "dmr_auth_total";
/// Histogram (seconds): the stages before the handler (throttles, the chain) of requests
/// that had to await there (a store, a throttle, runtime layers) or ran their chain on the
/// blocking pool, by `result` (`ok`, `refused`). Chains that answer at once are not timed
/// (their cost is counted by the benchmarks instead).
pub const AUTH_DURATION: &str = "dmr_auth_duration_seconds";
/// Counter: requests a throttle refused, by `throttle` (its name) and `status` (429, 503).
pub const THROTTLE_HITS: &str = "dmr_throttle_hits_total";
/// Counter: credential operations (the audit events), by `operation` (the event name) and
/// `result` (`ok`, `refused`, `error`).
pub const CREDENTIAL_TOTAL: &str = "dmr_credential_operations_total";
/// Counter: failed store calls, by `store` and `kind` (`timeout`, `error`, `waiting`).
pub const STORE_ERRORS: &str = "dmr_store_errors_total";
/// Histogram (seconds): store calls, by `store`.
pub const STORE_DURATION: &str = "dmr_store_duration_seconds";
/// Gauge: how many connections of a store are unavailable now (0 when all answer), by
/// `store`.
pub const STORE_DOWN: &str = "dmr_store_unavailable";
/// Counter: warnings held back by the flood guard, by `site`.
pub const LOGS_SUPPRESSED: &str = "dmr_log_suppressed_total";
