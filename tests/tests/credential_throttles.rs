//! The default login throttles of every credential controller through real servers:
//! `JwtObtainSync` (sharing its counters with `JwtObtain`) and `TokenObtain` refuse the 11th
//! attempt within a minute from one client address, or for one user name from many
//! addresses, with the reference's 429; both throttles can be turned off; every throttled
//! credential operation documents its 429 and the headers.
//!
//! Forwarding headers are not trusted here, so the client address is the connection's: the
//! tests connect from different loopback addresses (`127.0.0.0/8` all reaches the server).

mod login_endpoints;
mod session_support;
mod tokens_support;

use std::net::IpAddr;
use std::time::Duration;

use dmr_runtime::backends::jwt::{JwtIssuer, JwtObtain, JwtObtainSync, JwtRefresh};
use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, Seen, TestServer, serve_with};
use serde_json::{Value, json};

const TOO_MANY: &str = r#"{"detail":[{"msg":"Too many requests","type":"ratelimit"}]}"#;
const PASS: &str = tokens_support::PASS;

fn issuer() -> JwtIssuer {
    JwtIssuer::hs256(
        "credential-throttles-0123456789abcdef",
        tokens_support::memory_users(),
    )
    .unwrap()
}

fn jwt_api() -> Api {
    Api::new()
        .scope("/a", |s| {
            s.controller::<JwtObtain>().controller::<JwtRefresh>()
        })
        .scope("/s", |s| s.controller::<JwtObtainSync>())
        .build()
        .expect("api builds")
}

fn jwt_server(issuer: JwtIssuer) -> TestServer {
    serve_with(jwt_api(), move || {
        actix_web::App::new().app_data(issuer.app_data())
    })
}

fn tokens() -> ApiTokens {
    ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        tokens_support::memory_users(),
        TokenHasher::new("test-secret"),
    )
}

/// `POST path` with the credentials as JSON, from the loopback address `from`.
async fn attempt(srv: &TestServer, from: &str, path: &str, user: &str, pass: &str) -> Seen {
    let from: IpAddr = from.parse().expect("an address");
    let client = awc::Client::builder()
        .connector(awc::Connector::new().local_address(from))
        .timeout(Duration::from_secs(30))
        .finish();
    let body = json!({"username": user, "password": pass}).to_string();
    let mut res = client
        .post(srv.url(path))
        .insert_header(("content-type", "application/json"))
        .send_body(body)
        .await
        .expect("the server answers");
    let body = res.body().await.expect("a body").to_vec();
    Seen {
        status: res.status(),
        headers: res.headers().clone(),
        body,
    }
}

fn assert_throttled(seen: &Seen) {
    assert_eq!(seen.status.as_u16(), 429, "{}", seen.text());
    assert_eq!(seen.text(), TOO_MANY);
    assert_eq!(seen.header("content-type"), Some("application/json"));
    let retry: u64 = seen
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!(
        (1..=6).contains(&retry),
        "one attempt comes back every 6 s: {retry}"
    );
    assert_eq!(seen.header("x-ratelimit-limit"), Some("10"));
    assert_eq!(seen.header("x-ratelimit-remaining"), Some("0"));
}

#[actix_rt::test]
async fn the_eleventh_wrong_jwt_obtain_from_one_address_gets_429_sync_and_async_alike() {
    let srv = jwt_server(issuer());
    for i in 0..10 {
        // a different user name each time: only the per-address limit applies; the sync
        // and the async controller count together
        let scope = if i % 2 == 0 { "/s" } else { "/a" };
        let seen = attempt(
            &srv,
            "127.0.0.1",
            &format!("{scope}/obtain/"),
            &format!("guess{i}"),
            "wrong",
        )
        .await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned()),
            "attempt {}",
            i + 1
        );
    }
    // even the right password is not checked any more
    assert_throttled(&attempt(&srv, "127.0.0.1", "/s/obtain/", "admin", PASS).await);
    assert_throttled(&attempt(&srv, "127.0.0.1", "/a/obtain/", "admin", PASS).await);
    // another address is not affected
    let other = attempt(&srv, "127.0.0.2", "/s/obtain/", "admin", PASS).await;
    assert_eq!(other.status.as_u16(), 200, "{}", other.text());
}

#[actix_rt::test]
async fn the_eleventh_wrong_token_obtain_from_one_address_gets_429() {
    let srv = tokens_support::server(tokens());
    for i in 0..10 {
        let seen = attempt(&srv, "127.0.0.3", "/api/tokens/", &format!("guess{i}"), "x").await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned()),
            "attempt {}",
            i + 1
        );
    }
    let refused = attempt(&srv, "127.0.0.3", "/api/tokens/", "admin", PASS).await;
    assert_throttled(&refused);
    assert!(refused.header("set-cookie").is_none());
    let other = attempt(&srv, "127.0.0.4", "/api/tokens/", "admin", PASS).await;
    assert_eq!(other.status.as_u16(), 200, "{}", other.text());
    assert!(other.json()["token"].is_string());
}

/// Ten wrong passwords for `bob`, each from its own address, then `bob` with the right
/// password from an eleventh address is refused, and `admin` from yet another one is not.
async fn one_user_name_across_addresses(srv: &TestServer, path: &str, subnet: u8) {
    for i in 0..10 {
        let from = format!("127.{subnet}.0.{}", i + 1);
        let seen = attempt(srv, &from, path, "bob", "wrong").await;
        assert_eq!(seen.status.as_u16(), 401, "from {from}: {}", seen.text());
    }
    let refused = attempt(srv, &format!("127.{subnet}.0.99"), path, "bob", PASS).await;
    assert_throttled(&refused);
    let other = attempt(srv, &format!("127.{subnet}.0.100"), path, "admin", PASS).await;
    assert_eq!(other.status.as_u16(), 200, "{}", other.text());
}

#[actix_rt::test]
async fn one_user_name_is_limited_across_addresses_for_jwt_obtain() {
    let srv = jwt_server(issuer());
    one_user_name_across_addresses(&srv, "/s/obtain/", 10).await;
    let srv = jwt_server(issuer());
    one_user_name_across_addresses(&srv, "/a/obtain/", 11).await;
}

#[actix_rt::test]
async fn one_user_name_is_limited_across_addresses_for_token_obtain() {
    let srv = tokens_support::server(tokens());
    one_user_name_across_addresses(&srv, "/api/tokens/", 12).await;
}

/// One `PasswordLogin` given to the session config, the JWT issuer and the token config: one
/// guess budget for an account across the three login endpoints. Ten wrong passwords for
/// `admin`, spread over the three endpoints and ten addresses, and the right password is
/// refused on each of them; the gate is the same one.
#[actix_rt::test]
async fn one_password_login_gives_one_guess_budget_across_every_login_endpoint() {
    use dmr_runtime::backends::credentials::PasswordLogin;
    use dmr_runtime::backends::session::SessionConfig;

    let login = PasswordLogin::with_users(tokens_support::memory_users()).max_concurrent_logins(1);
    let sessions = SessionConfig::new(tokens_support::memory_users())
        .secure(false)
        .password_login(login.clone());
    let issuer = issuer().password_login(login.clone());
    let tokens = tokens().password_login(login.clone());
    assert_eq!(issuer.get_max_concurrent_logins(), 1, "the shared gate");
    assert_eq!(sessions.get_max_concurrent_logins(), 1, "the shared gate");
    let srv = login_endpoints::server(sessions, issuer, tokens);
    let paths = login_endpoints::PATHS;
    for i in 0..10 {
        let from = format!("127.20.0.{}", i + 1);
        let path = paths[i % paths.len()];
        let seen = attempt(&srv, &from, path, "admin", "wrong").await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned()),
            "guess {} at {path}",
            i + 1
        );
    }
    for path in paths {
        let refused = attempt(&srv, "127.20.0.99", path, "admin", PASS).await;
        assert_throttled(&refused);
    }
    // another account is not affected, on any endpoint
    for (i, path) in paths.into_iter().enumerate() {
        let seen = attempt(&srv, &format!("127.20.1.{i}"), path, "bob", PASS).await;
        assert_eq!(seen.status.as_u16(), 200, "{path}: {}", seen.text());
    }
}

#[actix_rt::test]
async fn the_login_throttles_can_be_turned_off_or_changed() {
    let jwt = jwt_server(issuer().login_throttle(None).username_throttle(None));
    let tokens_srv = tokens_support::server(tokens().login_throttle(None).username_throttle(None));
    for path in ["/s/obtain/", "/a/obtain/"] {
        for _ in 0..12 {
            let seen = attempt(&jwt, "127.0.0.5", path, "admin", "wrong").await;
            assert_eq!(seen.status.as_u16(), 401, "{path}: {}", seen.text());
        }
    }
    for _ in 0..12 {
        let seen = attempt(&tokens_srv, "127.0.0.5", "/api/tokens/", "admin", "wrong").await;
        assert_eq!(seen.status.as_u16(), 401, "{}", seen.text());
    }

    // one per minute per user name, no address limit
    let one = || Some(dmr_runtime::throttle::Throttle::per_minute(1));
    let jwt = jwt_server(issuer().login_throttle(None).username_throttle(one()));
    assert_eq!(
        attempt(&jwt, "127.0.0.6", "/s/obtain/", "admin", PASS)
            .await
            .status,
        200
    );
    assert_eq!(
        attempt(&jwt, "127.0.0.6", "/s/obtain/", "bob", PASS)
            .await
            .status,
        200
    );
    let again = attempt(&jwt, "127.0.0.6", "/s/obtain/", "bob", PASS).await;
    assert_eq!(again.status.as_u16(), 429, "{}", again.text());
    assert_eq!(again.text(), TOO_MANY);
    let tokens_srv = tokens_support::server(tokens().login_throttle(one()).username_throttle(None));
    assert_eq!(
        attempt(&tokens_srv, "127.0.0.7", "/api/tokens/", "admin", PASS)
            .await
            .status,
        200
    );
    let again = attempt(&tokens_srv, "127.0.0.7", "/api/tokens/", "bob", PASS).await;
    assert_eq!(again.status.as_u16(), 429, "{}", again.text());
}

/// The 429 of `method path` in `doc`, checked: the error model's body, `Retry-After` and the
/// `X-RateLimit-*` headers as integers.
fn assert_documents_429(doc: &Value, path: &str, method: &str) {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is documented");
    let r429 = &op["responses"]["429"];
    assert_eq!(
        r429["description"], "Raised when the request was throttled",
        "{method} {path}: {r429}"
    );
    assert!(
        r429["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .is_some_and(|r| r.starts_with("#/components/schemas/")),
        "{method} {path}: {r429}"
    );
    for header in [
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
    ] {
        assert_eq!(
            r429["headers"][header]["schema"]["type"], "integer",
            "{method} {path}: {header} in {r429}"
        );
    }
}

#[actix_rt::test]
async fn every_throttled_credential_operation_documents_its_429() {
    let jwt: Value = serde_json::from_str(jwt_api().openapi_json()).unwrap();
    assert_documents_429(&jwt, "/a/obtain/", "post");
    assert_documents_429(&jwt, "/s/obtain/", "post");
    // refresh checks no password, but is throttled by address, subject and family
    assert_documents_429(&jwt, "/a/refresh/", "post");

    let tokens: Value = serde_json::from_str(tokens_support::api(tokens()).openapi_json()).unwrap();
    assert_documents_429(&tokens, "/api/tokens/", "post");
    assert!(tokens["paths"]["/api/tokens/"]["get"]["responses"]["429"].is_null());

    let cfg = session_support::config(session_support::users());
    let session: Value = serde_json::from_str(session_support::api(&cfg).openapi_json()).unwrap();
    assert_documents_429(&session, "/auth/login/", "post");
    assert_documents_429(&session, "/auth/logout/", "post");
}

/// Two servers that keep their login throttles in one Redis: one address has one budget
/// across both, whichever controller (sync or async) and server it tries.
#[actix_rt::test]
async fn servers_sharing_a_redis_throttle_store_share_one_login_budget() {
    const REDIS: &str = "127.0.0.1:6379";
    if std::net::TcpStream::connect(REDIS).is_err() {
        dmr_runtime::testing::unavailable(
            "servers_sharing_a_redis_throttle_store_share_one_login_budget",
            "no Redis on 127.0.0.1:6379",
            "DMR_REQUIRE_REDIS",
        );
        return;
    }
    let prefix = format!(
        "dmr-test:login-budget:{}:{:?}:",
        std::process::id(),
        std::time::SystemTime::now()
    );
    // each server builds its configuration on its own, as separate processes do
    let server = || {
        let store = dmr_runtime::throttle::RedisStore::new(&format!("redis://{REDIS}"))
            .unwrap()
            .prefix(prefix.clone());
        jwt_server(issuer().throttle_store(store))
    };
    let (one, two) = (server(), server());
    for i in 0..10 {
        let (srv, scope) = if i % 2 == 0 {
            (&one, "/s")
        } else {
            (&two, "/a")
        };
        let seen = attempt(
            srv,
            "127.0.0.9",
            &format!("{scope}/obtain/"),
            &format!("guess{i}"),
            "x",
        )
        .await;
        assert_eq!(
            seen.status.as_u16(),
            401,
            "attempt {}: {}",
            i + 1,
            seen.text()
        );
    }
    assert_throttled(&attempt(&one, "127.0.0.9", "/a/obtain/", "admin", PASS).await);
    assert_throttled(&attempt(&two, "127.0.0.9", "/s/obtain/", "admin", PASS).await);
    let other = attempt(&two, "127.0.0.10", "/s/obtain/", "admin", PASS).await;
    assert_eq!(other.status.as_u16(), 200, "{}", other.text());
}
