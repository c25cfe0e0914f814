//! The default throttles of `SessionLogin`: 10 attempts per client address and per user name
//! (GCRA), the 11th refused with 429 and `Retry-After` before any password is hashed; both can
//! be changed or turned off; the address is read from forwarding headers only when the CSRF
//! config trusts them.

mod session_support;

use dmr_runtime::backends::csrf::CsrfConfig;
use dmr_runtime::throttle::Throttle;
use session_support::*;

const TOO_MANY: &str = r#"{"detail":[{"msg":"Too many requests","type":"ratelimit"}]}"#;

async fn login_from(
    srv: &dmr_tests::TestServer,
    addr: Option<&str>,
    user: &str,
    pass: &str,
) -> dmr_tests::Seen {
    let body = serde_json::json!({"username": user, "password": pass}).to_string();
    let mut headers: Vec<(&str, &str)> = vec![("content-type", "application/json")];
    if let Some(addr) = addr {
        headers.push(("x-forwarded-for", addr));
    }
    call(
        srv,
        &mut Jar::default(),
        "POST",
        "/auth/login/",
        &headers,
        Some(&body),
    )
    .await
}

#[actix_rt::test]
async fn the_eleventh_wrong_login_from_one_address_gets_429_with_retry_after() {
    let srv = server(&config(users()));
    for i in 0..10 {
        // a different user name each time: only the per-address limit applies
        let seen = login_from(&srv, None, &format!("guess{i}"), "wrong").await;
        assert_eq!(seen.status, 401, "attempt {}: {}", i + 1, seen.text());
    }
    let refused = login_from(&srv, None, "admin", PASS).await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.text(), TOO_MANY);
    assert_eq!(refused.header("content-type"), Some("application/json"));
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!(
        (1..=6).contains(&retry),
        "one attempt comes back every 6 s: {retry}"
    );
    assert_eq!(refused.header("x-ratelimit-limit"), Some("10"));
    assert!(refused.header("set-cookie").is_none());
    // forwarding headers are not trusted: a forged X-Forwarded-For is the same client
    let forged = login_from(&srv, Some("203.0.113.50"), "admin", PASS).await;
    assert_eq!(forged.status, 429);
}

#[actix_rt::test]
async fn one_user_name_is_limited_across_addresses_behind_a_trusted_proxy() {
    let cfg = config(users()).csrf(CsrfConfig::new().trust_forwarded_headers(true));
    let srv = server(&cfg);
    for i in 0..10 {
        let addr = format!("198.51.100.{i}");
        let seen = login_from(&srv, Some(&addr), "bob", "wrong").await;
        assert_eq!(seen.status, 401, "{}", seen.text());
    }
    let refused = login_from(&srv, Some("198.51.100.99"), "bob", PASS).await;
    assert_eq!(refused.status, 429, "{}", refused.text());
    // another user from a fresh address is not affected
    let other = login_from(&srv, Some("198.51.100.100"), "admin", PASS).await;
    assert_eq!(other.status, 200, "{}", other.text());
}

#[actix_rt::test]
async fn the_login_throttles_can_be_changed_or_turned_off() {
    let off = config(users()).login_throttle(None).username_throttle(None);
    let srv = server(&off);
    for _ in 0..15 {
        assert_eq!(login_from(&srv, None, "admin", "wrong").await.status, 401);
    }
    let tight = config(users()).login_throttle(Some(Throttle::per_minute(2)));
    let srv = server(&tight);
    assert_eq!(login_from(&srv, None, "admin", PASS).await.status, 200);
    assert_eq!(login_from(&srv, None, "bob", PASS).await.status, 200);
    assert_eq!(login_from(&srv, None, "bob", PASS).await.status, 429);
}

#[actix_rt::test]
async fn openapi_documents_the_login_429() {
    let api = api(&config(users()));
    let doc: serde_json::Value = serde_json::from_str(api.openapi_json()).unwrap();
    let r429 = &doc["paths"]["/auth/login/"]["post"]["responses"]["429"];
    assert_eq!(r429["description"], "Raised when the request was throttled");
    assert_eq!(r429["headers"]["Retry-After"]["schema"]["type"], "integer");
}
