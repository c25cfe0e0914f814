//! The Redis blocklist notices that Redis came back empty (issue 25, item 6), against a
//! `redis-server` of the test's own without persistence: a token revoked before a restart
//! stays refused after it (fail closed: every token issued before the loss is refused until
//! it expires), a token issued after it is served and can be revoked; and a check stays one
//! round trip (one `EVAL` reading the epoch marker with the entries).

mod jwt_support;

use std::time::Duration;

use dmr_runtime::backends::jwt::blocklist::{Blocklist, RedisBlocklist};
use dmr_runtime::backends::jwt::{JwtAuth, JwtIssuer, JwtLogout, JwtToken};
use dmr_runtime::backends::users::MemoryUsers;
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, TestServer, get, send, serve_with};
use jwt_support::*;

/// Sync endpoints: the blocklist is asked from the blocking pool.
struct SyncMe;

#[controller(path = "/sync")]
impl SyncMe {
    #[endpoint(get, path = "/")]
    fn me(token: Authed<JwtToken>) -> String {
        token.sub.clone()
    }
}

/// `/me/` (async) and `/sync/` behind a JWT auth with `blocklist`, and the logout view.
fn server(blocklist: &Blocklist) -> TestServer {
    let issuer = JwtIssuer::hs256(SECRET, MemoryUsers::new())
        .unwrap()
        .blocklist(blocklist.clone());
    let auth = JwtAuth::hs256(SECRET).unwrap().blocklist(blocklist.clone());
    let api = Api::new()
        .scope("/jwt", |s| s.controller::<JwtLogout>())
        .scope("", |s| {
            s.auth(auth).controller::<Me>().controller::<SyncMe>()
        })
        .build()
        .expect("api builds");
    serve_with(api, move || {
        actix_web::App::new().app_data(issuer.app_data())
    })
}

/// A blocklist on `redis` under a prefix of this test's, whose epoch marker was written an
/// hour ago (a deployment that has been running).
fn running_blocklist(redis: &OwnRedis, test: &str) -> (Blocklist, String) {
    let prefix = prefix(test);
    redis.cli(&[
        "SET",
        &format!("{prefix}epoch"),
        &(now() - 3600).to_string(),
    ]);
    let store = RedisBlocklist::new(&redis.url())
        .unwrap()
        .prefix(prefix.clone())
        .timeout(Duration::from_millis(500));
    (Blocklist::new(store), prefix)
}

/// `GET /me/` and `GET /sync/` with the token: both statuses and bodies.
async fn both(srv: &TestServer, token: &str) -> [(u16, String); 2] {
    let h = bearer(token);
    let a = get(srv, "/me/", &[("Authorization", &h)]).await;
    let s = get(srv, "/sync/", &[("Authorization", &h)]).await;
    [(a.status.as_u16(), a.text()), (s.status.as_u16(), s.text())]
}

fn ok(sub: &str) -> [(u16, String); 2] {
    [(200, sub.to_owned()), (200, sub.to_owned())]
}

fn refused() -> [(u16, String); 2] {
    [
        (401, NOT_AUTHENTICATED.to_owned()),
        (401, NOT_AUTHENTICATED.to_owned()),
    ]
}

async fn logout(srv: &TestServer, token: &str) -> u16 {
    let h = bearer(token);
    let headers: [(&str, &[u8]); 1] = [("Authorization", h.as_bytes())];
    send(srv, "POST", "/jwt/logout/", &headers, None)
        .await
        .status
        .as_u16()
}

#[actix_rt::test]
async fn a_redis_restarted_empty_still_refuses_what_was_revoked_and_serves_new_tokens() {
    let Some(mut redis) = OwnRedis::start("epoch_restart") else {
        return;
    };
    let (blocklist, prefix) = running_blocklist(&redis, "epoch-restart");
    let srv = server(&blocklist);
    let victim = access_issued("7", "victim-jti", 60);
    let other = access_issued("8", "other-jti", 60);
    assert_eq!(both(&srv, &victim).await, ok("7"));
    assert_eq!(logout(&srv, &victim).await, 204);
    assert_eq!(both(&srv, &victim).await, refused());
    assert_eq!(both(&srv, &other).await, ok("8"));

    // Redis restarts with nothing: no persistence (`--save "" --appendonly no`)
    redis.stop();
    redis.restart();
    assert_eq!(redis.cli(&["DBSIZE"]), "0");

    // connections to the old process fail once each (503, fail closed), then reconnect
    let mut seen = both(&srv, &victim).await;
    for _ in 0..20 {
        if seen.iter().all(|(status, _)| *status != 503) {
            break;
        }
        seen = both(&srv, &victim).await;
    }
    // the revocation is not lost: the token issued before the loss is refused
    assert_eq!(seen, refused());
    // fail closed: so is every token issued before the loss, until it expires
    assert_eq!(both(&srv, &other).await, refused());
    // the check wrote a new marker: tokens issued from now on are served, and revocable
    let marker: i64 = redis
        .cli(&["GET", &format!("{prefix}epoch")])
        .parse()
        .unwrap();
    assert!(marker > now() - 3600, "a new marker: {marker}");
    let fresh = access("8", "fresh-jti");
    assert_eq!(both(&srv, &fresh).await, ok("8"));
    assert_eq!(logout(&srv, &fresh).await, 204);
    assert_eq!(both(&srv, &fresh).await, refused());
}

/// `calls` of `command` in `INFO commandstats` (0 if it never ran).
fn calls(stats: &str, command: &str) -> u64 {
    let line = format!("cmdstat_{command}:calls=");
    stats
        .lines()
        .find_map(|l| l.strip_prefix(&line))
        .and_then(|rest| rest.split(',').next())
        .map_or(0, |n| n.parse().unwrap())
}

#[actix_rt::test]
async fn a_check_reads_the_marker_and_the_entries_in_one_round_trip() {
    let Some(redis) = OwnRedis::start("epoch_round_trip") else {
        return;
    };
    let (blocklist, _) = running_blocklist(&redis, "epoch-round-trip");
    let srv = server(&blocklist);
    let token = access("9", "round-trip-jti");
    // connections made (the async one and a pooled blocking one)
    assert_eq!(both(&srv, &token).await, ok("9"));

    redis.cli(&["CONFIG", "RESETSTAT"]);
    for _ in 0..10 {
        assert_eq!(both(&srv, &token).await, ok("9"));
    }
    let stats = redis.cli(&["INFO", "commandstats"]);
    // 20 checks, 20 commands sent: each an EVAL whose script reads the marker (GET) and
    // the entries (EXISTS) inside Redis
    assert_eq!(calls(&stats, "eval"), 20, "{stats}");
    assert_eq!(calls(&stats, "get"), 20, "{stats}");
    assert_eq!(calls(&stats, "exists"), 20, "{stats}");
    assert_eq!(calls(&stats, "set"), 0, "{stats}");
}
