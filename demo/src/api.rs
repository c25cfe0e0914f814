//! The demo's controllers: one per auth style the README walks through.

use actix_web::http::StatusCode;
use actix_web::web::Json;
use dmr_runtime::backends::basic::{BasicUser, HttpBasic, InlineVerifier, constant_time_eq};
use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError, JwtToken};
use dmr_runtime::backends::tokens::ApiTokens;
use dmr_runtime::prelude::*;
use serde_json::{Value, json};

use crate::config::DemoConfig;

/// Basic credentials of the demo user, compared in constant time.
fn check_password(user: &str, password: &str) -> bool {
    let cfg = DemoConfig::get();
    // evaluate both comparisons: no early exit on the user name
    let user_ok = constant_time_eq(user, &cfg.user);
    let pass_ok = constant_time_eq(password, &cfg.password);
    user_ok & pass_ok
}

/// A password check as a plain function pointer, so the auth type can be named.
type Check = fn(&str, &str) -> bool;

fn basic() -> HttpBasic<InlineVerifier<Check>> {
    HttpBasic::new(check_password as Check).realm("dmr-demo")
}

/// Header JWT (`Authorization: Bearer <token>`), HS256 with the demo secret.
fn jwt() -> Result<JwtAuth, JwtConfigError> {
    JwtAuth::hs256(DemoConfig::get().jwt_secret.as_bytes())
}

/// No auth at all.
pub struct Public;

#[controller(path = "/api/public")]
impl Public {
    /// Public: `auth = none` turns off every layer.
    #[endpoint(get, path = "/", auth = none)]
    async fn get() -> Json<&'static str> {
        Json("public")
    }
}

/// HTTP Basic.
pub struct Basic;

#[controller(path = "/api/basic", auth = [basic()])]
impl Basic {
    /// HTTP Basic: `admin` / `DMR_DEMO_PASSWORD`.
    #[endpoint(get, path = "/")]
    async fn get() -> Json<&'static str> {
        Json("authed")
    }
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

/// A chain: JWT first, then Basic.
pub struct Chain;

#[controller(path = "/api/chain", auth = [jwt(), basic()])]
impl Chain {
    /// Which auth of the chain let the request in.
    #[endpoint(get, path = "/")]
    async fn which(info: AuthInfo) -> Json<Value> {
        Json(json!({"auth": info.scheme()}))
    }
}

/// A sync controller: plain `fn` endpoints run with their chain on the blocking pool.
pub struct Reports;

#[controller(path = "/api/sync", auth = [HttpBasic::blocking(check_password)])]
impl Reports {
    /// Sync endpoint behind a sync (blocking-capable) Basic check.
    #[endpoint(get, path = "/")]
    fn get(user: Authed<BasicUser>) -> Json<Value> {
        Json(json!({"user": user.username, "thread": std::thread::current().name()}))
    }
}

/// The demo API.
pub fn build(tokens: ApiTokens) -> Result<Api, dmr_runtime::ApiError> {
    let api = crate::session::mount(crate::docs::with_docs(Api::new()));
    crate::tokens::mount(api, tokens)
        .controller::<Public>()
        .controller::<Basic>()
        .controller::<Jwt>()
        .controller::<Chain>()
        .controller::<Reports>()
        .build()
}

/// A token for `sub`, valid for a day, signed with the demo secret.
pub fn mint_token(sub: &str) -> String {
    JwtToken::new(sub, std::time::Duration::from_secs(24 * 3600))
        .with_type("access")
        .encode_hs256(DemoConfig::get().jwt_secret.as_bytes())
        .unwrap_or_else(|e| panic!("cannot sign a demo token: {e}"))
}
