//! The logic of the credential views, written once over [`Io`] for the sync and async views.

use super::body::{RefreshTokenPayload, VerifyTokenPayload};
use super::cookies::JwtCookies;
use super::io::Io;
use super::issuer::{JwtIssuer, new_id};
use super::response::{LoggedOut, ObtainTokensResponse, TokensResponse, Verified, ViewError};
use crate::auth::AuthRequest;
use crate::backends::credentials::{CredentialBodyError, missing_body};
use crate::backends::jwt::JwtToken;
use crate::backends::jwt::blocklist::{Blocklist, Entry, entries_of};
use crate::backends::users::StoredUser;
use crate::throttle::source::Src;
use crate::throttle::token_ops::TokenAttempt;

const ACCESS: &str = "access";
const REFRESH: &str = "refresh";

fn signing_failed(e: &dyn std::fmt::Display) -> ViewError {
    ViewError::internal(super::io::SITE, e)
}

/// A new access and refresh token for `sub` in `family`, with the cookie-mode cookies.
fn pair(
    issuer: &JwtIssuer,
    sub: &str,
    family: &str,
    csrf_cookie: bool,
) -> Result<TokensResponse, ViewError> {
    let access = issuer
        .issue(sub, ACCESS, family)
        .map_err(|e| signing_failed(&e))?;
    let refresh = issuer
        .issue(sub, REFRESH, family)
        .map_err(|e| signing_failed(&e))?;
    let mut cookies = Vec::new();
    if let Some(c) = &issuer.cookies {
        cookies.push(c.access(&access, issuer.access_ttl));
        cookies.push(c.refresh(&refresh, issuer.refresh_ttl));
        if csrf_cookie {
            cookies.push(c.csrf_cookie());
        }
    }
    Ok(TokensResponse {
        tokens: ObtainTokensResponse {
            access_token: access,
            refresh_token: refresh,
        },
        cookies,
    })
}

/// Decodes `raw` with the issuer's rules and requires `extras.type == kind`.
fn decode(issuer: &JwtIssuer, raw: &str, kind: &str) -> Result<JwtToken, ViewError> {
    let token = issuer
        .verifier
        .decode(raw)
        .map_err(|_| ViewError::NotAuthenticated)?;
    if token.token_type() == Some(kind) {
        Ok(token)
    } else {
        Err(ViewError::NotAuthenticated)
    }
}

/// The token's user must exist and be active.
async fn active_user(io: &impl Io, issuer: &JwtIssuer, token: &JwtToken) -> Result<(), ViewError> {
    match io.find_user(issuer, token.sub.clone()).await? {
        Some(user) if user.is_active => Ok(()),
        _ => Err(ViewError::NotAuthenticated),
    }
}

/// Obtain: a logged-in user in, a new pair (a new family) out.
pub(super) fn obtain(issuer: &JwtIssuer, user: &StoredUser) -> Result<TokensResponse, ViewError> {
    let family = new_id().map_err(|e| signing_failed(&e))?;
    pair(issuer, &user.id, &family, true)
}

/// The refresh token of a refresh request: the body's, else the refresh cookie's (CSRF
/// checked, since a browser sends that cookie by itself). `body` is `None` for a request
/// without one, which outside cookie mode is refused as the reference refuses it.
pub(super) fn refresh_token(
    issuer: &JwtIssuer,
    req: &AuthRequest<'_>,
    body: Option<RefreshTokenPayload>,
) -> Result<String, ViewError> {
    let absent = body.is_none();
    if let Some(token) = body.and_then(|b| b.refresh_token) {
        return Ok(token);
    }
    let Some(cookies) = &issuer.cookies else {
        return Err(if absent {
            missing_body(req.headers())
        } else {
            CredentialBodyError::missing("refresh_token")
        }
        .into());
    };
    let value = req
        .cookie(&cookies.refresh_name)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or(ViewError::NotAuthenticated)?;
    cookies.csrf.check(req).map_err(ViewError::Csrf)?;
    Ok(value)
}

/// Refresh: a refresh token in, a new pair out (new `jti`, `iat` and full lifetimes, the
/// login's family kept), as the reference's refresh view answers. With rotation the presented
/// refresh token is revoked on the way (and presenting it again revokes its family).
pub(super) async fn refresh<I: Io>(
    io: &I,
    issuer: &JwtIssuer,
    attempt: &TokenAttempt<'_>,
    raw: &str,
) -> Result<TokensResponse, ViewError> {
    let token = decode(issuer, raw, REFRESH)?;
    counted::<I>(attempt, &token).await?;
    active_user(io, issuer, &token).await?;
    if let Some(blocklist) = &issuer.blocklist {
        if issuer.rotate {
            rotate(io, issuer, blocklist, &token).await?;
        } else {
            let entries = entries_of(&token).ok_or(ViewError::NotAuthenticated)?;
            if io.refuses(blocklist, entries.as_slice(), token.iat).await? {
                return Err(ViewError::NotAuthenticated);
            }
        }
    }
    let family = token.family().map_or_else(new_id, |f| Ok(f.to_owned()));
    let family = family.map_err(|e| signing_failed(&e))?;
    crate::observe::audit::jwt_refreshed(&token.sub);
    pair(issuer, &token.sub, &family, false)
}

/// Revokes the presented refresh token, atomically: of two refreshes with it exactly one
/// passes; the other (a replay) revokes the whole family and is refused.
async fn rotate(
    io: &impl Io,
    issuer: &JwtIssuer,
    blocklist: &Blocklist,
    token: &JwtToken,
) -> Result<(), ViewError> {
    let jti = token.jti.as_deref().ok_or(ViewError::NotAuthenticated)?;
    let family = token.family().map(Entry::Family);
    if io.refuses(blocklist, family.as_slice(), token.iat).await? {
        // revoked by logout or by a detected reuse (or issued before the store lost its
        // entries): a plain 401
        return Err(ViewError::NotAuthenticated);
    }
    let first = io
        .insert(
            blocklist,
            Entry::Token(jti),
            issuer.token_until(token),
            &token.sub,
        )
        .await?;
    if first {
        return Ok(());
    }
    // this refresh token was rotated already: someone replays it
    if let Some(family) = token.family() {
        io.insert(
            blocklist,
            Entry::Family(family),
            family_until(issuer, token),
            &token.sub,
        )
        .await?;
        crate::observe::audit::refresh_reuse(&token.sub, family);
    }
    Err(ViewError::NotAuthenticated)
}

/// Until when an entry revoking `token`'s family must live: past the last token the family
/// can still issue, and past `token` itself.
fn family_until(issuer: &JwtIssuer, token: &JwtToken) -> i64 {
    issuer.family_until().max(issuer.token_until(token))
}

/// Counts a request with a verified `token` for its subject and family (the per-address
/// count came first, in the view): `Err` with the 429 when a throttle refuses.
async fn counted<I: Io>(attempt: &TokenAttempt<'_>, token: &JwtToken) -> Result<(), ViewError> {
    attempt
        .token(I::BLOCKING, &token.sub, token.family())
        .await
        .map_err(ViewError::Throttled)
}

/// Verify: 204 for a valid, unrevoked access token of an active user.
pub(super) async fn verify<I: Io>(
    io: &I,
    issuer: &JwtIssuer,
    attempt: &TokenAttempt<'_>,
    body: VerifyTokenPayload,
) -> Result<Verified, ViewError> {
    let token = decode(issuer, &body.access_token, ACCESS)?;
    counted::<I>(attempt, &token).await?;
    if let Some(blocklist) = &issuer.blocklist {
        let entries = entries_of(&token).ok_or(ViewError::NotAuthenticated)?;
        if io.refuses(blocklist, entries.as_slice(), token.iat).await? {
            return Err(ViewError::NotAuthenticated);
        }
    }
    active_user(io, issuer, &token).await?;
    crate::observe::audit::jwt_verified(&token.sub);
    Ok(Verified)
}

/// The access token of a logout request: `Authorization: Bearer`, else the access cookie
/// (CSRF checked).
fn logout_access(issuer: &JwtIssuer, req: &AuthRequest<'_>) -> Result<Option<String>, ViewError> {
    if let Some(raw) = req
        .headers()
        .get(&issuer.verifier.core.header)
        .and_then(|v| issuer.verifier.credential(v.as_bytes()))
    {
        return Ok(Some(raw.to_owned()));
    }
    cookie_with_csrf(issuer, req, |c| &c.access_name)
}

/// The refresh token of a logout request: the body's, else (cookie mode) the refresh cookie's,
/// CSRF checked. The refresh cookie reaches logout only when its `Path` covers it.
fn logout_refresh(
    issuer: &JwtIssuer,
    req: &AuthRequest<'_>,
    body: Option<RefreshTokenPayload>,
) -> Result<Option<String>, ViewError> {
    if let Some(token) = body.and_then(|b| b.refresh_token) {
        return Ok(Some(token));
    }
    cookie_with_csrf(issuer, req, |c| &c.refresh_name)
}

/// In cookie mode, the non-empty value of the cookie `name` picks, once the request passed the
/// CSRF check; `None` outside cookie mode or without that cookie.
fn cookie_with_csrf(
    issuer: &JwtIssuer,
    req: &AuthRequest<'_>,
    name: impl FnOnce(&JwtCookies) -> &str,
) -> Result<Option<String>, ViewError> {
    let Some(cookies) = &issuer.cookies else {
        return Ok(None);
    };
    let Some(value) = req
        .cookie(name(cookies))
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
    else {
        return Ok(None);
    };
    cookies.csrf.check(req).map_err(ViewError::Csrf)?;
    Ok(Some(value))
}

/// Logout: revokes the presented access and refresh tokens and their families; at least one
/// token must be presented, and every presented one must be valid.
pub(super) async fn logout<I: Io>(
    io: &I,
    issuer: &JwtIssuer,
    attempt: &TokenAttempt<'_>,
    req: &AuthRequest<'_>,
    body: Option<RefreshTokenPayload>,
) -> Result<LoggedOut, ViewError> {
    let access = logout_access(issuer, req)?;
    let refresh = logout_refresh(issuer, req, body)?;
    if access.is_none() && refresh.is_none() {
        return Err(ViewError::NotAuthenticated);
    }
    let mut tokens = Vec::new();
    if let Some(raw) = &access {
        tokens.push(decode(issuer, raw, ACCESS)?);
    }
    if let Some(raw) = &refresh {
        tokens.push(decode(issuer, raw, REFRESH)?);
    }
    if let Some(first) = tokens.first() {
        counted::<I>(attempt, first).await?;
    }
    if let Some(blocklist) = &issuer.blocklist {
        for token in &tokens {
            // a token's family covers it (every check asks for both): one entry per login,
            // which a subject's own refreshes cannot crowd out of its quota
            if let Some(family) = token.family() {
                let until = family_until(issuer, token);
                io.insert(blocklist, Entry::Family(family), until, &token.sub)
                    .await?;
            } else if let Some(jti) = &token.jti {
                let until = issuer.token_until(token);
                io.insert(blocklist, Entry::Token(jti), until, &token.sub)
                    .await?;
            }
        }
    }
    let subject = tokens.first().map(|t| t.sub.as_str());
    let trust = crate::throttle::login::LoginConfig::trust_forwarded(issuer);
    crate::observe::audit::jwt_revoked(Src::View(req, trust), subject);
    let cookies = issuer
        .cookies
        .as_ref()
        .map(JwtCookies::removals)
        .unwrap_or_default();
    Ok(LoggedOut { cookies })
}
