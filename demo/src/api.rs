//! The demo's controllers: one per auth style the README walks through.

use actix_web::web::Json;
use dmr_runtime::backends::basic::{BasicAuth, BasicUser, HttpBasic, constant_time_eq};
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

fn basic() -> BasicAuth {
    BasicAuth::new(check_password).realm("dmr-demo")
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

    /// Plain text: answers `text/plain`, so `Accept: application/json` gets 406.
    #[endpoint(get, path = "/text", auth = none)]
    async fn text() -> &'static str {
        "public text"
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

/// A chain: JWT first, then Basic.
pub struct Chain;

#[controller(path = "/api/chain", auth = [crate::jwt::jwt(), basic()])]
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

/// The demo API. `/api/public` (no trailing slash) redirects to `/api/public/`.
pub fn build(tokens: ApiTokens) -> Result<Api, Box<dyn std::error::Error>> {
    let api = Api::new().redirect_slash(true);
    let api = crate::jwt::mount(crate::session::mount(crate::docs::with_docs(api)))?;
    Ok(crate::tokens::mount(api, tokens)
        .controller::<Public>()
        .controller::<Basic>()
        .controller::<Chain>()
        .controller::<Reports>()
        .build()?)
}
