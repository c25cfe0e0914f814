//! dmr cases: (c) the endpoints, (f) chains, and (b') hand-written handlers that call dmr's
//! backend checks inline (the same check as (c) without the dispatch, so `c - b'` is what
//! the dispatch itself costs).

use std::sync::LazyLock;

use actix_web::web::{self, ServiceConfig};
use actix_web::{Either, HttpRequest, HttpResponse};
use dmr_runtime::auth::{AuthRequest, InlineAuth};
use dmr_runtime::backends::basic::{BasicUser, HttpBasic, InlineVerifier};
use dmr_runtime::backends::jwt::blocklist::{
    Blocklist, BlocklistStore, Entry, MemoryBlocklist, RedisBlocklist,
};
use dmr_runtime::backends::jwt::{JwtAuth, JwtToken, NoLoader};
use dmr_runtime::prelude::*;
use dmr_runtime::{Api, Controller};

use crate::actix_cases::unauthorized;
use crate::{SECRET, check};

type Check = fn(&str, &str) -> bool;

fn jwt_auth() -> JwtAuth {
    JwtAuth::hs256(SECRET).expect("secret")
}

/// A memory blocklist holding 100 000 revoked tokens (none of them the bench token).
static MEMORY: LazyLock<Blocklist> = LazyLock::new(|| {
    let store = MemoryBlocklist::new(200_000);
    for i in 0..100_000 {
        store
            .insert(Entry::Token(&format!("revoked-{i:026}")), i64::MAX)
            .expect("room for the bench entries");
    }
    Blocklist::new(store)
});

/// The Redis blocklist at 127.0.0.1:6379, under a prefix of its own.
static REDIS: LazyLock<Blocklist> = LazyLock::new(|| {
    let store = RedisBlocklist::new("redis://127.0.0.1:6379")
        .expect("redis url")
        .prefix("dmr-bench:jwt:");
    Blocklist::new(store)
});

fn jwt_memory() -> JwtAuth<NoLoader, Blocklist> {
    jwt_auth().blocklist(MEMORY.clone())
}

fn jwt_redis() -> JwtAuth<NoLoader, Blocklist> {
    jwt_auth().blocklist(REDIS.clone())
}

fn basic_auth() -> HttpBasic<InlineVerifier<Check>> {
    HttpBasic::new(check as Check)
}

/// A Basic auth that a Bearer credential makes skip; distinct scheme names.
fn skip(name: &'static str) -> HttpBasic<InlineVerifier<Check>> {
    HttpBasic::new(check as Check).scheme_name(name)
}

pub(crate) fn mount<C: Controller>(cfg: &mut ServiceConfig) {
    Api::new()
        .controller::<C>()
        .build()
        .expect("bench api")
        .configure(cfg);
}

/// (c) JWT.
pub struct JwtC;

#[controller(path = "/x", auth = [jwt_auth()])]
impl JwtC {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.into_inner().sub
    }
}

/// (c) JWT, the handler not reading the identity: what `Authed<T>` costs.
pub struct JwtNoArg;

#[controller(path = "/x", auth = [jwt_auth()])]
impl JwtNoArg {
    #[endpoint(get, path = "")]
    async fn get() -> String {
        "admin".to_owned()
    }
}

/// (h) JWT with the memory blocklist.
pub struct JwtMemory;

#[controller(path = "/x", auth = [jwt_memory()])]
impl JwtMemory {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.into_inner().sub
    }
}

/// (h) JWT with the Redis blocklist.
pub struct JwtRedis;

#[controller(path = "/x", auth = [jwt_redis()])]
impl JwtRedis {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.into_inner().sub
    }
}

/// (c) Basic.
pub struct BasicC;

#[controller(path = "/x", auth = [basic_auth()])]
impl BasicC {
    #[endpoint(get, path = "")]
    async fn get(user: Authed<BasicUser>) -> String {
        // moved out, as the hand-written (b') handler moves it
        user.into_inner().username
    }
}

/// (f) A chain of 3: two Basic auths skip, then JWT.
pub struct Chain3;

#[controller(path = "/x", auth = [skip("s1"), skip("s2"), jwt_auth()])]
impl Chain3 {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.into_inner().sub
    }
}

/// (f) A chain of 4: three Basic auths skip, then JWT.
pub struct Chain4;

#[controller(path = "/x", auth = [skip("s1"), skip("s2"), skip("s3"), jwt_auth()])]
impl Chain4 {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.into_inner().sub
    }
}

/// (f) A chain of 16: fifteen Basic auths skip, then JWT.
pub struct Chain16;

#[controller(
    path = "/x",
    auth = [
        skip("s1"), skip("s2"), skip("s3"), skip("s4"), skip("s5"), skip("s6"), skip("s7"),
        skip("s8"), skip("s9"), skip("s10"), skip("s11"), skip("s12"), skip("s13"), skip("s14"),
        skip("s15"), jwt_auth(),
    ]
)]
impl Chain16 {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.into_inner().sub
    }
}

/// (c) dmr JWT endpoint.
pub fn jwt(cfg: &mut ServiceConfig) {
    mount::<JwtC>(cfg);
}

/// (c) dmr JWT endpoint whose handler takes no identity.
pub fn jwt_no_arg(cfg: &mut ServiceConfig) {
    mount::<JwtNoArg>(cfg);
}

/// (h) dmr JWT endpoint with the memory blocklist.
pub fn jwt_memory_blocklist(cfg: &mut ServiceConfig) {
    mount::<JwtMemory>(cfg);
}

/// (h) dmr JWT endpoint with the Redis blocklist.
pub fn jwt_redis_blocklist(cfg: &mut ServiceConfig) {
    mount::<JwtRedis>(cfg);
}

/// (c) dmr Basic endpoint.
pub fn basic(cfg: &mut ServiceConfig) {
    mount::<BasicC>(cfg);
}

/// (f) chain of 1 (the same endpoint as (c) JWT).
pub fn chain1(cfg: &mut ServiceConfig) {
    mount::<JwtC>(cfg);
}

/// (f) chain of 3.
pub fn chain3(cfg: &mut ServiceConfig) {
    mount::<Chain3>(cfg);
}

/// (f) chain of 4.
pub fn chain4(cfg: &mut ServiceConfig) {
    mount::<Chain4>(cfg);
}

/// (f) chain of 16.
pub fn chain16(cfg: &mut ServiceConfig) {
    mount::<Chain16>(cfg);
}

static JWT_AUTH: LazyLock<JwtAuth> = LazyLock::new(jwt_auth);
static BASIC_AUTH: LazyLock<HttpBasic<InlineVerifier<Check>>> = LazyLock::new(basic_auth);

/// (b') A hand-written handler calling dmr's JWT check.
pub fn inline_dmr_jwt(cfg: &mut ServiceConfig) {
    async fn handler(req: HttpRequest) -> Either<String, HttpResponse> {
        match JWT_AUTH.authenticate_inline(&AuthRequest::live(&req)) {
            Ok(Some(token)) => Either::Left(token.sub),
            _ => Either::Right(unauthorized("Bearer")),
        }
    }
    cfg.route("/x", web::get().to(handler));
}

/// (b') A hand-written handler calling dmr's Basic check.
pub fn inline_dmr_basic(cfg: &mut ServiceConfig) {
    async fn handler(req: HttpRequest) -> Either<String, HttpResponse> {
        match BASIC_AUTH.authenticate_inline(&AuthRequest::live(&req)) {
            Ok(Some(user)) => Either::Left(user.username),
            _ => Either::Right(unauthorized("Basic realm=\"api\"")),
        }
    }
    cfg.route("/x", web::get().to(handler));
}
