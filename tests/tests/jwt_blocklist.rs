//! The JWT blocklist through real servers: revoked tokens and families are refused by the
//! header auth on async and sync endpoints, the Redis store is shared by two servers, and a
//! store that stops answering fails closed (503) and recovers by itself.

mod jwt_support;

use std::time::Duration;

use dmr_runtime::backends::jwt::blocklist::{
    BLOCKLIST_UNAVAILABLE, Blocklist, BlocklistStore, Entry, MemoryBlocklist, RedisBlocklist,
};
use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, TestServer, get, serve};
use jwt_support::*;

/// Async endpoints; the chain comes from the scope.
struct Me;

#[controller(path = "/me")]
impl Me {
    #[endpoint(get, path = "/")]
    async fn me(token: Authed<JwtToken>) -> String {
        format!("async:{}", token.sub)
    }
}

/// Sync endpoints: the blocklist is asked from the blocking pool.
struct SyncMe;

#[controller(path = "/sync")]
impl SyncMe {
    #[endpoint(get, path = "/")]
    fn me(token: Authed<JwtToken>) -> String {
        format!("sync:{}", token.sub)
    }
}

fn server(blocklist: &Blocklist) -> TestServer {
    let auth = JwtAuth::hs256(SECRET).unwrap().blocklist(blocklist.clone());
    let api = Api::new()
        .scope("", |s| {
            s.auth(auth).controller::<Me>().controller::<SyncMe>()
        })
        .build()
        .expect("api builds");
    serve(api)
}

async fn both(srv: &TestServer, token: &str) -> [(u16, String); 2] {
    let h = bearer(token);
    let a = get(srv, "/me/", &[("Authorization", &h)]).await;
    let s = get(srv, "/sync/", &[("Authorization", &h)]).await;
    [(a.status.as_u16(), a.text()), (s.status.as_u16(), s.text())]
}

fn ok(sub: &str) -> [(u16, String); 2] {
    [(200, format!("async:{sub}")), (200, format!("sync:{sub}"))]
}

fn refused() -> [(u16, String); 2] {
    [
        (401, NOT_AUTHENTICATED.to_owned()),
        (401, NOT_AUTHENTICATED.to_owned()),
    ]
}

fn unavailable() -> [(u16, String); 2] {
    let body = format!(r#"{{"detail":[{{"msg":"{BLOCKLIST_UNAVAILABLE}"}}]}}"#);
    [(503, body.clone()), (503, body)]
}

#[actix_rt::test]
async fn revoked_tokens_and_families_are_refused() {
    let blocklist = Blocklist::new(MemoryBlocklist::new(100));
    let srv = server(&blocklist);
    let token = access("7", "jti-1");
    assert_eq!(both(&srv, &token).await, ok("7"));

    blocklist
        .store()
        .insert(Entry::Token("jti-1"), now() + 300)
        .unwrap();
    assert_eq!(both(&srv, &token).await, refused());
    // another token of the same user is not affected
    assert_eq!(both(&srv, &access("7", "jti-2")).await, ok("7"));

    // a revoked family refuses every token carrying it
    let fam = |jti: &str| {
        JwtToken::new("8", Duration::from_secs(300))
            .with_jti(jti)
            .with_family("fam-1")
            .encode_hs256(SECRET)
            .unwrap()
    };
    assert_eq!(both(&srv, &fam("a")).await, ok("8"));
    blocklist
        .store()
        .insert(Entry::Family("fam-1"), now() + 300)
        .unwrap();
    assert_eq!(both(&srv, &fam("a")).await, refused());
    assert_eq!(both(&srv, &fam("b")).await, refused());
}

#[actix_rt::test]
async fn a_token_without_jti_cannot_be_revoked_so_it_is_refused() {
    let srv = server(&Blocklist::new(MemoryBlocklist::new(10)));
    let no_jti = JwtToken::new("7", Duration::from_secs(300))
        .encode_hs256(SECRET)
        .unwrap();
    assert_eq!(both(&srv, &no_jti).await, refused());
    // without a header the auth still skips: the plain 401 of an empty chain
    let seen = get(&srv, "/me/", &[]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.into())
    );
}

#[actix_rt::test]
async fn a_full_memory_store_fails_closed_on_revocation_not_on_checks() {
    let blocklist = Blocklist::new(MemoryBlocklist::new(1));
    let srv = server(&blocklist);
    blocklist
        .store()
        .insert(Entry::Token("x"), now() + 300)
        .unwrap();
    assert!(
        blocklist
            .store()
            .insert(Entry::Token("y"), now() + 300)
            .is_err()
    );
    assert_eq!(both(&srv, &access("1", "y")).await, ok("1"));
    assert_eq!(both(&srv, &access("1", "x")).await, refused());
}

fn redis_blocklist(url: &str, prefix: &str) -> Blocklist {
    Blocklist::new(
        RedisBlocklist::new(url)
            .unwrap()
            .prefix(prefix)
            .timeout(Duration::from_millis(500)),
    )
}

#[actix_rt::test]
async fn a_token_revoked_through_one_server_is_refused_by_another_sharing_redis() {
    if !redis_or_skip("a_token_revoked_through_one_server_is_refused_by_another_sharing_redis") {
        return;
    }
    let prefix = prefix("blocklist-shared");
    let url = format!("redis://{REDIS}");
    // two stores, two servers: they share only Redis
    let (bl_a, bl_b) = (
        redis_blocklist(&url, &prefix),
        redis_blocklist(&url, &prefix),
    );
    let (a, b) = (server(&bl_a), server(&bl_b));
    let token = access("5", "shared-jti");
    assert_eq!(both(&a, &token).await, ok("5"));
    assert_eq!(both(&b, &token).await, ok("5"));

    let revoked = bl_a
        .store()
        .insert_async(Entry::Token("shared-jti"), now() + 300)
        .await;
    assert_eq!(revoked, Ok(true));
    assert_eq!(both(&b, &token).await, refused());
    assert_eq!(both(&a, &token).await, refused());
    // the second revocation, through the other store, is told it was already done
    let again = bl_b.store().insert(Entry::Token("shared-jti"), now() + 300);
    assert_eq!(again, Ok(false));
    assert_eq!(both(&b, &access("5", "other-jti")).await, ok("5"));
}

#[actix_rt::test]
async fn redis_keys_expire_with_the_token() {
    if !redis_or_skip("redis_keys_expire_with_the_token") {
        return;
    }
    let prefix = prefix("blocklist-ttl");
    let store = RedisBlocklist::new(&format!("redis://{REDIS}"))
        .unwrap()
        .prefix(&prefix);
    assert_eq!(store.insert(Entry::Token("t"), now() + 120), Ok(true));
    let key = format!("{prefix}jti:t");
    let out = std::process::Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", "6379", "TTL", &key])
        .output()
        .expect("redis-cli");
    let ttl: i64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert!((110..=120).contains(&ttl), "TTL {ttl}");
}

#[actix_rt::test]
async fn a_redis_that_stops_answering_fails_closed_and_service_resumes_after_restart() {
    let Some(mut redis) = OwnRedis::start("fail_closed") else {
        return;
    };
    let prefix = prefix("fail-closed");
    // a deployment whose epoch marker is an hour old, and a token issued a minute ago
    redis.cli(&[
        "SET",
        &format!("{prefix}epoch"),
        &(now() - 3600).to_string(),
    ]);
    let blocklist = redis_blocklist(&redis.url(), &prefix);
    let srv = server(&blocklist);
    let token = access_issued("3", "fc-jti", 60);
    assert_eq!(both(&srv, &token).await, ok("3"));

    redis.stop();
    // never accepted, never a 500: the documented 503, for as long as Redis is away
    assert_eq!(both(&srv, &token).await, unavailable());
    assert_eq!(both(&srv, &token).await, unavailable());
    for path in ["/me/", "/sync/"] {
        let seen = get(&srv, path, &[("Authorization", &bearer(&token))]).await;
        assert_eq!(seen.header("retry-after"), Some("1"), "{path}");
    }
    // a token that would be refused anyway is still a 401 (no store needed for that)
    let bad = get(&srv, "/me/", &[("Authorization", "Bearer not.a.jwt")]).await;
    assert_eq!(bad.status.as_u16(), 401);

    redis.restart();
    // the restarted server is empty (no persistence): what it held is lost, so the token
    // issued before is refused (see jwt_redis_epoch.rs); one issued now is served again
    assert_eq!(both(&srv, &token).await, refused());
    let fresh = access("3", "fc-fresh");
    assert_eq!(both(&srv, &fresh).await, ok("3"));
    blocklist
        .store()
        .insert(Entry::Token("fc-fresh"), now() + 300)
        .unwrap();
    assert_eq!(both(&srv, &fresh).await, refused());
}

#[actix_rt::test]
async fn a_redis_that_hangs_times_out_into_a_503_and_recovers() {
    let Some(redis) = OwnRedis::start("hangs") else {
        return;
    };
    let blocklist = Blocklist::new(
        RedisBlocklist::new(&redis.url())
            .unwrap()
            .prefix(prefix("hangs"))
            .timeout(Duration::from_millis(200)),
    );
    let srv = server(&blocklist);
    let token = access("4", "hang-jti");
    assert_eq!(both(&srv, &token).await, ok("4"));

    redis.pause();
    // connected, but no answer: the per-operation timeout turns it into the documented 503
    assert_eq!(both(&srv, &token).await, unavailable());
    redis.resume();
    assert_eq!(both(&srv, &token).await, ok("4"));
}
