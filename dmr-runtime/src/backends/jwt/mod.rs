//! JWT in a header, as django-modern-rest's: `Authorization: Bearer <token>` (or a custom
//! header and word), verified with one algorithm and PyJWT's claim rules.
//!
//! Pipeline per request:
//!
//! 1. header missing, not UTF-8, or not exactly `<auth_scheme> <token>` (one space, the word
//!    compared case-sensitively) -> skip, the chain moves on;
//! 2. from here the header is ours, and every failure is a 401: a token over 8 KiB, a bad
//!    signature, a malformed token, `alg: none` or any algorithm but the configured one, an
//!    expired token (`exp <= now - leeway`), `nbf` or `iat` later than `now + leeway`, a
//!    missing or malformed `exp`, `iat` or `sub`, an empty `sub`, audience, issuer and
//!    required-claim failures, and a refresh token (unless
//!    [`accept_refresh_tokens`](JwtAuth::accept_refresh_tokens));
//! 3. with a user loader, the loader's `Ok(None)` is a 401 too.
//!
//! A token read from `Authorization: Bearer` and refused (steps 2 and 3, a revoked token
//! included) refines the 401's `Bearer` challenge as RFC 6750 section 3 asks:
//! `Bearer error="invalid_token", error_description="The access token expired"` for an expired
//! token, so that the client refreshes it, and `.. error_description="The access token is
//! invalid"` for every other refusal (which check failed is not told). The other challenges of
//! the chain are kept; with no token (skip) the challenge stays `Bearer`. The cookie transport
//! and a custom header send no challenge.
//!
//! Deliberate differences from the reference, all 401 where it answers 500: an empty `sub`,
//! an `iat` in the future within the leeway (accepted here), a non-object `extras`, a
//! short HMAC secret and a strict audience without exactly one accepted audience (both
//! refused when the auth is built, see [`JwtConfigError`]). Refresh tokens are refused by
//! default. A malformed `iss` or `aud` (not a string, or a list of strings) is refused even
//! when it is not checked.
//!
//! ```
//! use std::time::Duration;
//! use actix_web::test::TestRequest;
//! use dmr_runtime::auth::{AuthRequest, InlineAuth};
//! use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
//!
//! let secret = "0123456789abcdef0123456789abcdef";
//! let auth = JwtAuth::hs256(secret).unwrap().leeway(5).accepted_audiences(["api"]);
//!
//! let jwt = JwtToken::new("42", Duration::from_secs(300)).with_audience("api");
//! let jwt = jwt.encode_hs256(secret).unwrap();
//! let req = TestRequest::get()
//!     .insert_header(("Authorization", format!("Bearer {jwt}")))
//!     .to_http_request();
//! let token = auth.authenticate_inline(&AuthRequest::live(&req)).unwrap().unwrap();
//! assert_eq!(token.sub, "42");
//! ```

pub mod blocklist;
mod config;
mod cookie;
mod core;
mod crypto;
mod decode;
mod error;
mod fallback;
#[cfg(feature = "session")]
mod issue;
pub(crate) mod jose;
mod keyring;
mod loader;
mod ring;
mod token;

#[cfg(test)]
mod tests;

use actix_web::http::header;

use super::header_name::canonical_header;
use crate::auth::{
    AsyncAuth, Auth, AuthError, AuthRequest, AuthResponses, AuthResult, Challenge, InlineAuth,
    SchemeDoc, SyncAuth,
};

/// `error_description` of an expired bearer token.
const TOKEN_EXPIRED: &str = "The access token expired";
/// `error_description` of every other refused bearer token (bad signature, another algorithm,
/// malformed, a claim refused, revoked, no such user): which check failed is not told.
const TOKEN_INVALID: &str = "The access token is invalid";
use blocklist::{Blocklist, NoBlocklist, Revocation};
pub use error::JwtConfigError;
#[cfg(feature = "session")]
pub use issue::{
    JwtCookies, JwtIssuer, JwtLogout, JwtLogoutSync, JwtObtain, JwtObtainSync, JwtRefresh,
    JwtRefreshSync, JwtVerify, JwtVerifySync, LoggedOut, ObtainRaw, ObtainTokensPayload,
    ObtainTokensResponse, RefreshRaw, RefreshTokenPayload, RequestCopy, TokensResponse, Verified,
    VerifyRaw, VerifyTokenPayload, ViewError,
};
pub use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};
pub use keyring::{KeyRing, SigningKey};
pub use loader::{AsyncLoader, JwtUser, JwtUserAuth, Loader, NoLoader, SyncLoader, UserLoaderFn};
pub use token::{Audience, JwtError, JwtToken};

/// JWT auth reading `Authorization: Bearer <token>`, with an optional user loader `L`.
///
/// * without a loader (built by [`JwtAuth::hs256`], [`JwtAuth::rsa_pem`], ..): the identity
///   is the [`JwtToken`]; the check neither blocks nor awaits, so it fits every endpoint;
/// * [`JwtAuth::with_user_loader`]: a function that may block loads your user; sync
///   endpoints only; the identity is a [`JwtUser`];
/// * [`JwtAuth::with_async_user_loader`]: an async loader; async endpoints only.
///
/// Every constructor returns a `Result`, and so does
/// [`strict_audience`](JwtAuth::strict_audience): an `auth = [..]` entry may be that
/// `Result`, and its error is reported when the API is built.
///
/// ```
/// use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError};
///
/// fn jwt() -> Result<JwtAuth, JwtConfigError> {
///     JwtAuth::hs256("0123456789abcdef0123456789abcdef")?
///         .leeway(10)
///         .accepted_issuers(["auth.example.com"])
///         .accepted_audiences(["api"])
///         .strict_audience(true)
/// }
/// assert!(jwt().is_ok());
/// ```
///
/// With [`blocklist`](JwtAuth::blocklist), revoked tokens (and tokens without `jti`) are
/// refused; with [`from_cookie`](JwtAuth::from_cookie), the token is read from a cookie, after
/// a CSRF check.
#[derive(Debug, Clone)]
pub struct JwtAuth<L = NoLoader, B = NoBlocklist> {
    core: core::JwtCore,
    loader: L,
    revocation: B,
}

impl<L> JwtAuth<L, NoBlocklist> {
    /// Refuses revoked tokens: the token's `jti` or refresh family (`extras.fam`) in
    /// `blocklist` is a 401, and so is a token without `jti` (it could never be revoked).
    /// When the store cannot answer the request is refused with a 503 (see
    /// [`blocklist`]).
    ///
    /// Without a user loader the auth then implements [`SyncAuth`] (the store may block; sync
    /// endpoints) and [`AsyncAuth`] (the store is awaited), so it still fits every endpoint.
    ///
    /// ```
    /// use std::time::Duration;
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::auth::{AuthRequest, SyncAuth};
    /// use dmr_runtime::backends::jwt::blocklist::{Blocklist, BlocklistStore, Entry, MemoryBlocklist};
    /// use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
    ///
    /// let secret = "0123456789abcdef0123456789abcdef";
    /// let blocklist = Blocklist::new(MemoryBlocklist::default());
    /// let auth = JwtAuth::hs256(secret).unwrap().blocklist(blocklist.clone());
    /// let token = JwtToken::new("42", Duration::from_secs(300)).with_jti("t1");
    /// let req = TestRequest::get()
    ///     .insert_header(("Authorization", format!("Bearer {}", token.encode_hs256(secret).unwrap())))
    ///     .to_http_request();
    /// assert!(auth.authenticate_sync(&AuthRequest::live(&req)).is_ok());
    /// blocklist.store().insert(Entry::Token("t1"), token.exp).unwrap();
    /// assert!(auth.authenticate_sync(&AuthRequest::live(&req)).is_err()); // 401
    /// ```
    pub fn blocklist(self, blocklist: Blocklist) -> JwtAuth<L, Blocklist> {
        JwtAuth {
            core: self.core,
            loader: self.loader,
            revocation: blocklist,
        }
    }
}

impl<L, B> JwtAuth<L, B> {
    /// Decodes and checks a raw token (no `Bearer` prefix) with this auth's key and rules,
    /// without the refresh-token rule: the building block of refresh and verify views.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
    ///
    /// let secret = "0123456789abcdef0123456789abcdef";
    /// let auth = JwtAuth::hs256(secret).unwrap();
    /// let refresh = JwtToken::new("7", Duration::from_secs(60)).with_type("refresh");
    /// let jwt = refresh.encode_hs256(secret).unwrap();
    /// assert_eq!(auth.decode(&jwt).unwrap().token_type(), Some("refresh"));
    /// assert!(auth.decode("not.a.token").is_err());
    /// ```
    pub fn decode(&self, token: &str) -> Result<JwtToken, JwtError> {
        self.core.decode_at(token, token::unix_now())
    }

    /// Steps 1 and 2 of the pipeline: skip, 401 (403 for a failed CSRF check of the cookie
    /// transport), or the checked token.
    fn token(&self, req: &AuthRequest<'_>) -> AuthResult<JwtToken> {
        let decoded = if let Some(cookie) = &self.core.cookie {
            let Some(raw) = cookie.credential(req)? else {
                return Ok(None);
            };
            self.decode(&raw)
        } else {
            let Some(raw) = req
                .header(&self.core.header)
                .and_then(|v| self.credential(v.as_bytes()))
            else {
                return Ok(None);
            };
            self.decode(raw)
        };
        let token = decoded.map_err(|e| {
            let description = if e == decode::EXPIRED {
                TOKEN_EXPIRED
            } else {
                TOKEN_INVALID
            };
            self.refused(description)
        })?;
        if !self.core.accept_refresh && token.token_type() == Some("refresh") {
            return Err(self.refused(TOKEN_INVALID));
        }
        Ok(Some(token))
    }

    /// The 401 for a token that was read and refused: with a `Bearer` challenge, RFC 6750's
    /// `error="invalid_token"` and `description` (fixed texts, never the token's content).
    fn refused(&self, description: &'static str) -> AuthError {
        self.refine(AuthError::not_authenticated(), description)
    }

    /// Adds the `invalid_token` challenge to a 401 that has none (a revoked token, no such
    /// user); other errors (a 503 from the blocklist store) are kept as they are.
    fn refine(&self, error: AuthError, description: &'static str) -> AuthError {
        match self.bearer_challenge() {
            Some(base) if error.challenge().is_none() && base.eq_ignore_ascii_case("bearer") => {
                error.with_challenge(Challenge::invalid_token(base, description))
            }
            _ => error,
        }
    }

    /// The token of a header value `<auth_scheme> <token>`, split on single spaces into
    /// exactly two parts; `None` if the value is not ours.
    fn credential<'v>(&self, value: &'v [u8]) -> Option<&'v str> {
        let rest = value
            .strip_prefix(self.core.auth_scheme.as_bytes())?
            .strip_prefix(b" ")?;
        if rest.contains(&b' ') {
            return None;
        }
        std::str::from_utf8(rest).ok()
    }

    fn is_standard(&self) -> bool {
        if self.core.cookie.is_some() {
            return false;
        }
        self.core.header == header::AUTHORIZATION
            && self.core.auth_scheme.eq_ignore_ascii_case("bearer")
    }

    fn scheme_docs(&self) -> Vec<SchemeDoc> {
        let name = &self.core.scheme_name;
        let scheme = &self.core.auth_scheme;
        let doc = if let Some(cookie) = &self.core.cookie {
            SchemeDoc::api_key_cookie(name, &cookie.name, "JWT token auth via cookie")
        } else if self.is_standard() {
            SchemeDoc::http(name, scheme, Some("JWT"), "JWT token auth")
        } else {
            let h = canonical_header(self.core.header.as_str());
            let description =
                format!("JWT token auth via `{h}` header using `{scheme} <token>` format");
            SchemeDoc::api_key_header(name, h, description)
        };
        vec![doc]
    }

    fn bearer_challenge(&self) -> Option<String> {
        (self.core.cookie.is_none() && self.core.header == header::AUTHORIZATION)
            .then(|| self.core.auth_scheme.clone())
    }
}

impl<L: Loader, B: Revocation> Auth for JwtAuth<L, B> {
    type Identity = L::Identity;

    /// A token (without a user loader) by its `jti`, else its `sub`.
    fn throttle_key(identity: &L::Identity) -> Option<String> {
        let token = (identity as &dyn std::any::Any).downcast_ref::<JwtToken>()?;
        crate::throttle::ThrottleIdentity::throttle_key(token)
    }

    fn scheme_name(&self) -> &str {
        &self.core.scheme_name
    }

    fn schemes(&self) -> Vec<SchemeDoc> {
        self.scheme_docs()
    }

    fn challenge(&self) -> Option<String> {
        self.bearer_challenge()
    }

    fn responses(&self) -> AuthResponses {
        if self.core.cookie.is_some() {
            AuthResponses::UNAUTHORIZED | AuthResponses::CSRF_FORBIDDEN
        } else {
            AuthResponses::UNAUTHORIZED
        }
    }
}

impl InlineAuth for JwtAuth<NoLoader, NoBlocklist> {
    fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<JwtToken> {
        self.token(req)
    }
}

impl SyncAuth for JwtAuth<NoLoader, Blocklist> {
    fn authenticate_sync(&self, req: &AuthRequest<'_>) -> AuthResult<JwtToken> {
        let Some(token) = self.token(req)? else {
            return Ok(None);
        };
        self.revocation
            .check_sync(&token)
            .map_err(|e| self.refine(e, TOKEN_INVALID))?;
        Ok(Some(token))
    }
}

impl AsyncAuth for JwtAuth<NoLoader, Blocklist> {
    async fn authenticate(&self, req: &AuthRequest<'_>) -> AuthResult<JwtToken> {
        let Some(token) = self.token(req)? else {
            return Ok(None);
        };
        self.revocation
            .check_async(&token)
            .await
            .map_err(|e| self.refine(e, TOKEN_INVALID))?;
        Ok(Some(token))
    }
}
