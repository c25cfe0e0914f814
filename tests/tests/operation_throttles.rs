//! The credential operations that check no password are throttled too, through real
//! servers: the session logout (per client address before the session is touched, then per
//! logged-in user) and the opaque tokens' revocations (per client address and per user),
//! with 429, `Retry-After` and `X-RateLimit-*`; both document their 429.

mod session_support;
mod tokens_support;

use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
use dmr_runtime::throttle::Throttle;
use dmr_tests::Seen;
use serde_json::Value;
use session_support::{Jar, call, config, logged_in, logout, server, users};

const TOO_MANY: &str = r#"{"detail":[{"msg":"Too many requests","type":"ratelimit"}]}"#;

fn assert_throttled(seen: &Seen, limit: &str) {
    assert_eq!(seen.status.as_u16(), 429, "{}", seen.text());
    assert_eq!(seen.text(), TOO_MANY);
    let retry: u64 = seen
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(seen.header("x-ratelimit-limit"), Some(limit));
    assert_eq!(seen.header("x-ratelimit-remaining"), Some("0"));
}

#[actix_rt::test]
async fn the_61st_session_logout_from_one_address_within_a_minute_gets_429() {
    let srv = server(&config(users()));
    for i in 0..60 {
        let seen = logout(&srv, &mut Jar::default()).await;
        assert_eq!(seen.status, 204, "logout {i}: {}", seen.text());
    }
    assert_throttled(&logout(&srv, &mut Jar::default()).await, "60");
    // a logged-in user's logout from that address is refused before its session is touched
    let mut jar = logged_in(&srv, "admin").await;
    assert_throttled(&logout(&srv, &mut jar).await, "60");
    assert_eq!(
        call(&srv, &mut jar, "GET", "/p/", &[], None).await.status,
        200,
        "the refused logout did not end the session"
    );
}

#[actix_rt::test]
async fn one_users_session_logouts_are_throttled_per_user() {
    let cfg = config(users())
        .login_throttle(None)
        .username_throttle(None)
        .logout_user_throttle(Some(Throttle::per_minute(2).smooth()));
    let srv = server(&cfg);
    let mut jars = Vec::new();
    for _ in 0..3 {
        jars.push(logged_in(&srv, "admin").await);
    }
    let mut bob = logged_in(&srv, "bob").await;
    for jar in &mut jars[..2] {
        assert_eq!(logout(&srv, jar).await.status, 204);
    }
    assert_throttled(&logout(&srv, &mut jars[2]).await, "2");
    // another user is not affected
    assert_eq!(logout(&srv, &mut bob).await.status, 204);
}

fn tokens() -> ApiTokens {
    ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        tokens_support::memory_users(),
        TokenHasher::new("operation-throttles-secret"),
    )
    .login_throttle(None)
    .username_throttle(None)
}

#[actix_rt::test]
async fn one_users_token_revocations_are_throttled_per_user() {
    let srv = tokens_support::server(
        tokens().revoke_user_throttle(Some(Throttle::per_minute(2).smooth())),
    );
    let mut raw = Vec::new();
    for _ in 0..3 {
        raw.push(tokens_support::token_of(&srv, "admin").await);
    }
    let bob = tokens_support::token_of(&srv, "bob").await;
    for t in &raw[..2] {
        let seen = tokens_support::with_token(&srv, "DELETE", "/api/tokens/current/", t).await;
        assert_eq!(seen.status, 204, "{}", seen.text());
    }
    let seen = tokens_support::with_token(&srv, "DELETE", "/api/tokens/", &raw[2]).await;
    assert_throttled(&seen, "2");
    // the refused revocation revoked nothing
    let seen = tokens_support::with_token(&srv, "GET", "/api/tokens/", &raw[2]).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let seen = tokens_support::with_token(&srv, "DELETE", "/api/tokens/current/", &bob).await;
    assert_eq!(seen.status, 204, "another user is not affected");
}

#[actix_rt::test]
async fn token_revocations_are_throttled_per_address() {
    let srv = tokens_support::server(
        tokens()
            .revoke_user_throttle(None)
            .revoke_address_throttle(Some(Throttle::per_minute(1).smooth())),
    );
    let admin = tokens_support::token_of(&srv, "admin").await;
    let bob = tokens_support::token_of(&srv, "bob").await;
    let seen = tokens_support::with_token(&srv, "DELETE", "/api/tokens/current/", &admin).await;
    assert_eq!(seen.status, 204);
    let seen = tokens_support::with_token(&srv, "DELETE", "/api/tokens/current/", &bob).await;
    assert_throttled(&seen, "1");
}

/// `method path` documents the reference's 429 with `Retry-After`.
fn assert_documents_429(doc: &Value, path: &str, method: &str) {
    let r429 = &doc["paths"][path][method]["responses"]["429"];
    assert_eq!(
        r429["description"], "Raised when the request was throttled",
        "{method} {path}: {r429}"
    );
    assert_eq!(
        r429["headers"]["Retry-After"]["schema"]["type"], "integer",
        "{r429}"
    );
}

#[actix_rt::test]
async fn logout_and_revocations_document_their_429() {
    let cfg = config(users());
    let session: Value = serde_json::from_str(session_support::api(&cfg).openapi_json()).unwrap();
    assert_documents_429(&session, "/auth/logout/", "post");
    let doc: Value = serde_json::from_str(tokens_support::api(tokens()).openapi_json()).unwrap();
    assert_documents_429(&doc, "/api/tokens/current/", "delete");
    assert_documents_429(&doc, "/api/tokens/", "delete");
    assert!(doc["paths"]["/api/tokens/"]["get"]["responses"]["429"].is_null());
}
