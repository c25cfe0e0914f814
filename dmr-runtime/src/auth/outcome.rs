//! The outcomes of one auth check.

use std::borrow::Cow;
use std::fmt;

use actix_web::http::StatusCode;

/// The result of one check: `Ok(Some(identity))` succeeds and stops the chain, `Ok(None)`
/// skips to the next auth, `Err(..)` stops the chain with an error response.
pub type AuthResult<I> = Result<Option<I>, AuthError>;

/// Why a check stopped the chain.
///
/// # Example
///
/// ```
/// use dmr_runtime::auth::AuthError;
/// use actix_web::http::StatusCode;
///
/// let plain = AuthError::not_authenticated();
/// assert_eq!(plain.status(), StatusCode::UNAUTHORIZED);
/// let custom = AuthError::not_authenticated_with("Token revoked");
/// assert_eq!(custom.message(), Some("Token revoked"));
/// let teapot = AuthError::api(StatusCode::IM_A_TEAPOT, serde_json::json!({"tea": true}));
/// assert_eq!(teapot.status().as_u16(), 418);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum AuthError {
    /// 401 with the error model's body; `None` keeps the default `Not authenticated` message.
    NotAuthenticated(Option<Cow<'static, str>>),
    /// A status and a message rendered through the endpoint's error model without an error
    /// type (CSRF failures are `403` `CSRF Failed: <reason>`).
    Rejected {
        /// The response status.
        status: StatusCode,
        /// The `msg` of the error body.
        message: Cow<'static, str>,
    },
    /// A status and a JSON body sent exactly as given.
    Api {
        /// The response status.
        status: StatusCode,
        /// The response body.
        body: serde_json::Value,
    },
}

impl AuthError {
    /// The default message of a 401.
    pub const DEFAULT_MESSAGE: &'static str = "Not authenticated";

    /// 401 with the default message.
    pub const fn not_authenticated() -> Self {
        Self::NotAuthenticated(None)
    }

    /// 401 with a custom message in place of `Not authenticated`.
    pub fn not_authenticated_with(message: impl Into<Cow<'static, str>>) -> Self {
        Self::NotAuthenticated(Some(message.into()))
    }

    /// A status and message rendered through the error model (no `type`).
    pub fn rejected(status: StatusCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self::Rejected {
            status,
            message: message.into(),
        }
    }

    /// A status and a JSON body sent verbatim.
    pub fn api(status: StatusCode, body: serde_json::Value) -> Self {
        Self::Api { status, body }
    }

    /// The response status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotAuthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::Rejected { status, .. } | Self::Api { status, .. } => *status,
        }
    }

    /// The message, where the error has one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::NotAuthenticated(m) => Some(m.as_deref().unwrap_or(Self::DEFAULT_MESSAGE)),
            Self::Rejected { message, .. } => Some(message),
            Self::Api { .. } => None,
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            Some(m) => write!(f, "{} {m}", self.status().as_u16()),
            None => write!(f, "{}", self.status().as_u16()),
        }
    }
}

impl std::error::Error for AuthError {}
