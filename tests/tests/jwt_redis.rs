//! The credential views over a Redis blocklist, through real servers: a logout on one server
//! is honoured by another sharing Redis, concurrent refreshes with one token across servers
//! succeed exactly once, and a Redis that stops answering fails closed (503) until it is back.
//!
//! The shared-Redis tests use 127.0.0.1:6379 and skip with a printed reason when it is absent
//! (unless `DMR_REQUIRE_REDIS=1`); the outage test starts its own `redis-server`.

mod jwt_support;

use std::time::Duration;

use dmr_runtime::backends::jwt::blocklist::{BLOCKLIST_UNAVAILABLE, Blocklist, RedisBlocklist};
use dmr_runtime::backends::jwt::{
    JwtAuth, JwtIssuer, JwtLogout, JwtLogoutSync, JwtObtain, JwtRefresh, JwtRefreshSync, JwtVerify,
    JwtVerifySync,
};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, Seen, TestServer, get, send, serve_with};
use jwt_support::*;
use serde_json::json;

fn users() -> MemoryUsers {
    let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
    let users = MemoryUsers::with_params(cheap);
    users.add("1", "admin", "pw").unwrap();
    users
}

/// One server instance with its own store object on the Redis at `url` (keys under `prefix`):
/// async views under `/a`, sync ones under `/s`.
fn instance(url: &str, prefix: &str) -> TestServer {
    let store = RedisBlocklist::new(url)
        .unwrap()
        .prefix(prefix)
        .timeout(Duration::from_millis(500));
    let blocklist = Blocklist::new(store);
    let issuer = JwtIssuer::hs256(SECRET, users())
        .unwrap()
        .blocklist(blocklist.clone())
        .rotate_refresh_tokens(true)
        .unwrap();
    let auth = JwtAuth::hs256(SECRET).unwrap().blocklist(blocklist);
    let api = Api::new()
        .scope("/a", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtVerify>()
                .controller::<JwtLogout>()
        })
        .scope("/s", |s| {
            s.controller::<JwtRefreshSync>()
                .controller::<JwtVerifySync>()
                .controller::<JwtLogoutSync>()
        })
        .scope("", |s| s.auth(auth).controller::<Me>())
        .build()
        .expect("api builds");
    serve_with(api, move || {
        actix_web::App::new().app_data(issuer.app_data())
    })
}

async fn post(srv: &TestServer, path: &str, headers: &[(&str, &str)], body: &str) -> Seen {
    let mut h: Vec<(&str, &[u8])> = vec![("Content-Type", b"application/json")];
    h.extend(headers.iter().map(|(k, v)| (*k, v.as_bytes())));
    send(srv, "POST", path, &h, Some(body.as_bytes())).await
}

async fn obtain(srv: &TestServer) -> (String, String) {
    let body = json!({"username": "admin", "password": "pw"}).to_string();
    let seen = post(srv, "/a/obtain/", &[], &body).await;
    assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());
    let json = seen.json();
    (
        json["access_token"].as_str().unwrap().to_owned(),
        json["refresh_token"].as_str().unwrap().to_owned(),
    )
}

async fn refresh(srv: &TestServer, scope: &str, token: &str) -> Seen {
    let body = json!({ "refresh_token": token }).to_string();
    post(srv, &format!("{scope}/refresh/"), &[], &body).await
}

async fn verify(srv: &TestServer, scope: &str, token: &str) -> Seen {
    let body = json!({ "access_token": token }).to_string();
    post(srv, &format!("{scope}/verify/"), &[], &body).await
}

async fn me(srv: &TestServer, token: &str) -> u16 {
    get(srv, "/me/", &[("Authorization", &bearer(token))])
        .await
        .status
        .as_u16()
}

#[actix_rt::test]
async fn a_logout_on_one_server_is_honoured_by_another_sharing_redis() {
    if !redis_or_skip("a_logout_on_one_server_is_honoured_by_another_sharing_redis") {
        return;
    }
    let (url, prefix) = (format!("redis://{REDIS}"), prefix("views-logout"));
    let (a, b) = (instance(&url, &prefix), instance(&url, &prefix));
    for scope in ["/a", "/s"] {
        let (access, refresh_token) = obtain(&a).await;
        assert_eq!(me(&b, &access).await, 200);
        assert_eq!(verify(&b, scope, &access).await.status.as_u16(), 204);

        let body = json!({ "refresh_token": refresh_token }).to_string();
        let h = bearer(&access);
        let out = post(
            &a,
            &format!("{scope}/logout/"),
            &[("Authorization", &h)],
            &body,
        )
        .await;
        assert_eq!(out.status.as_u16(), 204, "{}", out.text());

        assert_eq!(me(&b, &access).await, 401);
        assert_eq!(verify(&b, scope, &access).await.status.as_u16(), 401);
        let seen = refresh(&b, scope, &refresh_token).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.into())
        );
    }
}

#[actix_rt::test]
async fn concurrent_refreshes_across_two_servers_succeed_exactly_once() {
    if !redis_or_skip("concurrent_refreshes_across_two_servers_succeed_exactly_once") {
        return;
    }
    let (url, prefix) = (format!("redis://{REDIS}"), prefix("views-race"));
    let (a, b) = (instance(&url, &prefix), instance(&url, &prefix));
    for round in 0..5 {
        let (_, r) = obtain(&a).await;
        let calls = (0..10).map(|i| {
            let (srv, scope) = match i % 4 {
                0 => (&a, "/a"),
                1 => (&b, "/a"),
                2 => (&a, "/s"),
                _ => (&b, "/s"),
            };
            refresh(srv, scope, &r)
        });
        let statuses: Vec<u16> = futures_util::future::join_all(calls)
            .await
            .iter()
            .map(|s| s.status.as_u16())
            .collect();
        let wins = statuses.iter().filter(|&&s| s == 200).count();
        assert_eq!(wins, 1, "round {round}: {statuses:?}");
        assert!(
            statuses.iter().all(|&s| s == 200 || s == 401),
            "{statuses:?}"
        );
    }
}

#[actix_rt::test]
async fn a_rotated_token_replayed_on_another_server_revokes_the_family_everywhere() {
    if !redis_or_skip("a_rotated_token_replayed_on_another_server_revokes_the_family_everywhere") {
        return;
    }
    let (url, prefix) = (format!("redis://{REDIS}"), prefix("views-reuse"));
    let (a, b) = (instance(&url, &prefix), instance(&url, &prefix));
    let (access1, r1) = obtain(&a).await;
    let rotated = refresh(&a, "/a", &r1).await.json();
    let (access2, r2) = (
        rotated["access_token"].as_str().unwrap().to_owned(),
        rotated["refresh_token"].as_str().unwrap().to_owned(),
    );
    assert_eq!(me(&b, &access2).await, 200);
    // the thief replays the old token on the other server
    assert_eq!(refresh(&b, "/s", &r1).await.status.as_u16(), 401);
    for srv in [&a, &b] {
        assert_eq!(me(srv, &access1).await, 401);
        assert_eq!(me(srv, &access2).await, 401);
        assert_eq!(refresh(srv, "/a", &r2).await.status.as_u16(), 401);
    }
}

#[actix_rt::test]
async fn the_views_fail_closed_while_redis_is_down_and_recover_when_it_returns() {
    let Some(mut redis) = OwnRedis::start("views_fail_closed") else {
        return;
    };
    let srv = instance(&redis.url(), &prefix("views-down"));
    let (access, r) = obtain(&srv).await;
    let unavailable = (
        503,
        json!({"detail": [{"msg": BLOCKLIST_UNAVAILABLE}]}).to_string(),
    );

    redis.stop();
    for scope in ["/a", "/s"] {
        let seen = refresh(&srv, scope, &r).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            unavailable,
            "{scope} refresh"
        );
        let seen = verify(&srv, scope, &access).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            unavailable,
            "{scope} verify"
        );
        let h = bearer(&access);
        let seen = post(
            &srv,
            &format!("{scope}/logout/"),
            &[("Authorization", &h)],
            "",
        )
        .await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            unavailable,
            "{scope} logout"
        );
    }
    assert_eq!(me(&srv, &access).await, 503);
    // a login needs no blocklist: it still works
    let (access2, _) = obtain(&srv).await;

    // The restarted server is empty (no persistence): its epoch marker is new, so every token
    // issued before it is refused until it expires, since the revocations it held may be lost
    // (jwt_redis_epoch.rs). Tokens carry whole seconds: the restart waits for the clock's next
    // second, so that "before" holds for `access`, `access2` and `r`.
    let second = unix_seconds();
    while unix_seconds() == second {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    redis.restart();
    assert_eq!(me(&srv, &access2).await, 401);
    assert_eq!(verify(&srv, "/s", &access).await.status.as_u16(), 401);
    assert_eq!(refresh(&srv, "/a", &r).await.status.as_u16(), 401);
    // and service resumes by itself: a login now is served, verified and refreshed
    let (access3, r3) = obtain(&srv).await;
    assert_eq!(me(&srv, &access3).await, 200);
    assert_eq!(verify(&srv, "/s", &access3).await.status.as_u16(), 204);
    assert_eq!(refresh(&srv, "/a", &r3).await.status.as_u16(), 200);
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
