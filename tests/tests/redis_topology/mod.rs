//! Shared by `redis_cluster.rs` and `redis_sentinel.rs`: two servers on the three Redis stores
//! (sessions, JWT blocklist, throttle) of one [`RedisServers`], and what a user sees before,
//! during and after an outage of the Redis node holding their keys.

#![allow(dead_code)] // each test file uses a part

pub mod nodes;

use std::time::{Duration, Instant};

use actix_web::cookie::Key;
use dmr_runtime::backends::jwt::blocklist::{Blocklist, RedisBlocklist};
use dmr_runtime::backends::jwt::{JwtAuth, JwtIssuer, JwtLogout, JwtObtain, JwtVerifySync};
use dmr_runtime::backends::session::{RedisSessionStore, SessionConfig, SessionLogin};
use dmr_runtime::prelude::*;
use dmr_runtime::redis::RedisServers;
use dmr_runtime::throttle::{RedisStore, Throttle};
use dmr_tests::{Seen, TestServer, get, send, serve_with};
use serde_json::json;

use crate::jwt_support::{Me, SECRET, bearer};
use crate::session_support::{Guarded, Jar, call, config, logged_in, users};

pub const SESSION_UNAVAILABLE: &str =
    r#"{"detail":[{"msg":"Session store unavailable: retry later"}]}"#;
pub const BLOCKLIST_UNAVAILABLE: &str =
    r#"{"detail":[{"msg":"Token blocklist unavailable, try again later"}]}"#;
pub const THROTTLE_UNAVAILABLE: &str =
    r#"{"detail":[{"msg":"Rate limit unavailable","type":"ratelimit"}]}"#;

/// The three stores on one set of servers, every key under the prefix `prefix`: the blocklist
/// is given it plain (on a cluster the store makes it the hash tag `{prefix}`), the session
/// keys and throttle counters are put under the same tag here, so that one node holds them all.
#[derive(Clone)]
pub struct Stores {
    session: RedisSessionStore,
    blocklist: Blocklist,
    throttle: RedisStore,
    cfg: SessionConfig,
    key: Key,
}

impl Stores {
    pub fn new(servers: &RedisServers, prefix: &str) -> Self {
        let tag = format!("{{{prefix}}}");
        let session_tag = tag.clone();
        let session = RedisSessionStore::builder_for(servers.clone())
            .cache_keygen(move |k| format!("{session_tag}session:{k}"))
            .timeout(Duration::from_millis(500))
            .connect_timeout(Duration::from_millis(500))
            .reconnect_interval(Duration::from_millis(100))
            .build_now()
            .expect("a session store");
        let blocklist = RedisBlocklist::on(servers.clone())
            .prefix(prefix)
            .timeout(Duration::from_millis(500));
        let throttle = RedisStore::on(servers.clone())
            .prefix(format!("{tag}throttle:"))
            .timeout(Duration::from_millis(500));
        Self {
            session,
            blocklist: Blocklist::new(blocklist),
            throttle,
            cfg: config(users()),
            key: Key::generate(),
        }
    }
}

/// The throttle's store, read from application state.
struct Limits {
    store: RedisStore,
}

/// `GET /limited/`: three requests a minute, counted in Redis.
struct Limited;

#[controller(path = "/limited", auth = none)]
impl Limited {
    #[endpoint(get, path = "/", throttle = [|l: &Limits| Throttle::per_minute(3).store(l.store.clone())])]
    async fn limited() -> &'static str {
        "ok"
    }
}

/// One server on `stores`: session login at `/auth/login/` and `GET /p/`; JWT obtain,
/// logout and (sync) verify under `/jwt`, `GET /j/me/` behind the JWT auth; `GET /limited/`.
pub fn instance(stores: &Stores) -> TestServer {
    let issuer = JwtIssuer::hs256(SECRET, users())
        .unwrap()
        .blocklist(stores.blocklist.clone());
    let jwt = JwtAuth::hs256(SECRET)
        .unwrap()
        .blocklist(stores.blocklist.clone());
    let cfg = stores.cfg.clone();
    let api = Api::new()
        .state(Limits {
            store: stores.throttle.clone(),
        })
        .scope("/auth", |s| s.controller::<SessionLogin>())
        .scope("", |s| s.auth(cfg.auth()).controller::<Guarded>())
        .scope("/jwt", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtLogout>()
                .controller::<JwtVerifySync>()
        })
        .scope("/j", |s| s.auth(jwt).controller::<Me>())
        .controller::<Limited>()
        .build()
        .expect("api builds");
    let (store, key) = (stores.session.clone(), stores.key.clone());
    serve_with(api, move || {
        actix_web::App::new()
            .wrap(cfg.middleware(store.clone(), key.clone()))
            .app_data(cfg.app_data())
            .app_data(issuer.app_data())
    })
}

async fn post_json(srv: &TestServer, path: &str, auth: Option<&str>, body: &str) -> Seen {
    let mut h: Vec<(&str, &[u8])> = vec![("Content-Type", b"application/json")];
    if let Some(a) = auth {
        h.push(("Authorization", a.as_bytes()));
    }
    send(srv, "POST", path, &h, Some(body.as_bytes())).await
}

/// `(access, refresh)` for `admin` from `POST /jwt/obtain/`.
async fn obtain(srv: &TestServer) -> (String, String) {
    let body = json!({"username": "admin", "password": crate::session_support::PASS}).to_string();
    let seen = post_json(srv, "/jwt/obtain/", None, &body).await;
    assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());
    let json = seen.json();
    (
        json["access_token"].as_str().unwrap().to_owned(),
        json["refresh_token"].as_str().unwrap().to_owned(),
    )
}

async fn me(srv: &TestServer, token: &str) -> Seen {
    get(srv, "/j/me/", &[("Authorization", &bearer(token))]).await
}

async fn verify_sync(srv: &TestServer, token: &str) -> Seen {
    let body = json!({ "access_token": token }).to_string();
    post_json(srv, "/jwt/verify/", None, &body).await
}

async fn page(srv: &TestServer, jar: &Jar) -> Seen {
    call(srv, &mut jar.clone(), "GET", "/p/", &[], None).await
}

fn status(seen: &Seen) -> (u16, String) {
    (seen.status.as_u16(), seen.text())
}

/// What a user holds: a session, a revoked access token and a live one.
pub struct Signed {
    jar: Jar,
    revoked: String,
    live: String,
}

/// Before the outage: a login on `a` is recognised on `b`, a logout on `a` is honoured by
/// `b` (async and sync checks), and the throttle's budget is shared (429 on the fourth call).
pub async fn works_across_servers(a: &TestServer, b: &TestServer) -> Signed {
    let jar = logged_in(a, "admin").await;
    assert_eq!(status(&page(b, &jar).await), (200, "session:admin".into()));

    let (revoked, refresh) = obtain(a).await;
    assert_eq!(status(&me(b, &revoked).await), (200, "1".into()));
    let body = json!({ "refresh_token": refresh }).to_string();
    let out = post_json(a, "/jwt/logout/", Some(&bearer(&revoked)), &body).await;
    assert_eq!(out.status.as_u16(), 204, "{}", out.text());
    assert_eq!(me(b, &revoked).await.status.as_u16(), 401);
    assert_eq!(verify_sync(b, &revoked).await.status.as_u16(), 401);
    let (live, _) = obtain(b).await;
    assert_eq!(me(a, &live).await.status.as_u16(), 200);
    assert_eq!(verify_sync(a, &live).await.status.as_u16(), 204);

    let seen = [
        get(a, "/limited/", &[]).await,
        get(b, "/limited/", &[]).await,
        get(a, "/limited/", &[]).await,
        get(b, "/limited/", &[]).await,
    ];
    let statuses: Vec<u16> = seen.iter().map(|s| s.status.as_u16()).collect();
    assert_eq!(statuses, [200, 200, 200, 429]);
    Signed { jar, revoked, live }
}

/// While the node holding the keys is down: every store call fails at once with the
/// documented answer, and no security check passes (a revoked token is never accepted).
pub async fn fails_closed(srv: &TestServer, signed: &Signed) {
    let start = Instant::now();
    for _ in 0..3 {
        let seen = page(srv, &signed.jar).await;
        assert_eq!(status(&seen), (503, SESSION_UNAVAILABLE.into()));
        assert_eq!(seen.header("retry-after"), Some("1"));

        for token in [&signed.revoked, &signed.live] {
            for seen in [me(srv, token).await, verify_sync(srv, token).await] {
                assert_eq!(status(&seen), (503, BLOCKLIST_UNAVAILABLE.into()));
                assert_eq!(seen.header("retry-after"), Some("1"));
            }
        }

        let seen = get(srv, "/limited/", &[]).await;
        assert_eq!(status(&seen), (503, THROTTLE_UNAVAILABLE.into()));
        assert_eq!(seen.header("retry-after"), Some("1"));
    }
    // a figure for the README, not an assertion
    eprintln!("18 requests answered 503 in {:?}", start.elapsed());
}

/// While the node holding the keys hangs (accepts, never answers): a session, the async and
/// sync token checks and a throttle each answer 503 when the store's timeout runs out.
pub async fn times_out(srv: &TestServer, signed: &Signed) {
    let seen = page(srv, &signed.jar).await;
    assert_eq!(status(&seen), (503, SESSION_UNAVAILABLE.into()));
    for seen in [
        me(srv, &signed.live).await,
        verify_sync(srv, &signed.live).await,
    ] {
        assert_eq!(status(&seen), (503, BLOCKLIST_UNAVAILABLE.into()));
    }
    let seen = get(srv, "/limited/", &[]).await;
    assert_eq!(status(&seen), (503, THROTTLE_UNAVAILABLE.into()));
}

/// The session is recognised, the revoked token refused and the live one accepted.
pub async fn serves(srv: &TestServer, signed: &Signed) {
    assert_eq!(
        status(&page(srv, &signed.jar).await),
        (200, "session:admin".into())
    );
    assert_eq!(me(srv, &signed.revoked).await.status.as_u16(), 401);
    assert_eq!(status(&me(srv, &signed.live).await), (200, "1".into()));
    assert_eq!(verify_sync(srv, &signed.revoked).await.status.as_u16(), 401);
    assert_eq!(verify_sync(srv, &signed.live).await.status.as_u16(), 204);
}

/// Retries `GET /p/` until it is not 503, at most `limit`.
pub async fn until_served(srv: &TestServer, signed: &Signed, limit: Duration) -> Seen {
    let end = Instant::now() + limit;
    loop {
        let seen = page(srv, &signed.jar).await;
        if seen.status != 503 || Instant::now() > end {
            return seen;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// After the recovery, same servers, no restart: the session, the revocation and the spent
/// throttle budget are all still there.
pub async fn resumes(a: &TestServer, b: &TestServer, signed: &Signed) {
    let start = Instant::now();
    for srv in [a, b] {
        let seen = until_served(srv, signed, Duration::from_secs(20)).await;
        assert_eq!(status(&seen), (200, "session:admin".into()));
    }
    eprintln!("served again after {:?}", start.elapsed());
    for srv in [a, b] {
        assert_eq!(me(srv, &signed.revoked).await.status.as_u16(), 401);
        assert_eq!(verify_sync(srv, &signed.revoked).await.status.as_u16(), 401);
        assert_eq!(status(&me(srv, &signed.live).await), (200, "1".into()));
        assert_eq!(verify_sync(srv, &signed.live).await.status.as_u16(), 204);
        assert_eq!(get(srv, "/limited/", &[]).await.status.as_u16(), 429);
    }
    let jar = logged_in(b, "admin").await;
    assert_eq!(status(&page(a, &jar).await), (200, "session:admin".into()));
}
