//! Shared by the token tests: an API with token-guarded endpoints (async, sync, cookie,
//! `Authorization: Token`, a chain with Basic), the obtain and manage controllers, and
//! client helpers.

#![allow(dead_code)]

use dmr_runtime::backends::basic::{HttpBasic, constant_time_eq};
use dmr_runtime::backends::csrf::CsrfConfig;
use dmr_runtime::backends::tokens::{ApiTokens, TokenManage, TokenObtain, TokenUser};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;
use dmr_tests::{Seen, TestServer, send, serve};

pub const PASS: &str = "s3cret-pass";

/// Cheap Argon2 costs: tests hash many passwords.
pub fn cheap() -> Argon2Params {
    Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).expect("valid costs")
}

/// `admin` (id 1, active), `bob` (id 2, active), `inactive` (id 3).
pub fn memory_users() -> std::sync::Arc<MemoryUsers> {
    let users = MemoryUsers::with_params(cheap());
    users.add("1", "admin", PASS).unwrap();
    users.add("2", "bob", PASS).unwrap();
    users.add("3", "inactive", PASS).unwrap();
    users.set_active("inactive", false);
    std::sync::Arc::new(users)
}

/// The cookie auth of the tests: CSRF with the test host trusted.
pub fn cookie_auth(t: &ApiTokens) -> dmr_runtime::backends::tokens::TokenAuth {
    t.cookie()
        .scheme_name("token_cookie")
        .csrf(CsrfConfig::new())
}

pub struct Guarded;

#[controller(path = "/t", auth = [|t: &ApiTokens| t.header()])]
impl Guarded {
    #[endpoint(get, path = "/async/")]
    async fn get_async(user: Authed<TokenUser>) -> String {
        format!("{}:{}", user.username, user.token.name)
    }

    #[endpoint(get, path = "/chain/", auth = [|t: &ApiTokens| cookie_auth(t), HttpBasic::new(|u, p| u == "basic" && constant_time_eq(p, "pw"))])]
    async fn chain(info: AuthInfo) -> String {
        info.scheme().to_owned()
    }
}

pub struct GuardedSync;

#[controller(path = "/s", auth = [|t: &ApiTokens| t.header()])]
impl GuardedSync {
    #[endpoint(get, path = "/sync/")]
    fn get_sync(user: Authed<TokenUser>) -> String {
        format!("sync {}", user.username)
    }
}

pub struct Cookie;

#[controller(path = "/c", auth = [|t: &ApiTokens| cookie_auth(t)])]
impl Cookie {
    #[endpoint(get, path = "/")]
    async fn read(user: Authed<TokenUser>) -> String {
        user.username.clone()
    }

    #[endpoint(post, path = "/")]
    async fn write(user: Authed<TokenUser>) -> String {
        format!("written by {}", user.username)
    }
}

pub struct Drf;

#[controller(path = "/drf", auth = [|t: &ApiTokens| t.header().header("Authorization").prefix("Token").scheme_name("drf")])]
impl Drf {
    #[endpoint(get, path = "/")]
    async fn read(user: Authed<TokenUser>) -> String {
        user.username.clone()
    }
}

/// The whole API over `tokens`.
pub fn api(tokens: ApiTokens) -> Api {
    Api::new()
        .state(tokens)
        .controller::<Guarded>()
        .controller::<GuardedSync>()
        .controller::<Cookie>()
        .controller::<Drf>()
        .scope("/api/tokens", |s| {
            s.controller::<TokenObtain>().controller::<TokenManage>()
        })
        .build()
        .expect("the API builds")
}

pub fn server(tokens: ApiTokens) -> TestServer {
    serve(api(tokens))
}

/// `POST /api/tokens/` with these credentials.
pub async fn obtain(srv: &TestServer, user: &str, pass: &str) -> Seen {
    let body = serde_json::json!({"username": user, "password": pass}).to_string();
    send(
        srv,
        "POST",
        "/api/tokens/",
        &[("content-type", b"application/json")],
        Some(body.as_bytes()),
    )
    .await
}

/// A fresh raw token of `user`.
pub async fn token_of(srv: &TestServer, user: &str) -> String {
    let seen = obtain(srv, user, PASS).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    seen.json()["token"].as_str().expect("a token").to_owned()
}

/// `method path` with `X-API-Token: raw`.
pub async fn with_token(srv: &TestServer, method: &str, path: &str, raw: &str) -> Seen {
    send(srv, method, path, &[("x-api-token", raw.as_bytes())], None).await
}
