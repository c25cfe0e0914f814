//! Errors found while building the API (at startup, never per request).

use std::fmt;

/// A configuration error of an auth value, raised when the API is built (for example an HMAC
/// secret shorter than its hash).
#[derive(Debug)]
pub struct AuthConfigError(Box<dyn std::error::Error + Send + Sync>);

impl AuthConfigError {
    /// Wraps any error.
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(e.into())
    }
}

impl fmt::Display for AuthConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for AuthConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// Why [`ApiBuilder::build`](crate::ApiBuilder::build) failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// An auth value of an endpoint or controller could not be built.
    Auth {
        /// `Controller::endpoint` (or `Controller` for controller-level auth).
        site: String,
        /// What went wrong.
        source: AuthConfigError,
    },
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Auth { site, source } => write!(f, "auth of `{site}` cannot be built: {source}"),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Auth { source, .. } => Some(source),
        }
    }
}
