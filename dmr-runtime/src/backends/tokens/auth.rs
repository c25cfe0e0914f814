//! [`TokenAuth`]: opaque-token auth from a header or a cookie, with django-modern-rest's chain
//! rules and OpenAPI schemes, sync and async.

use crate::observe::audit::{self, Unknown};
use std::sync::Arc;
use std::time::SystemTime;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName};

use super::config::{ApiTokens, TokenAuth, Transport};
use super::model::TokenInfo;
use super::store::TokenStoreError;
use crate::auth::{
    AsyncAuth, Auth, AuthError, AuthRequest, AuthResponses, AuthResult, Challenge, SchemeDoc,
    SyncAuth,
};
use crate::backends::csrf::CsrfConfig;
use crate::backends::header_name::canonical_header;
use crate::backends::users::{StoredUser, UserStoreError};

/// The message of the 503 answered when the token or user store fails or does not answer in
/// time: `{"detail":[{"msg":"Token store unavailable, try again later"}]}`. A request is never
/// let in when the store cannot say yes.
pub const TOKEN_STORE_UNAVAILABLE: &str = "Token store unavailable, try again later";

/// Who a token authenticated: the user and the token's metadata (never the hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenUser {
    /// The user's id.
    pub user_id: String,
    /// The user's login name.
    pub username: String,
    /// The token that was presented.
    pub token: TokenInfo,
}

impl TokenAuth {
    pub(crate) fn for_header(tokens: &ApiTokens) -> Self {
        Self {
            tokens: Arc::new(tokens.clone()),
            transport: Transport::Header {
                name: HeaderName::from_static("x-api-token"),
                shown: "X-API-Token".to_owned(),
                prefix: String::new(),
            },
            scheme_name: "token".to_owned(),
        }
    }

    pub(crate) fn for_cookie(tokens: &ApiTokens) -> Self {
        Self {
            tokens: Arc::new(tokens.clone()),
            transport: Transport::Cookie {
                name: "token".to_owned(),
                csrf: CsrfConfig::new(),
            },
            // not the reference's `token`: a header and a cookie token can share a chain
            scheme_name: "token_cookie".to_owned(),
        }
    }

    /// The header carrying the token (header auth only; panics on a name that is not a
    /// valid header name, a configuration bug found at startup).
    pub fn header(mut self, name: &str) -> Self {
        if let Transport::Header { name: n, shown, .. } = &mut self.transport {
            *n = HeaderName::from_bytes(name.as_bytes())
                .unwrap_or_else(|_| panic!("`{name}` is not a valid header name"));
            *shown = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                name.to_owned()
            } else {
                canonical_header(name)
            };
        }
        self
    }

    /// The word before the token (`Token`, `Bearer`; header auth only; default none).
    pub fn prefix(mut self, prefix: &str) -> Self {
        if let Transport::Header { prefix: p, .. } = &mut self.transport {
            prefix.clone_into(p);
        }
        self
    }

    /// The cookie carrying the token (cookie auth only; default `token`).
    pub fn cookie_name(mut self, name: &str) -> Self {
        if let Transport::Cookie { name: n, .. } = &mut self.transport {
            name.clone_into(n);
        }
        self
    }

    /// The CSRF settings of the cookie auth (default [`CsrfConfig::new`]).
    pub fn csrf(mut self, config: CsrfConfig) -> Self {
        if let Transport::Cookie { csrf, .. } = &mut self.transport {
            config.warn_if_not_enforced();
            *csrf = config;
        }
        self
    }

    /// The OpenAPI security scheme name (default `token`, `token_cookie` for the cookie).
    pub fn scheme_name(mut self, name: &str) -> Self {
        name.clone_into(&mut self.scheme_name);
        self
    }

    /// The raw token, `None` to skip, or a CSRF error.
    fn extract(&self, req: &AuthRequest<'_>) -> Result<Option<String>, AuthError> {
        match &self.transport {
            Transport::Header { name, prefix, .. } => {
                let Some(value) = req.headers().get(name) else {
                    return Ok(None);
                };
                // a value that is not visible ASCII cannot be a token: looked up, it fails
                let value = value.to_str().unwrap_or("\u{0}");
                if prefix.is_empty() {
                    return Ok(Some(value.to_owned()));
                }
                Ok(value
                    .strip_prefix(prefix.as_str())
                    .and_then(|rest| rest.strip_prefix(' '))
                    .map(str::to_owned))
            }
            Transport::Cookie { name, csrf } => {
                let Some(cookie) = req.cookie(name) else {
                    return Ok(None);
                };
                let value = cookie.value();
                if !value.is_empty() {
                    csrf.check(req)?;
                }
                Ok(Some(value.to_owned()))
            }
        }
    }

    /// The token row for `raw`, checked active; `Err` 401 or 503.
    fn check_token(
        &self,
        found: Result<Option<TokenInfo>, TokenStoreError>,
    ) -> Result<TokenInfo, AuthError> {
        let token = found.map_err(|e| unavailable(&e))?;
        let now = SystemTime::now();
        match token {
            Some(t) if t.is_active(now) => Ok(t),
            Some(t) if t.is_expired(now) => {
                audit::token_expired(Unknown, &t.user_id);
                Err(self.refused())
            }
            _ => Err(self.refused()),
        }
    }

    /// The 401 for a token that was read and refused (unknown, revoked, expired, its user
    /// unknown or inactive): behind an `Authorization: Bearer` prefix, with RFC 6750's
    /// `error="invalid_token"`. The description does not say which: telling an expired or
    /// revoked token from an unknown one would tell a guesser that a token existed.
    fn refused(&self) -> AuthError {
        let error = AuthError::not_authenticated();
        match self.challenge() {
            Some(base) if base.eq_ignore_ascii_case("bearer") => error.with_challenge(
                Challenge::invalid_token(base, "The access token is invalid"),
            ),
            _ => error,
        }
    }

    fn check_user(
        &self,
        found: Result<Option<StoredUser>, UserStoreError>,
        token: TokenInfo,
    ) -> Result<TokenUser, AuthError> {
        match found.map_err(|e| unavailable(&e))? {
            Some(u) if u.is_active => Ok(TokenUser {
                user_id: u.id,
                username: u.username,
                token,
            }),
            _ => Err(self.refused()),
        }
    }

    /// Whether the token's last use should be written now.
    fn due(&self, token: &TokenInfo, now: SystemTime) -> Option<std::time::Duration> {
        let interval = self.tokens.last_used?;
        let due = token
            .last_used_at
            .is_none_or(|at| now.duration_since(at).is_ok_and(|d| d >= interval));
        due.then_some(interval)
    }
}

fn unavailable(e: &dyn std::fmt::Display) -> AuthError {
    crate::observe::flood::gated!(error, "token_auth", "token auth: {e}");
    AuthError::rejected(StatusCode::SERVICE_UNAVAILABLE, TOKEN_STORE_UNAVAILABLE)
}

impl Auth for TokenAuth {
    type Identity = TokenUser;

    fn scheme_name(&self) -> &str {
        &self.scheme_name
    }

    fn schemes(&self) -> Vec<SchemeDoc> {
        let name = &self.scheme_name;
        vec![match &self.transport {
            Transport::Header { name: h, .. } if *h == header::AUTHORIZATION => {
                SchemeDoc::http(name, "bearer", None, "Opaque token authentication")
            }
            Transport::Header { shown, .. } => {
                SchemeDoc::api_key_header(name, shown, "Opaque token authentication")
            }
            Transport::Cookie { name: c, .. } => {
                SchemeDoc::api_key_cookie(name, c, "Opaque token authentication via cookie")
            }
        }]
    }

    fn responses(&self) -> AuthResponses {
        match self.transport {
            Transport::Header { .. } => AuthResponses::UNAUTHORIZED,
            Transport::Cookie { .. } => AuthResponses::UNAUTHORIZED | AuthResponses::CSRF_FORBIDDEN,
        }
    }

    fn challenge(&self) -> Option<String> {
        match &self.transport {
            Transport::Header { name, prefix, .. }
                if *name == header::AUTHORIZATION && !prefix.is_empty() =>
            {
                Some(prefix.clone())
            }
            _ => None,
        }
    }
}

impl SyncAuth for TokenAuth {
    fn authenticate_sync(&self, req: &AuthRequest<'_>) -> AuthResult<TokenUser> {
        let Some(raw) = self.extract(req)? else {
            return Ok(None);
        };
        let t = &self.tokens;
        let token = self.check_token(t.find_raw_blocking(&raw))?;
        let user = self.check_user(t.login.users().find_by_id(&token.user_id), token)?;
        let now = SystemTime::now();
        if let Some(interval) = self.due(&user.token, now)
            && let Err(e) = t.store.mark_used_blocking(user.token.id, now, interval)
        {
            crate::observe::flood::gated!(
                warn,
                "token_last_used",
                "token auth: last-used not recorded: {e}"
            );
        }
        Ok(Some(user))
    }
}

impl AsyncAuth for TokenAuth {
    async fn authenticate(&self, req: &AuthRequest<'_>) -> AuthResult<TokenUser> {
        let Some(raw) = self.extract(req)? else {
            return Ok(None);
        };
        let t = &self.tokens;
        let found = t.find_raw(&raw).await;
        let token = self.check_token(found)?;
        // bounded where the lookup can wait: an awaiting store, or the blocking pool
        let users = t.login.users();
        let found = match &t.async_users {
            Some(lookup) => {
                let found = lookup.find_by_id_async(token.user_id.clone());
                match lookup.own_timeout() {
                    Some(_) => found.await,
                    None => within(t.timeout, found).await,
                }
            }
            None if users.is_blocking() => {
                within(t.timeout, t.login.find_user(&token.user_id)).await
            }
            None => users.find_by_id(&token.user_id),
        };
        let user = self.check_user(found, token)?;
        let now = SystemTime::now();
        if let Some(interval) = self.due(&user.token, now)
            && let Err(e) = t
                .timed(t.store.mark_used(user.token.id, now, interval))
                .await
        {
            crate::observe::flood::gated!(
                warn,
                "token_last_used",
                "token auth: last-used not recorded: {e}"
            );
        }
        Ok(Some(user))
    }
}

/// The auths over these tokens.
impl ApiTokens {
    /// The header auth: `X-API-Token: <raw>` (see [`TokenAuth`] for `Authorization: Token ..`).
    pub fn header(&self) -> TokenAuth {
        TokenAuth::for_header(self)
    }

    /// The cookie auth: cookie `token`, CSRF-checked (see [`TokenAuth`]).
    pub fn cookie(&self) -> TokenAuth {
        TokenAuth::for_cookie(self)
    }

    /// What [`views_auth`](Self::views_auth) set, or the header auth.
    pub fn get_views_auth(&self) -> TokenAuth {
        self.views_auth.clone().unwrap_or_else(|| self.header())
    }
}

/// A user lookup within `limit`.
async fn within(
    limit: std::time::Duration,
    lookup: impl std::future::Future<Output = Result<Option<StoredUser>, UserStoreError>>,
) -> Result<Option<StoredUser>, UserStoreError> {
    tokio::time::timeout(limit, lookup)
        .await
        .unwrap_or_else(|_| Err(UserStoreError::new("user store: no answer in time")))
}
