//! One account cannot switch off logout for everyone (issue 25, item 1), through real
//! servers: refresh, verify and logout are throttled by default per client address, subject
//! and family; the in-memory blocklist gives each subject a quota of its own (429 with
//! `Retry-After` past it); a blocklist full for everyone answers 503 with `Retry-After`; and
//! in every case the victim's logout succeeds or says so, and no revocation is lost: the
//! victim's revoked access token gets 401 afterwards.
//!
//! Forwarding headers are not trusted, so the client address is the connection's: the tests
//! connect from different loopback addresses (`127.0.0.0/8` all reaches the server).

// the capture's guard serializes the tests that read the log, across their awaits
#![allow(clippy::await_holding_lock)]

mod jwt_support;
mod observe_support;
mod session_support;

use std::net::IpAddr;
use std::time::Duration;

use dmr_runtime::backends::jwt::blocklist::{BLOCKLIST_UNAVAILABLE, Blocklist, MemoryBlocklist};
use dmr_runtime::backends::jwt::{
    JwtAuth, JwtIssuer, JwtLogout, JwtLogoutSync, JwtObtain, JwtRefresh, JwtRefreshSync, JwtVerify,
};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, Seen, TestServer, serve_with};
use jwt_support::{Me, SECRET};
use serde_json::{Value, json};

const PASS: &str = "correct horse";
const TOO_MANY: &str = r#"{"detail":[{"msg":"Too many requests","type":"ratelimit"}]}"#;

fn users() -> MemoryUsers {
    let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
    let users = MemoryUsers::with_params(cheap);
    users.add("1", "victim", PASS).unwrap();
    users.add("2", "mallory", PASS).unwrap();
    users.add("3", "carol", PASS).unwrap();
    users
}

/// The credential views at `/a` (async) and `/s` (sync), `/me/` behind a JWT auth with the
/// same blocklist; `tune` adjusts the issuer (rotation is on).
fn server(store: MemoryBlocklist, tune: impl FnOnce(JwtIssuer) -> JwtIssuer) -> TestServer {
    let blocklist = Blocklist::new(store);
    let issuer = JwtIssuer::hs256(SECRET, users())
        .unwrap()
        .blocklist(blocklist.clone())
        .rotate_refresh_tokens(true)
        .unwrap();
    let issuer = tune(issuer);
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
                .controller::<JwtLogoutSync>()
        })
        .scope("", |s| s.auth(auth).controller::<Me>())
        .build()
        .expect("api builds");
    serve_with(api, move || {
        actix_web::App::new().app_data(issuer.app_data())
    })
}

/// No refresh, verify or logout throttle: what a patient attacker (or one with many
/// addresses and accounts) gets past them.
fn unthrottled(issuer: JwtIssuer) -> JwtIssuer {
    issuer
        .token_address_throttle(None)
        .token_subject_throttle(None)
        .token_family_throttle(None)
}

/// `POST path` with a JSON `body` (and `bearer` as `Authorization`) from the loopback
/// address `from`.
async fn post(srv: &TestServer, from: &str, path: &str, bearer: Option<&str>, body: Value) -> Seen {
    let from: IpAddr = from.parse().expect("an address");
    let client = awc::Client::builder()
        .connector(awc::Connector::new().local_address(from))
        .timeout(Duration::from_secs(30))
        .finish();
    let mut req = client
        .post(srv.url(path))
        .insert_header(("content-type", "application/json"));
    if let Some(token) = bearer {
        req = req.insert_header(("authorization", format!("Bearer {token}")));
    }
    let mut res = req
        .send_body(body.to_string())
        .await
        .expect("the server answers");
    let body = res.body().await.expect("a body").to_vec();
    Seen {
        status: res.status(),
        headers: res.headers().clone(),
        body,
    }
}

/// A new pair for `user`, obtained from `from`.
async fn obtain(srv: &TestServer, from: &str, user: &str) -> (String, String) {
    let body = json!({"username": user, "password": PASS});
    let seen = post(srv, from, "/a/obtain/", None, body).await;
    assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());
    let v = seen.json();
    (
        v["access_token"].as_str().unwrap().to_owned(),
        v["refresh_token"].as_str().unwrap().to_owned(),
    )
}

/// `GET /me/` with the access token: its status.
async fn me(srv: &TestServer, access: &str) -> u16 {
    jwt_support::me(srv, access).await.0
}

/// The victim logs in, logs out (async or sync view), and its access token is refused
/// afterwards.
async fn victim_logs_out(srv: &TestServer, scope: &str) {
    let (access, refresh) = obtain(srv, "127.0.0.3", "victim").await;
    assert_eq!(me(srv, &access).await, 200);
    let body = json!({"refresh_token": refresh});
    let path = format!("{scope}/logout/");
    let out = post(srv, "127.0.0.3", &path, Some(&access), body).await;
    assert_eq!(out.status.as_u16(), 204, "{}", out.text());
    assert_eq!(me(srv, &access).await, 401, "the revocation holds");
    let again = post(
        srv,
        "127.0.0.3",
        &format!("{scope}/refresh/"),
        None,
        json!({"refresh_token": refresh}),
    )
    .await;
    assert_eq!(again.status.as_u16(), 401, "{}", again.text());
}

/// Whether a warning of the flood-limited call site `site` was written.
fn warned(site: &str) -> bool {
    observe_support::everything().contains(&format!("\"site\": \"{site}\""))
}

/// A 429 of the throttles or the quota: the reference's body and a `Retry-After` of at
/// least a second.
fn assert_too_many(seen: &Seen) {
    assert_eq!(seen.status.as_u16(), 429, "{}", seen.text());
    assert_eq!(seen.text(), TOO_MANY);
    let wait: u64 = seen
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!(wait >= 1, "Retry-After {wait}");
}

/// Mallory's loop: `logins` logins, then `rounds` refreshes over the families (each with the
/// newest refresh token of its family), from `addresses` addresses in turn. Returns how many
/// refreshes got 200; every other answer must be a 429.
async fn flood(srv: &TestServer, logins: usize, rounds: usize, addresses: u8) -> usize {
    let mut families = Vec::new();
    for _ in 0..logins {
        families.push(obtain(srv, "127.0.0.2", "mallory").await.1);
    }
    let mut passed = 0;
    for i in 0..rounds {
        let from = format!("127.0.1.{}", 1 + (i % usize::from(addresses)));
        let scope = if i % 2 == 0 { "/a" } else { "/s" };
        let slot = i % families.len();
        let body = json!({"refresh_token": families[slot]});
        let seen = post(srv, &from, &format!("{scope}/refresh/"), None, body).await;
        if seen.status.as_u16() == 200 {
            passed += 1;
            families[slot] = seen.json()["refresh_token"].as_str().unwrap().to_owned();
        } else {
            assert_too_many(&seen);
        }
    }
    passed
}

#[actix_rt::test]
async fn one_account_refreshing_in_a_loop_is_throttled_and_cannot_stop_another_users_logout() {
    let srv = server(MemoryBlocklist::default(), |issuer| issuer);
    let passed = flood(&srv, 10, 300, 50).await;
    assert!(passed < 300, "the default throttles refused some: {passed}");
    // the refresh budget is not the logout budget, and mallory's is not the victim's
    victim_logs_out(&srv, "/a").await;
    victim_logs_out(&srv, "/s").await;
}

/// Refreshes along one family from `from(i)` until the first refusal (at most `max`):
/// how many passed, and the refusal.
async fn refresh_until_refused(
    srv: &TestServer,
    refresh: &mut String,
    max: usize,
    from: impl Fn(usize) -> String,
) -> (usize, Seen) {
    for i in 0..max {
        let body = json!({"refresh_token": *refresh});
        let scope = if i % 2 == 0 { "/a" } else { "/s" };
        let seen = post(srv, &from(i), &format!("{scope}/refresh/"), None, body).await;
        if seen.status.as_u16() != 200 {
            return (i, seen);
        }
        *refresh = seen.json()["refresh_token"].as_str().unwrap().to_owned();
    }
    panic!("{max} refreshes passed");
}

#[actix_rt::test]
async fn the_refresh_throttles_count_by_address_by_subject_and_by_family() {
    // by address: 60 at once, sync and async together
    let srv = server(MemoryBlocklist::default(), |i| {
        i.token_subject_throttle(None).token_family_throttle(None)
    });
    let (_, mut refresh) = obtain(&srv, "127.0.0.2", "mallory").await;
    let (passed, refused) =
        refresh_until_refused(&srv, &mut refresh, 200, |_| "127.0.2.1".into()).await;
    assert_too_many(&refused);
    assert!(passed >= 60, "{passed}");
    // another address is not refused
    let body = json!({"refresh_token": refresh});
    assert_eq!(
        post(&srv, "127.0.2.2", "/a/refresh/", None, body)
            .await
            .status,
        200
    );

    // by family: 10 at once, whatever the address
    let srv = server(MemoryBlocklist::default(), |i| {
        i.token_address_throttle(None)
    });
    let (_, mut refresh) = obtain(&srv, "127.0.0.2", "mallory").await;
    let (passed, refused) =
        refresh_until_refused(&srv, &mut refresh, 30, |i| format!("127.0.3.{}", i + 1)).await;
    assert_too_many(&refused);
    assert!(passed >= 10, "{passed}");

    // by subject: 30 at once across families (whose own budgets would allow 40 more)
    let mut families = Vec::new();
    for _ in 0..4 {
        families.push(obtain(&srv, "127.0.0.2", "mallory").await.1);
    }
    let mut more = 0;
    for i in 0..40 {
        let slot = i % families.len();
        let body = json!({"refresh_token": families[slot]});
        let seen = post(&srv, "127.0.4.1", "/a/refresh/", None, body).await;
        if seen.status.as_u16() == 200 {
            more += 1;
            families[slot] = seen.json()["refresh_token"].as_str().unwrap().to_owned();
        } else {
            assert_too_many(&seen);
        }
    }
    // the family's refused refresh was counted for the subject too
    assert!(passed + 1 + more >= 30, "{passed} + 1 + {more}");
    assert!(more < 40, "the subject's budget refused some");
    victim_logs_out(&srv, "/a").await;
}

#[actix_rt::test]
async fn a_subject_over_its_blocklist_quota_gets_429_and_everyone_else_logs_out() {
    let _observed = observe_support::observed();
    // without the quota, mallory's 150 rotations would fill the 100 entries: every logout 503
    let srv = server(MemoryBlocklist::new(100).per_subject(20), unthrottled);
    let passed = flood(&srv, 5, 150, 1).await;
    assert_eq!(passed, 20, "rotated tokens stop at mallory's quota");
    assert!(warned("blocklist_quota"), "the operator is told");
    victim_logs_out(&srv, "/a").await;
    victim_logs_out(&srv, "/s").await;
    // mallory's own logout still works: families have a quota of their own
    let (access, refresh) = obtain(&srv, "127.0.0.4", "mallory").await;
    let body = json!({"refresh_token": refresh});
    let out = post(&srv, "127.0.0.4", "/a/logout/", Some(&access), body).await;
    assert_eq!(out.status.as_u16(), 204, "{}", out.text());
    assert_eq!(me(&srv, &access).await, 401);
}

#[actix_rt::test]
async fn a_full_blocklist_answers_503_with_retry_after_and_forgets_nothing() {
    let _observed = observe_support::observed();
    let srv = server(MemoryBlocklist::new(2), unthrottled);
    let mut revoked = Vec::new();
    for user in ["victim", "carol"] {
        let (access, refresh) = obtain(&srv, "127.0.0.5", user).await;
        let body = json!({"refresh_token": refresh});
        let out = post(&srv, "127.0.0.5", "/a/logout/", Some(&access), body).await;
        assert_eq!(out.status.as_u16(), 204, "{}", out.text());
        revoked.push(access);
    }
    let (access, refresh) = obtain(&srv, "127.0.0.5", "mallory").await;
    for scope in ["/a", "/s"] {
        let body = json!({"refresh_token": refresh});
        let path = format!("{scope}/logout/");
        let full = post(&srv, "127.0.0.5", &path, Some(&access), body).await;
        assert_eq!(full.status.as_u16(), 503, "{}", full.text());
        assert_eq!(full.header("retry-after"), Some("1"));
        assert_eq!(full.json()["detail"][0]["msg"], BLOCKLIST_UNAVAILABLE);
        // a refresh that must rotate cannot either, and says so the same way
        let body = json!({"refresh_token": refresh});
        let rotate = post(&srv, "127.0.0.5", &format!("{scope}/refresh/"), None, body).await;
        assert_eq!(rotate.status.as_u16(), 503, "{}", rotate.text());
        assert_eq!(rotate.header("retry-after"), Some("1"));
    }
    assert!(warned("blocklist_full"), "the operator is told");
    for access in &revoked {
        let seen = jwt_support::me(&srv, access).await;
        assert_eq!((seen.0, seen.1.as_str()), (401, NOT_AUTHENTICATED));
    }
}
