//! [`CredentialError`]: why a credential view (session login and logout, JWT obtain, refresh,
//! verify and logout, token obtain and management) refused a request, rendered in one place.
//! Its 401 and 403 are rendered again in the request's language by the endpoint.

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::{HttpResponse, ResponseError};

use super::{GateBusy, GateError};
use crate::backends::csrf::CsrfRejection;
use crate::error::SECURITY;
use crate::extract_failure::CredentialBodyError;
use crate::respond::view_refusal;
use crate::throttle::stage::{RATELIMIT, Refusal};

/// The message of the 503 a login answers when the user store failed or did not answer.
pub const USER_STORE_UNAVAILABLE: &str = "User store unavailable: retry later";

/// Why a credential view refused a request.
///
/// ```
/// use actix_web::ResponseError;
/// use dmr_runtime::backends::credentials::CredentialError;
///
/// let refused = CredentialError::Unavailable("Token store unavailable, try again later");
/// let resp = refused.error_response();
/// assert_eq!(resp.status(), 503);
/// assert_eq!(resp.headers().get("retry-after").unwrap(), "1");
/// assert_eq!(CredentialError::NotAuthenticated.to_string(), "Not authenticated");
/// ```
#[derive(Debug)]
pub enum CredentialError {
    /// 401 `Not authenticated` (type `security`): unknown user, wrong password, inactive or
    /// deleted user, a token that does not decode, has the wrong type, is revoked or was
    /// already rotated.
    NotAuthenticated,
    /// 400, 408, 413 or 415: the body is not JSON with the documented string fields, too slow
    /// or too large ([`CredentialBodyError`], with its `loc`).
    Body(CredentialBodyError),
    /// 403 `CSRF Failed: <reason>`: a cookie-borne credential without a valid CSRF token.
    Csrf(CsrfRejection),
    /// 503 `Too many logins at once: retry later` with `Retry-After: 1`: no password-check
    /// turn came in time ([`GateBusy`]).
    Busy(GateBusy),
    /// 429 `Too many requests` (type `ratelimit`) with `Retry-After` and the rate-limit
    /// headers: a login throttle refused the attempt before any password was checked.
    Throttled(Refusal),
    /// 503 with this message and `Retry-After: 1`: a store did not answer in time (nothing was
    /// issued or revoked).
    Unavailable(&'static str),
    /// 500 `Internal server error`: a store failed or nothing could be signed (logged with
    /// [`CredentialError::internal`], never shown).
    Internal,
}

impl CredentialError {
    /// The 500 for `error`, logged (at error level, with the view's `site`) and not shown.
    pub fn internal(site: &str, error: &dyn std::fmt::Display) -> Self {
        crate::observe::flood::gated!(error, "credentials", "{site}: {error}");
        Self::Internal
    }

    /// What a password gate's refusal answers: 503 when it is full, and 503
    /// [`USER_STORE_UNAVAILABLE`] (logged at error level with the view's `site`) when the
    /// user store behind it failed: a store that is down is a reason to retry, not a bug.
    pub(crate) fn gate(site: &str, error: GateError) -> Self {
        match error {
            GateError::Busy(busy) => Self::Busy(busy),
            GateError::Store(e) => {
                crate::observe::flood::gated!(error, "credentials_gate", "{site}: {e}");
                Self::Unavailable(USER_STORE_UNAVAILABLE)
            }
        }
    }
}

impl CredentialError {
    /// The reason class of a refused login for the `login.failed` audit event; `None` for a
    /// bad body (no login attempt) and a throttle refusal (the throttle writes its own).
    pub(crate) fn audit_reason(&self) -> Option<&'static str> {
        match self {
            Self::NotAuthenticated => Some("invalid_credentials"),
            Self::Busy(_) => Some("busy"),
            Self::Unavailable(_) | Self::Internal => Some("store_error"),
            Self::Csrf(_) => Some("csrf"),
            Self::Body(_) | Self::Throttled(_) => None,
        }
    }
}

impl From<CredentialBodyError> for CredentialError {
    fn from(e: CredentialBodyError) -> Self {
        Self::Body(e)
    }
}

impl std::fmt::Display for CredentialError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAuthenticated => f.write_str("Not authenticated"),
            Self::Body(e) => e.fmt(f),
            Self::Csrf(r) => r.fmt(f),
            Self::Busy(b) => b.fmt(f),
            Self::Throttled(r) => f.write_str(r.msg),
            Self::Unavailable(msg) => f.write_str(msg),
            Self::Internal => f.write_str("Internal server error"),
        }
    }
}

impl std::error::Error for CredentialError {}

impl ResponseError for CredentialError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotAuthenticated => StatusCode::UNAUTHORIZED,
            Self::Body(e) => e.status_code(),
            Self::Csrf(_) => StatusCode::FORBIDDEN,
            Self::Busy(_) | Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Throttled(r) => r.status,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (kind, translatable) = match self {
            Self::Body(e) => return e.error_response(),
            Self::Busy(b) => return b.error_response(),
            Self::NotAuthenticated => (Some(SECURITY), true),
            Self::Csrf(_) => (None, true),
            Self::Throttled(_) => (Some(RATELIMIT), false),
            Self::Unavailable(_) | Self::Internal => (None, false),
        };
        let mut resp = view_refusal(self.status_code(), &self.to_string(), kind, translatable);
        match self {
            Self::Throttled(r) => r.put_headers(resp.headers_mut()),
            Self::Unavailable(_) => {
                resp.headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        resp
    }
}
