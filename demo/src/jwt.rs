//! The JWT lifecycle: `POST /api/jwt/obtain/`, `refresh/`, `verify/` and `logout/`, with
//! refresh rotation and a blocklist (in memory; in Redis when `DMR_DEMO_REDIS_URL` names
//! one, as the throttles' counters), the header JWT on `/api/jwt/` and the cookie JWT on
//! `/api/jwt-cookie/`.
//!
//! With `DMR_DEMO_JWT_KEY` naming a private key file (Ed25519: EdDSA, RSA: RS256) the tokens
//! are signed with it, its `kid` (`DMR_DEMO_JWT_KID`, default `demo-1`) in every header, and
//! its public half is served at `/.well-known/jwks.json`; without it, HS256 with the demo
//! secret.
//!
//! Obtain and refresh also set the tokens as `HttpOnly` cookies (cookie mode), so a browser
//! can call `/api/jwt-cookie/`; the JSON body still carries both tokens. Cookies are not
//! `Secure` because the demo speaks plain HTTP; set `DMR_DEMO_SECURE_COOKIES=1` behind TLS.

use std::sync::LazyLock;
use std::time::Duration;

use actix_web::cookie::SameSite;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Json};
use dmr_runtime::ApiBuilder;
use dmr_runtime::backends::jwt::blocklist::Blocklist;
use dmr_runtime::backends::jwt::{
    Algorithm, JwtAuth, JwtConfigError, JwtCookies, JwtIssuer, JwtLogout, JwtObtain, JwtRefresh,
    JwtToken, JwtVerify, KeyRing, NoLoader, SigningKey,
};
use dmr_runtime::prelude::*;
use serde_json::{Value, json};

use crate::config::DemoConfig;

/// Where the refresh view is mounted: the refresh cookie's `Path`.
const REFRESH_PATH: &str = "/api/jwt/refresh/";

/// The demo's signing key when `DMR_DEMO_JWT_KEY` names one: EdDSA for an Ed25519 key,
/// RS256 for an RSA key, its `kid` from `DMR_DEMO_JWT_KID`.
static RING: LazyLock<Result<Option<KeyRing>, JwtConfigError>> = LazyLock::new(|| {
    let cfg = DemoConfig::get();
    let Some(pem) = &cfg.jwt_key else {
        return Ok(None);
    };
    let kid = || cfg.jwt_kid.clone();
    let key = SigningKey::ed_pem(kid(), pem)
        .or_else(|_| SigningKey::rsa_pem(kid(), Algorithm::RS256, pem))
        .map_err(|e| {
            JwtConfigError::InvalidKey(format!(
                "`DMR_DEMO_JWT_KEY` holds no Ed25519 or RSA private key in PEM ({e}); fix or \
                 unset it"
            ))
        })?;
    Ok(Some(KeyRing::new(key)))
});

/// The key ring, if the demo signs with a key of its own.
fn ring() -> Result<Option<&'static KeyRing>, JwtConfigError> {
    RING.as_ref().map(Option::as_ref).map_err(Clone::clone)
}

/// The credential views' configuration: the demo's key (or HS256 with the demo secret), the
/// demo's users, access tokens for 15 minutes, refresh tokens for a day, rotation on, cookie
/// mode.
static ISSUER: LazyLock<Result<JwtIssuer, JwtConfigError>> = LazyLock::new(|| {
    let cfg = DemoConfig::get();
    let secure = std::env::var("DMR_DEMO_SECURE_COOKIES").is_ok_and(|v| v == "1");
    let cookies = JwtCookies::new(REFRESH_PATH)
        .secure(secure)
        .same_site(SameSite::Lax);
    let users = crate::session::user_store();
    let issuer = match ring()? {
        Some(ring) => JwtIssuer::key_ring(ring, users)?,
        None => JwtIssuer::hs256(cfg.jwt_secret.as_bytes(), users)?,
    };
    let issuer = issuer.password_login(crate::session::password_login().clone());
    let issuer = match crate::stores::throttle_counters() {
        Some(counters) => issuer.throttle_store(counters),
        None => issuer,
    };
    issuer
        .access_ttl(Duration::from_secs(15 * 60))
        .refresh_ttl(Duration::from_secs(24 * 3600))
        .blocklist(crate::stores::blocklist())
        .rotate_refresh_tokens(true)
        .map(|issuer| issuer.cookies(cookies))
});

/// What checks the demo's tokens: its key ring, or HS256 with the demo secret.
fn verifier() -> Result<JwtAuth, JwtConfigError> {
    match ring()? {
        Some(ring) => JwtAuth::key_ring(ring),
        None => JwtAuth::hs256(DemoConfig::get().jwt_secret.as_bytes()),
    }
}

/// Header JWT (`Authorization: Bearer <token>`), revoked tokens refused.
pub fn jwt() -> Result<JwtAuth<NoLoader, Blocklist>, JwtConfigError> {
    Ok(verifier()?.blocklist(crate::stores::blocklist()))
}

/// Cookie JWT (the `access_token` cookie, CSRF on unsafe methods), revoked tokens refused.
pub fn cookie_jwt() -> Result<JwtAuth<NoLoader, Blocklist>, JwtConfigError> {
    Ok(verifier()?
        .from_cookie()
        .scheme_name("jwt_cookie")
        .blocklist(crate::stores::blocklist()))
}

/// Where the demo serves its JWKS when it signs with a key of its own.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// Mounts the JWKS document (public halves only, `Cache-Control: public, max-age=300`) when
/// `DMR_DEMO_JWT_KEY` is set; nothing otherwise (an HMAC secret is never published).
pub fn jwks(cfg: &mut actix_web::web::ServiceConfig) {
    if let Ok(Some(ring)) = ring() {
        ring.serve(JWKS_PATH)(cfg);
    }
}

/// The token's claims and an echo, mounted twice: behind the header JWT at `/api/jwt/` and
/// behind the cookie JWT at `/api/jwt-cookie/` (the auth is the scope's).
pub struct Claims;

#[controller(path = "")]
impl Claims {
    /// The token's subject and extras.
    #[endpoint(get, path = "/")]
    async fn claims(token: Authed<JwtToken>) -> Json<Value> {
        Json(json!({"sub": token.sub, "extras": token.extras}))
    }

    /// Echoes the JSON body with 201 (an unsafe method: behind the cookie JWT it needs the
    /// `X-CSRFToken` header).
    #[endpoint(post, path = "/")]
    async fn echo(body: Json<Value>) -> (Json<Value>, StatusCode) {
        (body, StatusCode::CREATED)
    }
}

/// Mounts the JWT endpoints and the credential views; an auth that cannot be built is named
/// with its scope and the fix.
pub fn mount(api: ApiBuilder) -> Result<ApiBuilder, String> {
    let built = |scope: &str, auth: Result<_, JwtConfigError>| {
        auth.map_err(|e| format!("auth `JwtAuth` of scope `{scope}` cannot be built: {e}"))
    };
    let header = built("/api/jwt", jwt())?;
    let cookie = built("/api/jwt-cookie", cookie_jwt())?;
    Ok(api
        .scope("/api/jwt", |s| s.auth(header).controller::<Claims>())
        .scope("/api/jwt-cookie", |s| s.auth(cookie).controller::<Claims>())
        .scope("/api/jwt", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtVerify>()
                .controller::<JwtLogout>()
        }))
}

/// The issuer the credential views read, for `App::app_data`.
pub fn app_data() -> Result<Data<JwtIssuer>, JwtConfigError> {
    ISSUER
        .as_ref()
        .map(JwtIssuer::app_data)
        .map_err(Clone::clone)
}

/// A one-day access token for `sub`, signed with the demo's key or secret (its own family, so a
/// logout with it revokes nothing else).
pub fn mint_token(sub: &str) -> Result<String, String> {
    let issuer = ISSUER.as_ref().map_err(ToString::to_string)?;
    let mut token = issuer
        .claims(sub, "access", "cli")
        .map_err(|e| e.to_string())?;
    token.exp = token.iat + 24 * 3600;
    let family = format!("cli-{}", token.jti.clone().unwrap_or_default());
    issuer
        .sign(&token.with_family(family))
        .map_err(|e| e.to_string())
}
