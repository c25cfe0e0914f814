//! The names of the audit events, the value of their `event` field (target
//! [`AUDIT_TARGET`](super::AUDIT_TARGET)).
//!
//! ```
//! use dmr_runtime::observe::events;
//!
//! assert!(events::ALL.contains(&events::REFRESH_REUSE));
//! assert_eq!(events::ALL.len(), 16);
//! ```

/// A password login passed (`scheme`: `session`, `jwt` or `token`; `subject`: the user id).
pub const LOGIN_SUCCEEDED: &str = "login.succeeded";
/// A password login was refused (`reason`: `invalid_credentials`, `busy` or `store_error`;
/// never the password or the user name).
pub const LOGIN_FAILED: &str = "login.failed";
/// A session login replaced the request's session (its id renewed).
pub const SESSION_RENEWED: &str = "session.renewed";
/// A session logout (`subject` when the session had a user).
pub const LOGOUT: &str = "logout";
/// A JWT pair was issued by the obtain view.
pub const JWT_ISSUED: &str = "jwt.issued";
/// A refresh token was exchanged for a new pair.
pub const JWT_REFRESHED: &str = "jwt.refreshed";
/// The verify view found a valid access token.
pub const JWT_VERIFIED: &str = "jwt.verified";
/// The JWT logout view revoked tokens.
pub const JWT_REVOKED: &str = "jwt.revoked";
/// A rotated refresh token came back: its whole family (field `family`) is revoked (WARN).
pub const REFRESH_REUSE: &str = "jwt.refresh_reuse";
/// An opaque API token was issued.
pub const TOKEN_ISSUED: &str = "token.issued";
/// An opaque API token was revoked.
pub const TOKEN_REVOKED: &str = "token.revoked";
/// An expired opaque API token was presented.
pub const TOKEN_EXPIRED: &str = "token.expired";
/// A throttle refused a request (`throttle`: its name).
pub const THROTTLED: &str = "throttled";
/// The per-user-name login throttle refused: the account is locked out for its window
/// (WARN; the user name is not written).
pub const LOCKOUT: &str = "lockout";
/// A store stopped answering (`store`: `redis.blocklist`, `redis.throttle`,
/// `redis.session`, ..; WARN, once per outage).
pub const STORE_UNAVAILABLE: &str = "store.unavailable";
/// A store answered again after [`STORE_UNAVAILABLE`].
pub const STORE_RECOVERED: &str = "store.recovered";

/// Every event name.
pub const ALL: [&str; 16] = [
    LOGIN_SUCCEEDED,
    LOGIN_FAILED,
    SESSION_RENEWED,
    LOGOUT,
    JWT_ISSUED,
    JWT_REFRESHED,
    JWT_VERIFIED,
    JWT_REVOKED,
    REFRESH_REUSE,
    TOKEN_ISSUED,
    TOKEN_REVOKED,
    TOKEN_EXPIRED,
    THROTTLED,
    LOCKOUT,
    STORE_UNAVAILABLE,
    STORE_RECOVERED,
];
