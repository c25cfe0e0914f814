//! What an operator sees, through real servers with a capturing `tracing` subscriber and a
//! `metrics` debugging recorder: every credential flow (JWT obtain / refresh / reuse / verify /
//! logout, session login / logout with CSRF, HTTP Basic, API token obtain / revoke, a throttle
//! hit, a lockout) writes its audit event with subject, client address and request id, counts
//! its metrics, and records its `dmr.request` span; and no secret used (passwords, tokens,
//! cookies, `Authorization` values, CSRF tokens, signing keys) appears anywhere in what was
//! captured or in the `Debug` output of the configuration types.

// each test runs on its own actix system (its own thread): the guard that serializes them
// (the recorder's counters are global) is held across awaits on purpose
#![allow(clippy::await_holding_lock)]

mod jwt_support;
mod observe_support;
mod session_support;

use base64::Engine as _;
use dmr_runtime::backends::jwt::JwtIssuer;
use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist};
use dmr_runtime::backends::tokens::{
    ApiTokens, SqliteTokens, TokenHasher, TokenManage, TokenObtain,
};
use dmr_runtime::observe::names;
use dmr_runtime::prelude::*;
use dmr_tests::{Seen, TestServer, send, serve};
use jwt_support::{SECRET, bearer};
use observe_support::*;
use serde_json::json;

#[actix_rt::test]
async fn jwt_flows_write_their_events_spans_and_counts() {
    let _serial = observed();
    let blocklist = Blocklist::new(MemoryBlocklist::new(1000));
    let issuer = JwtIssuer::hs256(SECRET, users())
        .unwrap()
        .blocklist(blocklist.clone())
        .rotate_refresh_tokens(true)
        .unwrap();
    let debug = format!("{issuer:?}");
    let srv = jwt_server(issuer, blocklist);
    let before = (
        ops("login.succeeded", "ok"),
        ops("login.failed", "refused"),
        ops("jwt.refresh_reuse", "refused"),
        counter(names::AUTH_TOTAL, &[("scheme", "jwt"), ("result", "ok")]),
        counter(names::AUTH_TOTAL, &[("result", "refused")]),
    );

    // a login
    let seen = post(
        &srv,
        "/jwt/obtain/",
        "jwt-obtain",
        &[],
        &credentials("ada", PASS),
    )
    .await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let access = seen.json()["access_token"].as_str().unwrap().to_owned();
    let refresh = seen.json()["refresh_token"].as_str().unwrap().to_owned();
    let e = one("login.succeeded", "jwt-obtain");
    assert_eq!(
        (e.get("scheme"), e.get("subject"), e.level.as_str()),
        (Some("jwt"), Some("41"), "INFO")
    );
    assert_eq!(one("jwt.issued", "jwt-obtain").get("subject"), Some("41"));
    assert_eq!(ops("login.succeeded", "ok"), before.0 + 1);

    // a failed login: the reason class, no subject, no user name
    let seen = post(
        &srv,
        "/jwt/obtain/",
        "jwt-fail",
        &[],
        &credentials("ada", WRONG),
    )
    .await;
    assert_eq!(seen.status, 401);
    let e = one("login.failed", "jwt-fail");
    assert_eq!(
        (e.get("reason"), e.get("subject")),
        (Some("invalid_credentials"), None)
    );
    assert!(!format!("{e:?}").contains("ada"), "{e:?}");
    assert_eq!(ops("login.failed", "refused"), before.1 + 1);
    assert!(audit("login.succeeded", "jwt-fail").is_empty());

    // an authenticated request: its span says who let it in
    let seen = get_as(
        &srv,
        "/me/",
        "jwt-me",
        &[("authorization", &bearer(&access))],
    )
    .await;
    assert_eq!((seen.status.as_u16(), seen.text()), (200, "41".to_owned()));
    let span = request_span("jwt-me");
    assert_eq!(span.get("http.route"), Some("/me/"));
    assert_eq!(span.get("dmr.auth.outcome"), Some("ok"));
    assert_eq!(span.get("dmr.auth.scheme"), Some("jwt"));
    assert_eq!(span.get("dmr.auth.position"), Some("0"));
    assert_eq!(span.get("client.address"), Some("127.0.0.1"));
    assert_eq!(
        counter(names::AUTH_TOTAL, &[("scheme", "jwt"), ("result", "ok")]),
        before.3 + 1
    );
    // refused: the reason code, never the message
    let seen = get_as(
        &srv,
        "/me/",
        "jwt-me-401",
        &[("authorization", "Bearer nope.nope.nope")],
    )
    .await;
    assert_eq!(seen.status, 401);
    let span = request_span("jwt-me-401");
    assert_eq!(
        (span.get("dmr.auth.outcome"), span.get("dmr.auth.reason")),
        (Some("refused"), Some("not_authenticated"))
    );
    assert_eq!(
        counter(names::AUTH_TOTAL, &[("result", "refused")]),
        before.4 + 1
    );

    // verify, refresh, then the rotated refresh token again: reuse, its family revoked
    let body = json!({ "access_token": access }).to_string();
    assert_eq!(
        post(&srv, "/jwt/verify/", "jwt-verify", &[], &body)
            .await
            .status,
        204
    );
    assert_eq!(audit_of("jwt.verified", "41").len(), 1);
    let body = json!({ "refresh_token": refresh }).to_string();
    let seen = post(&srv, "/jwt/refresh/", "jwt-refresh", &[], &body).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let access2 = seen.json()["access_token"].as_str().unwrap().to_owned();
    let refresh2 = seen.json()["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(audit_of("jwt.refreshed", "41").len(), 1);
    assert!(audit_of("jwt.refresh_reuse", "41").is_empty());
    let seen = post(&srv, "/jwt/refresh/", "jwt-reuse", &[], &body).await;
    assert_eq!(seen.status, 401);
    let reuse = audit_of("jwt.refresh_reuse", "41");
    assert_eq!(reuse.len(), 1, "{reuse:?}");
    assert_eq!(reuse[0].level, "WARN");
    assert_eq!(ops("jwt.refresh_reuse", "refused"), before.2 + 1);
    // the reuse happened inside the request's span, which has its id
    let span = request_span("jwt-reuse");
    assert_eq!(span.get("http.route"), Some("/jwt/refresh/"));

    // logout
    let body = json!({ "refresh_token": refresh2 }).to_string();
    let seen = post(
        &srv,
        "/jwt/logout/",
        "jwt-logout",
        &[("authorization", &bearer(&access2))],
        &body,
    )
    .await;
    assert_eq!(seen.status, 204, "{}", seen.text());
    assert_eq!(one("jwt.revoked", "jwt-logout").get("subject"), Some("41"));

    assert_unwritten(
        &[
            PASS,
            WRONG,
            SECRET,
            &access,
            &refresh,
            &access2,
            &refresh2,
            &bearer(&access),
        ],
        &debug,
    );
}

#[actix_rt::test]
async fn session_login_logout_and_basic_write_their_events() {
    let _serial = observed();
    let cfg = session_support::config(users());
    let debug = format!("{cfg:?}");
    let srv = session_support::server(&cfg);
    let mut jar = session_support::Jar::default();
    let seen = session_support::call(
        &srv,
        &mut jar,
        "POST",
        "/auth/login/",
        &[
            ("content-type", "application/json"),
            ("x-request-id", "s-login"),
        ],
        Some(&credentials("ada", PASS)),
    )
    .await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let e = one("login.succeeded", "s-login");
    assert_eq!(
        (e.get("scheme"), e.get("subject")),
        (Some("session"), Some("41"))
    );
    assert_eq!(one("session.renewed", "s-login").get("subject"), Some("41"));
    let csrf = jar.get("csrftoken").unwrap().to_owned();
    let session = jar.get("sessionid").unwrap().to_owned();

    // a request on the session
    let seen = session_support::call(
        &srv,
        &mut jar,
        "GET",
        "/p/",
        &[("x-request-id", "s-read")],
        None,
    )
    .await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    assert_eq!(request_span("s-read").get("dmr.auth.outcome"), Some("ok"));

    // logout, CSRF-checked
    let seen = session_support::call(
        &srv,
        &mut jar,
        "POST",
        "/auth/logout/",
        &[("x-csrftoken", &csrf), ("x-request-id", "s-logout")],
        None,
    )
    .await;
    assert_eq!(seen.status, 204, "{}", seen.text());
    assert_eq!(one("logout", "s-logout").get("subject"), Some("41"));

    // HTTP Basic (the settings' auth): the span names it
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("basic:basicpass")
    );
    let seen = get_as(&srv, "/p/", "s-basic", &[("authorization", &basic)]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "basic:basic".to_owned())
    );
    let span = request_span("s-basic");
    assert_eq!(span.get("dmr.auth.outcome"), Some("ok"));

    assert_unwritten(&[PASS, &csrf, &session, &basic, "basicpass"], &debug);
}

#[actix_rt::test]
async fn token_obtain_and_revoke_write_their_events() {
    let _serial = observed();
    let tokens = ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        std::sync::Arc::new(users()),
        TokenHasher::new("token-hmac-secret"),
    );
    let debug = format!("{tokens:?}");
    let api = Api::new()
        .state(tokens)
        .scope("/api/tokens", |s| {
            s.controller::<TokenObtain>().controller::<TokenManage>()
        })
        .build()
        .expect("api builds");
    let srv = serve(api);
    let issued = ops("token.issued", "ok");
    let seen = post(
        &srv,
        "/api/tokens/",
        "t-obtain",
        &[],
        &credentials("ada", PASS),
    )
    .await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let raw = seen.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(one("token.issued", "t-obtain").get("subject"), Some("41"));
    assert_eq!(
        one("login.succeeded", "t-obtain").get("scheme"),
        Some("token")
    );
    assert_eq!(ops("token.issued", "ok"), issued + 1);
    let seen = send(
        &srv,
        "DELETE",
        "/api/tokens/current/",
        &[
            ("x-api-token", raw.as_bytes()),
            ("x-request-id", b"t-revoke"),
        ],
        None,
    )
    .await;
    assert_eq!(seen.status, 204, "{}", seen.text());
    assert!(!audit_of("token.revoked", "41").is_empty());
    assert_eq!(request_span("t-revoke").get("dmr.auth.outcome"), Some("ok"));
    assert_unwritten(&[PASS, &raw, "token-hmac-secret"], &debug);
}

/// Ten wrong passwords for `user` (401 each), then the eleventh's answer; request ids
/// `<prefix>-0` to `<prefix>-10`.
async fn eleven_wrong_logins(srv: &TestServer, user: &str, prefix: &str) -> Seen {
    let body = credentials(user, WRONG);
    for i in 0..10 {
        let id = format!("{prefix}-{i}");
        assert_eq!(post(srv, "/jwt/obtain/", &id, &[], &body).await.status, 401);
    }
    post(srv, "/jwt/obtain/", &format!("{prefix}-10"), &[], &body).await
}

#[actix_rt::test]
async fn a_throttle_hit_and_a_lockout_write_their_events_and_counts() {
    let _serial = observed();
    // per address: the 11th attempt in a minute is refused
    let issuer = JwtIssuer::hs256(SECRET, users()).unwrap();
    let srv = jwt_server(issuer, memory());
    let hits = counter(
        names::THROTTLE_HITS,
        &[("throttle", "login"), ("status", "429")],
    );
    let seen = eleven_wrong_logins(&srv, "ada", "th").await;
    assert_eq!(seen.status, 429);
    assert_eq!(
        counter(
            names::THROTTLE_HITS,
            &[("throttle", "login"), ("status", "429")]
        ),
        hits + 1
    );
    let throttled = observe_support::all_events("throttled");
    assert!(
        throttled
            .iter()
            .any(|e| e.get("throttle") == Some("login")
                && e.get("client.address") == Some("127.0.0.1")),
        "{throttled:?}"
    );
    // no login.failed for a refusal before any password check
    assert!(audit("login.failed", "th-10").is_empty());

    // per user name only: a lockout
    let issuer = JwtIssuer::hs256(SECRET, users())
        .unwrap()
        .login_throttle(None);
    let srv = jwt_server(issuer, memory());
    let lockouts = ops("lockout", "refused");
    let seen = eleven_wrong_logins(&srv, "locked", "lk").await;
    assert_eq!(seen.status, 429);
    assert_eq!(ops("lockout", "refused"), lockouts + 1);
    let span = request_span("lk-10");
    assert_eq!(span.get("http.route"), Some("/jwt/obtain/"));
    assert_unwritten(&[WRONG, SECRET], "");
    assert!(
        !everything().contains("\"locked\""),
        "the user name is not written"
    );
}

/// A device past its own throttle writes a lockout naming the device throttle (and the
/// device cookie, a credential, is written nowhere); a session store full of logins writes an
/// error that says so.
#[actix_rt::test]
async fn a_locked_out_device_and_a_full_session_store_say_so() {
    let _serial = observed();
    let devices = dmr_runtime::backends::credentials::DeviceCookies::new(SECRET)
        .unwrap()
        .secure(false);
    let issuer = JwtIssuer::hs256(SECRET, users())
        .unwrap()
        .login_throttle(None)
        .device_cookies(devices);
    let srv = jwt_server(issuer, memory());
    let ok = post(&srv, "/jwt/obtain/", "dv-0", &[], &credentials("ada", PASS)).await;
    assert_eq!(ok.status, 200);
    let device = session_support::set_cookies(&ok)
        .into_iter()
        .find(|c| c.name() == "dmr_device")
        .expect("a device cookie")
        .value()
        .to_owned();
    let cookie = format!("dmr_device={device}");
    let lockouts = ops("lockout", "refused");
    for i in 1..=11 {
        let id = format!("dv-{i}");
        let body = credentials("ada", WRONG);
        let seen = post(&srv, "/jwt/obtain/", &id, &[("cookie", &cookie)], &body).await;
        assert_eq!(seen.status, if i <= 10 { 401 } else { 429 }, "{id}");
    }
    assert_eq!(ops("lockout", "refused"), lockouts + 1);
    let text = everything();
    assert!(
        text.contains("the login throttle per device refused"),
        "{text}"
    );
    assert_unwritten(&[&device, WRONG, SECRET], "");

    let cfg = session_support::config(users());
    let full = dmr_runtime::backends::session::SessionLimits::default().capacity(1);
    let store = dmr_runtime::backends::session::MemorySessionStore::new().limits(full);
    let srv = session_support::server_on(&cfg, store);
    let mut jar = session_support::Jar::default();
    assert_eq!(
        session_support::login(&srv, &mut jar, "ada", PASS)
            .await
            .status,
        200
    );
    let mut other = session_support::Jar::default();
    let refused = session_support::login(&srv, &mut other, "locked", PASS).await;
    assert_eq!(refused.status, 503);
    let text = everything();
    assert!(
        text.contains("session store: save failed: the session store is full (1 sessions"),
        "{text}"
    );
}
