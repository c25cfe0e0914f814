//! The JWT lifecycle: `POST /api/jwt/obtain/`, `refresh/`, `verify/` and `logout/`, with
//! refresh rotation and a blocklist (in memory; in Redis when `DMR_DEMO_REDIS_URL` names
//! one), the header JWT on `/api/jwt/` and the cookie JWT on `/api/jwt-cookie/`.
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
use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist, RedisBlocklist};
use dmr_runtime::backends::jwt::{
    JwtAuth, JwtConfigError, JwtCookies, JwtIssuer, JwtLogout, JwtObtain, JwtRefresh, JwtToken,
    JwtVerify, NoLoader,
};
use dmr_runtime::prelude::*;
use serde_json::{Value, json};

use crate::config::DemoConfig;

/// Where the refresh view is mounted: the refresh cookie's `Path`.
const REFRESH_PATH: &str = "/api/jwt/refresh/";

/// The revoked tokens: in memory, or in the Redis named by `DMR_DEMO_REDIS_URL`.
static BLOCKLIST: LazyLock<Blocklist> =
    LazyLock::new(|| match std::env::var("DMR_DEMO_REDIS_URL") {
        Ok(url) => {
            let store = RedisBlocklist::new(&url)
                .unwrap_or_else(|e| panic!("`DMR_DEMO_REDIS_URL` is not a Redis URL: {e}"))
                .prefix("dmr-demo:jwt:");
            Blocklist::new(store)
        }
        Err(_) => Blocklist::new(MemoryBlocklist::default()),
    });

/// The credential views' configuration: HS256 with the demo secret, the demo's users,
/// access tokens for 15 minutes, refresh tokens for a day, rotation on, cookie mode.
static ISSUER: LazyLock<Result<JwtIssuer, JwtConfigError>> = LazyLock::new(|| {
    let cfg = DemoConfig::get();
    let secure = std::env::var("DMR_DEMO_SECURE_COOKIES").is_ok_and(|v| v == "1");
    let cookies = JwtCookies::new(REFRESH_PATH)
        .secure(secure)
        .same_site(SameSite::Lax);
    JwtIssuer::hs256(cfg.jwt_secret.as_bytes(), crate::session::user_store())?
        .password_login(crate::session::password_login().clone())
        .access_ttl(Duration::from_secs(15 * 60))
        .refresh_ttl(Duration::from_secs(24 * 3600))
        .blocklist(BLOCKLIST.clone())
        .rotate_refresh_tokens(true)
        .map(|issuer| issuer.cookies(cookies))
});

/// Header JWT (`Authorization: Bearer <token>`), HS256 with the demo secret, revoked tokens
/// refused.
pub fn jwt() -> Result<JwtAuth<NoLoader, Blocklist>, JwtConfigError> {
    Ok(JwtAuth::hs256(DemoConfig::get().jwt_secret.as_bytes())?.blocklist(BLOCKLIST.clone()))
}

/// Cookie JWT (the `access_token` cookie, CSRF on unsafe methods), revoked tokens refused.
pub fn cookie_jwt() -> Result<JwtAuth<NoLoader, Blocklist>, JwtConfigError> {
    Ok(JwtAuth::hs256(DemoConfig::get().jwt_secret.as_bytes())?
        .from_cookie()
        .scheme_name("jwt_cookie")
        .blocklist(BLOCKLIST.clone()))
}

/// JWT in the `Authorization` header.
pub struct Jwt;

#[controller(path = "/api/jwt", auth = [jwt()])]
impl Jwt {
    /// The token's subject and extras.
    #[endpoint(get, path = "/")]
    async fn claims(token: Authed<JwtToken>) -> Json<Value> {
        Json(json!({"sub": token.sub, "extras": token.extras}))
    }

    /// Echoes the JSON body with 201.
    #[endpoint(post, path = "/")]
    async fn echo(body: Json<Value>) -> (Json<Value>, StatusCode) {
        (body, StatusCode::CREATED)
    }
}

/// JWT in the `access_token` cookie.
pub struct JwtCookie;

#[controller(path = "/api/jwt-cookie", auth = [cookie_jwt()])]
impl JwtCookie {
    /// The token's subject and extras.
    #[endpoint(get, path = "/")]
    async fn claims(token: Authed<JwtToken>) -> Json<Value> {
        Json(json!({"sub": token.sub, "extras": token.extras}))
    }

    /// Echoes the JSON body with 201 (an unsafe method: needs the `X-CSRFToken` header).
    #[endpoint(post, path = "/")]
    async fn echo(body: Json<Value>) -> (Json<Value>, StatusCode) {
        (body, StatusCode::CREATED)
    }
}

/// Mounts the JWT endpoints and the credential views.
pub fn mount(api: ApiBuilder) -> ApiBuilder {
    api.controller::<Jwt>()
        .controller::<JwtCookie>()
        .scope("/api/jwt", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtVerify>()
                .controller::<JwtLogout>()
        })
}

/// The issuer the credential views read, for `App::app_data`.
pub fn app_data() -> Result<Data<JwtIssuer>, JwtConfigError> {
    ISSUER
        .as_ref()
        .map(JwtIssuer::app_data)
        .map_err(Clone::clone)
}

/// A one-day access token for `sub`, signed with the demo secret (its own family, so a
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
