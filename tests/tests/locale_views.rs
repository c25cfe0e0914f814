//! The credential views' own refusals (a wrong password, a CSRF failure at logout) are
//! localized like the chain's: `Accept-Language` picks the language, `Content-Language` and
//! `Vary` say so, the status and the view's other headers stay.

mod session_support;
mod tokens_support;

use dmr_runtime::backends::jwt::{JwtIssuer, JwtObtain, JwtObtainSync};
use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
use dmr_runtime::prelude::*;
use dmr_tests::{Seen, TestServer, send, serve_with};
use serde_json::json;

async fn wrong_login(srv: &TestServer, path: &str, accept_language: Option<&str>) -> Seen {
    let body = json!({"username": "admin", "password": "wrong"}).to_string();
    let mut headers: Vec<(&str, &[u8])> = vec![("Content-Type", b"application/json")];
    if let Some(lang) = accept_language {
        headers.push(("Accept-Language", lang.as_bytes()));
    }
    send(srv, "POST", path, &headers, Some(body.as_bytes())).await
}

fn not_authenticated(msg: &str) -> String {
    json!({"detail": [{"msg": msg, "type": "security"}]}).to_string()
}

#[actix_rt::test]
async fn a_wrong_password_is_refused_in_the_clients_language_by_every_login_view() {
    let session = session_support::server(&session_support::config(session_support::users()));
    let issuer =
        JwtIssuer::hs256("0123456789abcdef0123456789abcdef", session_support::users()).unwrap();
    let jwt = serve_with(
        Api::new()
            .scope("/jwt", |s| s.controller::<JwtObtain>())
            .scope("/jwt-sync", |s| s.controller::<JwtObtainSync>())
            .build()
            .unwrap(),
        move || actix_web::App::new().app_data(issuer.app_data()),
    );
    let tokens = tokens_support::server(ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        tokens_support::memory_users(),
        TokenHasher::new("test-secret"),
    ));
    for (srv, path) in [
        (&session, "/auth/login/"),
        (&jwt, "/jwt/obtain/"),
        (&jwt, "/jwt-sync/obtain/"),
        (&tokens, "/api/tokens/"),
    ] {
        let seen = wrong_login(srv, path, Some("ru-RU, en;q=0.5")).await;
        assert_eq!(seen.status, 401, "{path}: {}", seen.text());
        assert_eq!(
            seen.text(),
            not_authenticated("Не аутентифицирован"),
            "{path}"
        );
        assert_eq!(seen.header("content-language"), Some("ru"), "{path}");
        assert_eq!(seen.header("vary"), Some("Accept-Language"), "{path}");
        assert_eq!(seen.header("content-type"), Some("application/json"));
        let seen = wrong_login(srv, path, Some("kk")).await;
        assert_eq!(seen.text(), not_authenticated("Аутентификация жасалмаған"));
        // no header right after: English, nothing carried over
        let seen = wrong_login(srv, path, None).await;
        assert_eq!(seen.status, 401);
        assert_eq!(
            seen.text(),
            not_authenticated("Not authenticated"),
            "{path}"
        );
        assert_eq!(seen.header("content-language"), Some("en"), "{path}");
    }
}

#[actix_rt::test]
async fn a_logout_without_its_csrf_token_is_refused_in_the_clients_language() {
    let cfg = session_support::config(session_support::users());
    let srv = session_support::server(&cfg);
    let mut jar = session_support::logged_in(&srv, "admin").await;
    let seen = session_support::call(
        &srv,
        &mut jar,
        "POST",
        "/auth/logout/",
        &[("Accept-Language", "it")],
        None,
    )
    .await;
    assert_eq!(seen.status, 403, "{}", seen.text());
    assert_eq!(
        seen.text(),
        json!({"detail": [{"msg": "Verifica CSRF non riuscita: CSRF token missing."}]}).to_string()
    );
    assert_eq!(seen.header("content-language"), Some("it"));
}
