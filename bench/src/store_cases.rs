//! Cases with a store on the JWT endpoint's path or instead of it (issue 22): the JWT endpoint
//! with one in-memory throttle, and an opaque API token (`X-API-Token`) on SQLite.

use std::sync::LazyLock;

use actix_web::web::ServiceConfig;
use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
use dmr_runtime::backends::tokens::{ApiTokens, Expiry, SqliteTokens, TokenHasher, TokenUser};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;
use dmr_runtime::throttle::MemoryStore;

use crate::SECRET;
use crate::dmr_cases::mount;

/// Far above what a run sends: every request passes and is counted.
const MAX: u32 = 1_000_000_000;

static THROTTLE: LazyLock<MemoryStore> = LazyLock::new(|| MemoryStore::new(10_000));

/// (i) JWT with one in-memory throttle (fixed window, keyed on the client address).
pub struct JwtThrottled;

#[controller(
    path = "/x",
    auth = [JwtAuth::hs256(SECRET).expect("secret")],
    throttle = [Throttle::per_second(MAX).store(THROTTLE.clone())]
)]
impl JwtThrottled {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.into_inner().sub
    }
}

/// (i) dmr JWT endpoint with an in-memory throttle.
pub fn jwt_throttled(cfg: &mut ServiceConfig) {
    mount::<JwtThrottled>(cfg);
}

/// Opaque tokens in a SQLite file (last-used tracking off), with one token issued for `1`.
static TOKENS: LazyLock<(ApiTokens, String)> = LazyLock::new(|| {
    let path = std::env::temp_dir().join(format!("dmr-bench-token-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = SqliteTokens::open(&path).expect("sqlite");
    let params = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).expect("costs");
    let users = MemoryUsers::with_params(params);
    users.add("1", "admin", "pass").expect("hash");
    let tokens =
        ApiTokens::new(store, users, TokenHasher::new("bench-token-secret")).track_last_used(None);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (_, raw) = rt
        .block_on(tokens.issue("1", None, Expiry::Never))
        .expect("issue");
    (tokens, raw)
});

/// The raw token of the SQLite case.
pub fn api_token() -> String {
    TOKENS.1.clone()
}

/// (j) An opaque token endpoint.
pub struct TokenC;

#[controller(path = "/x", auth = [|t: &ApiTokens| t.header()])]
impl TokenC {
    #[endpoint(get, path = "")]
    async fn get(user: Authed<TokenUser>) -> String {
        user.into_inner().username
    }
}

/// (j) dmr endpoint, `X-API-Token` on SQLite.
pub fn token_sqlite(cfg: &mut ServiceConfig) {
    dmr_runtime::Api::new()
        .state(TOKENS.0.clone())
        .controller::<TokenC>()
        .build()
        .expect("bench api")
        .configure(cfg);
}
