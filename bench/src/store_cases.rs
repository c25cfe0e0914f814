//! Cases that ask a store on the JWT endpoint's path (issue 22): the JWT endpoint with one
//! in-memory throttle (`t-jwt-memory`) and the opaque API token on SQLite (`k-sqlite`). Each
//! is read against the dmr JWT endpoint (`c-jwt`) measured in the same run.

use std::sync::LazyLock;

use actix_web::web::ServiceConfig;
use dmr_runtime::Api;
use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
use dmr_runtime::backends::tokens::{ApiTokens, Expiry, SqliteTokens, TokenHasher, TokenUser};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;

use crate::SECRET;

/// Far above what any run sends: every request passes and is counted.
const MAX: u32 = 1_000_000_000;

/// (t) The JWT endpoint with one in-memory throttle (fixed window, by client address).
pub struct JwtThrottled;

#[controller(
    path = "/x",
    auth = [JwtAuth::hs256(SECRET).expect("secret")],
    throttle = [Throttle::per_second(MAX)],
)]
impl JwtThrottled {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.into_inner().sub
    }
}

/// (k) The opaque-token endpoint: `X-API-Token`, the user name as the body.
pub struct TokenC;

#[controller(path = "/x", auth = [|t: &ApiTokens| t.header()])]
impl TokenC {
    #[endpoint(get, path = "")]
    async fn get(user: Authed<TokenUser>) -> String {
        user.into_inner().username
    }
}

/// The SQLite token store (a file in the temporary directory, one per process), its one
/// user `admin`, and the raw token issued to it.
static TOKENS: LazyLock<(ApiTokens, String)> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("dmr-bench-k-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("tokens.sqlite3");
    let _ = std::fs::remove_file(&path);
    let store = SqliteTokens::open(&path).expect("sqlite");
    // the token check never hashes a password: the cheapest costs keep setup short
    let params = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).expect("costs");
    let users = MemoryUsers::with_params(params);
    users.add("1", "admin", "pass").expect("user");
    let tokens =
        ApiTokens::new(store, users, TokenHasher::new("bench-token-secret")).track_last_used(None);
    // issued on a thread of its own: the case is built inside a runtime already
    let issuer = tokens.clone();
    let raw = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(issuer.issue("1", None, Expiry::Never))
            .expect("issue")
            .1
    })
    .join()
    .expect("issuing thread");
    (tokens, raw)
});

/// The raw API token of the `k-sqlite` case.
pub fn api_token() -> String {
    TOKENS.1.clone()
}

/// (t) dmr JWT endpoint with one in-memory throttle.
pub fn jwt_memory_throttle(cfg: &mut ServiceConfig) {
    crate::dmr_cases::mount::<JwtThrottled>(cfg);
}

/// (k) dmr opaque-token endpoint on SQLite.
pub fn sqlite_token(cfg: &mut ServiceConfig) {
    Api::new()
        .state(TOKENS.0.clone())
        .controller::<TokenC>()
        .build()
        .expect("bench api")
        .configure(cfg);
}
