//! Sessions in the real Redis at 127.0.0.1:6379, shared by two server instances: a logout on
//! one ends the session on the other, login renews the session id, concurrent logins, "log
//! out everywhere" and the per-user quota.
//!
//! Without Redis these tests print why and pass, unless `DMR_REQUIRE_REDIS=1` (CI), where
//! they fail. Keys get a unique prefix and a short TTL; nothing else in Redis is touched.

mod session_support;

use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::cookie::Key;
use dmr_runtime::backends::csrf::CsrfFormToken;
use dmr_runtime::backends::session::{RedisSessionStore, RedisSessionStoreBuilder, SessionConfig};
use dmr_tests::{NOT_AUTHENTICATED, TestServer, serve_with};
use session_support::*;

const REDIS: &str = "127.0.0.1:6379";

/// Whether to run: Redis answers, or it does not and `DMR_REQUIRE_REDIS` is unset (skip).
fn redis_or_skip(test: &str) -> bool {
    let addr: SocketAddr = REDIS.parse().expect("address");
    if TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok() {
        return true;
    }
    dmr_runtime::testing::unavailable(test, &format!("no Redis on {REDIS}"), "DMR_REQUIRE_REDIS");
    false
}

/// A store builder whose keys carry a prefix unique to this process and test.
fn builder(test: &str) -> RedisSessionStoreBuilder {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let prefix = format!("dmr-test:{test}:{}:{nanos}:", std::process::id());
    RedisSessionStore::builder(format!("redis://{REDIS}"))
        .cache_keygen(move |key| format!("{prefix}{key}"))
}

/// A store whose keys carry a prefix unique to this process and test.
async fn store(test: &str) -> RedisSessionStore {
    builder(test).build().await.expect("connect to Redis")
}

fn redis_config() -> SessionConfig {
    config(users()).session_ttl(actix_web::cookie::time::Duration::minutes(2))
}

/// A server instance over the shared store and key.
fn instance(cfg: &SessionConfig, store: &RedisSessionStore, key: &Key) -> TestServer {
    let (cfg, store, key) = (cfg.clone(), store.clone(), key.clone());
    serve_with(api(&cfg), move || {
        actix_web::App::new()
            .wrap(CsrfFormToken::new())
            .wrap(cfg.middleware(store.clone(), key.clone()))
            .app_data(cfg.app_data())
    })
}

#[actix_rt::test]
async fn logout_on_one_server_ends_the_session_on_the_other() {
    if !redis_or_skip("logout_on_one_server_ends_the_session_on_the_other") {
        return;
    }
    let (cfg, store, key) = (redis_config(), store("logout").await, Key::generate());
    let (a, b) = (instance(&cfg, &store, &key), instance(&cfg, &store, &key));
    let mut jar = logged_in(&a, "admin").await;
    let token = jar.get("csrftoken").unwrap().to_owned();
    let stolen = jar.clone();
    assert_eq!(
        call(&b, &mut jar, "GET", "/p/", &[], None).await.text(),
        "session:admin"
    );
    assert_eq!(
        call(&b, &mut jar, "GET", "/sync/", &[], None).await.text(),
        "sync:admin"
    );
    let seen = call(
        &b,
        &mut jar,
        "POST",
        "/p/",
        &[("x-csrftoken", &token)],
        None,
    )
    .await;
    assert_eq!(seen.text(), "session:admin|");

    let seen = call(
        &a,
        &mut jar,
        "POST",
        "/auth/logout/",
        &[("x-csrftoken", &token)],
        None,
    )
    .await;
    assert_eq!(seen.status, 204);
    // a client that kept the cookie (or stole it) gets nothing on either server
    for srv in [&a, &b] {
        for path in ["/p/", "/sync/"] {
            let seen = call(srv, &mut stolen.clone(), "GET", path, &[], None).await;
            assert_eq!(
                (seen.status.as_u16(), seen.text()),
                (401, NOT_AUTHENTICATED.to_owned()),
                "{path}"
            );
        }
    }
}

#[actix_rt::test]
async fn login_renews_the_session_id() {
    if !redis_or_skip("login_renews_the_session_id") {
        return;
    }
    let (cfg, store, key) = (redis_config(), store("renew").await, Key::generate());
    let (a, b) = (instance(&cfg, &store, &key), instance(&cfg, &store, &key));
    let mut jar = logged_in(&a, "admin").await;
    let before = jar.clone();
    // logging in again with the old cookie: a new id, and the old one is gone from the store
    let seen = login(&b, &mut jar, "bob", PASS).await;
    assert_eq!(seen.text(), r#"{"user_id":"3"}"#);
    assert_ne!(jar.get("sessionid"), before.get("sessionid"));
    assert_eq!(
        call(&a, &mut jar, "GET", "/p/", &[], None).await.text(),
        "session:bob"
    );
    assert_eq!(
        call(&a, &mut before.clone(), "GET", "/p/", &[], None)
            .await
            .status,
        401
    );
    // an anonymous session fixed by an attacker is renewed too
    let mut fixed = Jar::default();
    let token = call(&a, &mut fixed, "GET", "/csrf-token/", &[], None).await;
    assert_eq!(token.status, 200);
    let planted = fixed.clone();
    assert!(
        planted.get("sessionid").is_some(),
        "the token view starts a session"
    );
    login(&a, &mut fixed, "admin", PASS).await;
    assert_ne!(fixed.get("sessionid"), planted.get("sessionid"));
    assert_eq!(
        call(&b, &mut planted.clone(), "GET", "/p/", &[], None)
            .await
            .status,
        401
    );
    assert_eq!(
        call(&b, &mut fixed, "GET", "/p/", &[], None).await.text(),
        "session:admin"
    );
    for jar in [&mut jar, &mut fixed] {
        let token = jar.get("csrftoken").unwrap().to_owned();
        assert_eq!(
            call(
                &a,
                jar,
                "POST",
                "/auth/logout/",
                &[("x-csrftoken", &token)],
                None
            )
            .await
            .status,
            204
        );
    }
}

#[actix_rt::test]
async fn concurrent_logins_across_servers() {
    if !redis_or_skip("concurrent_logins_across_servers") {
        return;
    }
    let (cfg, store, key) = (redis_config(), store("concurrent").await, Key::generate());
    let servers = [instance(&cfg, &store, &key), instance(&cfg, &store, &key)];
    let logins = (0..10).map(|i| {
        let srv = &servers[i % 2];
        async move { logged_in(srv, "admin").await }
    });
    let mut jars = futures_util::future::join_all(logins).await;
    let mut ids: Vec<String> = jars
        .iter()
        .map(|j| j.get("sessionid").unwrap().to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 10);
    for (i, jar) in jars.iter_mut().enumerate() {
        let srv = &servers[(i + 1) % 2];
        let token = jar.get("csrftoken").unwrap().to_owned();
        assert_eq!(
            call(srv, jar, "POST", "/p/", &[("x-csrftoken", &token)], None)
                .await
                .text(),
            "session:admin|"
        );
    }
    // ending one session leaves the others alone
    let token = jars[0].get("csrftoken").unwrap().to_owned();
    assert_eq!(
        call(
            &servers[0],
            &mut jars[0],
            "POST",
            "/auth/logout/",
            &[("x-csrftoken", &token)],
            None
        )
        .await
        .status,
        204
    );
    assert_eq!(
        call(&servers[1], &mut jars[1], "GET", "/p/", &[], None)
            .await
            .status,
        200
    );
    for (i, jar) in jars.iter_mut().enumerate().skip(1) {
        let token = jar.get("csrftoken").unwrap().to_owned();
        let seen = call(
            &servers[i % 2],
            jar,
            "POST",
            "/auth/logout/",
            &[("x-csrftoken", &token)],
            None,
        )
        .await;
        assert_eq!(seen.status, 204);
    }
}

#[actix_rt::test]
async fn foreign_and_tampered_cookies_are_skipped() {
    if !redis_or_skip("foreign_and_tampered_cookies_are_skipped") {
        return;
    }
    let (cfg, store) = (redis_config(), store("tamper").await);
    let a = instance(&cfg, &store, &Key::generate());
    let other = instance(&cfg, &store, &Key::generate());
    let jar = logged_in(&a, "admin").await;
    // same store, another key: the cookie does not decrypt
    assert_eq!(
        call(&other, &mut jar.clone(), "GET", "/p/", &[], None)
            .await
            .status,
        401
    );
    let mut tampered = jar.clone();
    let value = jar.get("sessionid").unwrap();
    tampered.set(
        "sessionid",
        &format!("{}{}", &value[..value.len() - 2], "AA"),
    );
    for path in ["/p/", "/sync/"] {
        let seen = call(&a, &mut tampered.clone(), "GET", path, &[], None).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned())
        );
    }
    let token = jar.get("csrftoken").unwrap().to_owned();
    assert_eq!(
        call(
            &a,
            &mut jar.clone(),
            "POST",
            "/auth/logout/",
            &[("x-csrftoken", &token)],
            None
        )
        .await
        .status,
        204
    );
}

/// The status of `GET /p/` (session auth) with the jar's cookies.
async fn guarded(srv: &TestServer, jar: &Jar) -> u16 {
    let mut jar = jar.clone();
    call(srv, &mut jar, "GET", "/p/", &[], None)
        .await
        .status
        .as_u16()
}

#[actix_rt::test]
async fn ending_a_users_sessions_reaches_every_server_and_the_quota_ends_the_oldest() {
    if !redis_or_skip("ending_a_users_sessions_reaches_every_server_and_the_quota_ends_the_oldest")
    {
        return;
    }
    let store = builder("end_user").per_user(2).build().await.unwrap();
    let cfg = redis_config().login_throttle(None).username_throttle(None);
    let key = Key::generate();
    let (a, b) = (instance(&cfg, &store, &key), instance(&cfg, &store, &key));
    let first = logged_in(&a, "admin").await;
    let second = logged_in(&b, "admin").await;
    let bob = logged_in(&b, "bob").await;
    assert_eq!(guarded(&b, &first).await, 200);
    // a third login of `admin` is beyond the quota of 2: the oldest ends
    let third = logged_in(&a, "admin").await;
    assert_eq!(guarded(&b, &first).await, 401, "the oldest login ended");
    assert_eq!(
        (guarded(&a, &second).await, guarded(&b, &third).await),
        (200, 200)
    );

    assert_eq!(store.end_user_sessions("1").await.unwrap(), 2);
    for srv in [&a, &b] {
        assert_eq!(guarded(srv, &second).await, 401);
        assert_eq!(guarded(srv, &third).await, 401);
        assert_eq!(
            guarded(srv, &bob).await,
            200,
            "another user's session stays"
        );
    }
    assert_eq!(
        store.end_user_sessions("1").await.unwrap(),
        0,
        "nothing left"
    );
}
