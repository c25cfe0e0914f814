//! The cookie transport of a JWT auth (the reference's cookie JWT): the raw token in a cookie,
//! and CSRF checked before it is decoded.

use crate::auth::{AuthError, AuthRequest};
use crate::backends::csrf::CsrfConfig;

/// Where a cookie-reading JWT auth finds its token and how it checks CSRF.
#[derive(Debug, Clone)]
pub(super) struct CookieSource {
    pub(super) name: String,
    pub(super) csrf: CsrfConfig,
}

impl CookieSource {
    pub(super) fn new(name: impl Into<String>, csrf: CsrfConfig) -> Self {
        Self {
            name: name.into(),
            csrf,
        }
    }

    /// The token in the cookie, once CSRF passed: `Ok(None)` (skip) for a missing or empty
    /// cookie; a 403 when the cookie is there and CSRF fails.
    pub(super) fn credential(&self, req: &AuthRequest<'_>) -> Result<Option<String>, AuthError> {
        let Some(cookie) = req.cookie(&self.name) else {
            return Ok(None);
        };
        if cookie.value().is_empty() {
            return Ok(None);
        }
        self.csrf.check(req)?;
        Ok(Some(cookie.value().to_owned()))
    }
}
