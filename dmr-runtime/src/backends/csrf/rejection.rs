//! [`CsrfRejection`]: a failed CSRF check and the 403 it becomes.

use actix_web::http::StatusCode;

use crate::auth::AuthError;

/// A failed CSRF check: the reason, as Django words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrfRejection {
    reason: String,
}

impl CsrfRejection {
    pub(super) fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }

    /// The reason (`CSRF token missing.`).
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The 403 `CSRF Failed: <reason>` that stops the chain.
    pub fn into_auth_error(self) -> AuthError {
        AuthError::rejected(StatusCode::FORBIDDEN, self.to_string())
    }
}

impl std::fmt::Display for CsrfRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CSRF Failed: {}", self.reason)
    }
}

impl std::error::Error for CsrfRejection {}

impl From<CsrfRejection> for AuthError {
    fn from(r: CsrfRejection) -> Self {
        r.into_auth_error()
    }
}
