//! The outcomes of one auth check.

use std::borrow::Cow;
use std::fmt;

use actix_web::http::StatusCode;

use super::Challenge;

/// The result of one check: `Ok(Some(identity))` succeeds and stops the chain, `Ok(None)`
/// skips to the next auth, `Err(..)` stops the chain with an error response.
pub type AuthResult<I> = Result<Option<I>, AuthError>;

/// Why a check stopped the chain.
///
/// # Example
///
/// ```
/// use dmr_runtime::auth::{AuthError, Challenge};
/// use actix_web::http::StatusCode;
///
/// let plain = AuthError::not_authenticated();
/// assert_eq!(plain.status(), StatusCode::UNAUTHORIZED);
/// let custom = AuthError::not_authenticated_with("Token revoked");
/// assert_eq!(custom.message(), Some("Token revoked"));
/// let teapot = AuthError::api(StatusCode::IM_A_TEAPOT, serde_json::json!({"tea": true}));
/// assert_eq!(teapot.status().as_u16(), 418);
///
/// // a bearer token was read and refused: the 401 tells the client why (RFC 6750)
/// let expired = AuthError::not_authenticated()
///     .with_challenge(Challenge::invalid_token("Bearer", "The access token expired"));
/// assert_eq!(expired.challenge().map(Challenge::base), Some("Bearer"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum AuthError {
    /// 401 with the error model's body.
    NotAuthenticated {
        /// The `msg` of the body; `None` keeps the default `Not authenticated`.
        message: Option<Cow<'static, str>>,
        /// The failing auth's challenge refined for this response (see [`Challenge`]);
        /// `None` sends the chain's challenges as declared.
        challenge: Option<Box<Challenge>>,
    },
    /// A status and a message rendered through the endpoint's error model without an error
    /// type (CSRF failures are `403` `CSRF Failed: <reason>`).
    Rejected {
        /// The response status.
        status: StatusCode,
        /// The `msg` of the error body.
        message: Cow<'static, str>,
    },
    /// A status and a JSON body sent exactly as given (a 503 gets `Retry-After: 1`, as every
    /// 503 of an auth does).
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
        Self::NotAuthenticated {
            message: None,
            challenge: None,
        }
    }

    /// 401 with a custom message in place of `Not authenticated`.
    pub fn not_authenticated_with(message: impl Into<Cow<'static, str>>) -> Self {
        Self::NotAuthenticated {
            message: Some(message.into()),
            challenge: None,
        }
    }

    /// Refines the failing auth's `WWW-Authenticate` challenge for this 401 (a 401 only:
    /// other errors send no challenge and are returned unchanged).
    pub fn with_challenge(self, refined: Challenge) -> Self {
        match self {
            Self::NotAuthenticated { message, .. } => Self::NotAuthenticated {
                message,
                challenge: Some(Box::new(refined)),
            },
            other => other,
        }
    }

    /// The refined challenge of a 401, if the failing auth gave one.
    pub fn challenge(&self) -> Option<&Challenge> {
        match self {
            Self::NotAuthenticated { challenge, .. } => challenge.as_deref(),
            _ => None,
        }
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
            Self::NotAuthenticated { .. } => StatusCode::UNAUTHORIZED,
            Self::Rejected { status, .. } | Self::Api { status, .. } => *status,
        }
    }

    /// The message, where the error has one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::NotAuthenticated { message, .. } => {
                Some(message.as_deref().unwrap_or(Self::DEFAULT_MESSAGE))
            }
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
