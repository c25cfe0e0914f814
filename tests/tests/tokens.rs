//! Opaque API tokens on the embedded SQLite store, through real servers: obtain, header and
//! cookie auth on async and sync endpoints, the chain rules of the reference, revocation,
//! expiry, inactive users, last-used tracking, the controllers' errors and the OpenAPI schemes.

mod tokens_support;

use std::time::{Duration, SystemTime};

use dmr_runtime::backends::basic::basic_auth;
use dmr_runtime::backends::tokens::{ApiTokens, Expiry, SqliteTokens, TokenHasher};
use dmr_tests::{NOT_AUTHENTICATED, get, send};
use serde_json::json;
use tokens_support::*;

fn tokens() -> ApiTokens {
    ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        memory_users(),
        TokenHasher::new("test-secret"),
    )
}

#[actix_rt::test]
async fn obtain_then_use_on_async_and_sync_endpoints() {
    let srv = server(tokens());
    let seen = obtain(&srv, "admin", PASS).await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.header("cache-control"), Some("no-store"));
    let raw = seen.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(raw.len(), 43);
    assert_eq!(seen.json(), json!({"token": raw}));

    let seen = with_token(&srv, "GET", "/t/async/", &raw).await;
    assert_eq!(seen.status, 200);
    let text = seen.text();
    let (user, name) = text.split_once(':').unwrap();
    assert_eq!(user, "admin");
    assert_eq!(name.len(), 32);
    assert!(name.bytes().all(|b| b.is_ascii_hexdigit()));

    let seen = with_token(&srv, "GET", "/s/sync/", &raw).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "sync admin".to_owned())
    );
}

#[actix_rt::test]
async fn unknown_empty_and_missing_tokens() {
    let srv = server(tokens());
    for bad in ["", " ", "nope", "Bearer x"] {
        let seen = with_token(&srv, "GET", "/t/async/", bad).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned()),
            "{bad:?}"
        );
        let seen = with_token(&srv, "GET", "/s/sync/", bad).await;
        assert_eq!(seen.status, 401, "{bad:?}");
    }
    // no header at all: the only auth skips -> the standard 401
    let seen = get(&srv, "/t/async/", &[]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
    // header auths without `Authorization` send no challenge
    assert_eq!(seen.header("www-authenticate"), None);
}

#[actix_rt::test]
async fn bad_credentials_and_bodies() {
    let srv = server(tokens());
    for (user, pass) in [("admin", "wrong"), ("nobody", PASS), ("inactive", PASS)] {
        let seen = obtain(&srv, user, pass).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned()),
            "{user}"
        );
    }
    let json = [("content-type", b"application/json".as_slice())];
    type Headers<'a> = &'a [(&'a str, &'a [u8])];
    let cases: [(Headers<'_>, Vec<u8>, u16); 6] = [
        (&json, br#"{"username":"admin"}"#.to_vec(), 400),
        (
            &json,
            br#"{"username":"admin","password":12345}"#.to_vec(),
            400,
        ),
        (&json, b"[1,2]".to_vec(), 400),
        // without a content type: the reference's 400 `Cannot parse request body ..`
        (
            &[],
            br#"{"username":"admin","password":"s3cret-pass"}"#.to_vec(),
            400,
        ),
        (
            &[("content-type", b"text/plain")],
            br#"{"username":"admin","password":"s3cret-pass"}"#.to_vec(),
            415,
        ),
        (&json, vec![b' '; 9000], 413),
    ];
    for (headers, body, status) in cases {
        let seen = send(&srv, "POST", "/api/tokens/", headers, Some(&body)).await;
        assert_eq!(seen.status.as_u16(), status, "{}", seen.text());
        assert!(!seen.text().contains("12345"));
        assert_eq!(seen.json()["detail"][0]["type"], "value_error");
    }
}

#[actix_rt::test]
async fn list_shows_metadata_only_and_revoke_current_ends_the_token() {
    let srv = server(tokens());
    let first = token_of(&srv, "admin").await;
    let second = token_of(&srv, "admin").await;
    let _bobs = token_of(&srv, "bob").await;

    let seen = with_token(&srv, "GET", "/api/tokens/", &first).await;
    assert_eq!(seen.status, 200);
    let list = seen.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "only admin's tokens: {list:?}");
    for t in list {
        let keys: Vec<&String> = t.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "created_at",
                "expires_at",
                "id",
                "last_used_at",
                "name",
                "revoked_at"
            ]
        );
        assert!(t["revoked_at"].is_null());
        assert!(t["expires_at"].as_str().unwrap().ends_with('Z'));
    }
    assert!(!seen.text().contains(&first) && !seen.text().contains(&second));

    let seen = with_token(&srv, "DELETE", "/api/tokens/current/", &first).await;
    assert_eq!((seen.status.as_u16(), seen.text()), (204, String::new()));
    assert_eq!(
        with_token(&srv, "GET", "/t/async/", &first).await.status,
        401
    );
    assert_eq!(
        with_token(&srv, "GET", "/s/sync/", &first).await.status,
        401
    );
    // the other token still works, and the list shows the revocation
    let seen = with_token(&srv, "GET", "/api/tokens/", &second).await;
    assert_eq!(seen.status, 200);
    let revoked: Vec<bool> = seen
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| !t["revoked_at"].is_null())
        .collect();
    assert_eq!(revoked, [false, true]);
}

#[actix_rt::test]
async fn revoke_all_logs_out_everywhere_but_not_other_users() {
    let srv = server(tokens());
    let a = token_of(&srv, "admin").await;
    let b = token_of(&srv, "admin").await;
    let bob = token_of(&srv, "bob").await;
    let seen = with_token(&srv, "DELETE", "/api/tokens/", &a).await;
    assert_eq!(seen.status, 204);
    for raw in [&a, &b] {
        assert_eq!(with_token(&srv, "GET", "/t/async/", raw).await.status, 401);
    }
    assert_eq!(with_token(&srv, "GET", "/t/async/", &bob).await.status, 200);
}

#[actix_rt::test]
async fn expired_tokens_and_inactive_users_are_401() {
    let users = memory_users();
    let tokens = ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        std::sync::Arc::clone(&users),
        TokenHasher::new("test-secret"),
    );
    let past = SystemTime::now() - Duration::from_secs(1);
    let (_, expired) = tokens.issue("1", None, Expiry::At(past)).await.unwrap();
    let (info, never) = tokens
        .issue("2", Some("ci".into()), Expiry::Never)
        .await
        .unwrap();
    assert_eq!(info.expires_at, None);
    assert_eq!(info.name, "ci");
    let srv = server(tokens);
    assert_eq!(
        with_token(&srv, "GET", "/t/async/", &expired).await.status,
        401
    );
    assert_eq!(
        with_token(&srv, "GET", "/s/sync/", &expired).await.status,
        401
    );
    assert_eq!(
        with_token(&srv, "GET", "/t/async/", &never).await.status,
        200
    );
    users.set_active("bob", false);
    let seen = with_token(&srv, "GET", "/t/async/", &never).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
    assert_eq!(
        with_token(&srv, "GET", "/s/sync/", &never).await.status,
        401
    );
}

#[actix_rt::test]
async fn a_token_hashed_with_another_secret_salt_or_algorithm_is_refused() {
    use dmr_runtime::backends::tokens::TokenAlgorithm;
    let store = SqliteTokens::open_in_memory().unwrap();
    let issuing = ApiTokens::new(store.clone(), memory_users(), TokenHasher::new("one"));
    let (_, raw) = issuing.issue("1", None, Expiry::Default).await.unwrap();
    for hasher in [
        TokenHasher::new("two"),
        TokenHasher::new("one").salt("other"),
        TokenHasher::new("one").algorithm(TokenAlgorithm::Sha512),
    ] {
        let srv = server(ApiTokens::new(store.clone(), memory_users(), hasher));
        assert_eq!(with_token(&srv, "GET", "/t/async/", &raw).await.status, 401);
    }
    let srv = server(issuing);
    assert_eq!(with_token(&srv, "GET", "/t/async/", &raw).await.status, 200);
}

#[actix_rt::test]
async fn authorization_header_with_a_prefix() {
    let srv = server(tokens());
    let raw = token_of(&srv, "admin").await;
    let ok = format!("Token {raw}");
    let seen = get(&srv, "/drf/", &[("authorization", ok.as_str())]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "admin".to_owned())
    );
    // another word, no word, lowercase: skipped -> the generic 401, with the challenge
    for skip in [
        format!("Bearer {raw}"),
        raw.clone(),
        format!("token {raw}"),
        format!("Token{raw}"),
    ] {
        let seen = get(&srv, "/drf/", &[("authorization", skip.as_str())]).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned()),
            "{skip}"
        );
        assert_eq!(seen.header("www-authenticate"), Some("Token"));
    }
}

#[actix_rt::test]
async fn cookie_token_rules() {
    let srv = server(tokens());
    let raw = token_of(&srv, "admin").await;
    let cookie = format!("token={raw}");
    // a safe method needs no CSRF
    let seen = get(&srv, "/c/", &[("cookie", cookie.as_str())]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "admin".to_owned())
    );
    // an unsafe one does: the CSRF check runs before the lookup
    let seen = send(&srv, "POST", "/c/", &[("cookie", cookie.as_bytes())], None).await;
    assert_eq!(seen.status, 403);
    assert_eq!(
        seen.text(),
        r#"{"detail":[{"msg":"CSRF Failed: CSRF cookie not set."}]}"#
    );
    let bogus = send(&srv, "POST", "/c/", &[("cookie", b"token=bogus")], None).await;
    assert_eq!(bogus.status, 403, "CSRF before the lookup");
    let secret = "A".repeat(32);
    let both = format!("token={raw}; csrftoken={secret}");
    let seen = send(
        &srv,
        "POST",
        "/c/",
        &[
            ("cookie", both.as_bytes()),
            ("x-csrftoken", secret.as_bytes()),
        ],
        None,
    )
    .await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "written by admin".to_owned())
    );
    // no cookie: skip to Basic; an empty cookie: 401 even though Basic would succeed
    let basic = basic_auth("basic", "pw");
    let seen = get(&srv, "/t/chain/", &[("authorization", basic.as_str())]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "http_basic".to_owned())
    );
    let seen = get(
        &srv,
        "/t/chain/",
        &[("authorization", basic.as_str()), ("cookie", "token=")],
    )
    .await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
    let seen = get(&srv, "/t/chain/", &[("cookie", cookie.as_str())]).await;
    assert_eq!(seen.text(), "token_cookie");
    // the value is the token verbatim
    let prefixed = format!("token=Token%20{raw}");
    assert_eq!(
        get(&srv, "/c/", &[("cookie", prefixed.as_str())])
            .await
            .status,
        401
    );
}

#[actix_rt::test]
async fn last_used_is_written_at_most_once_per_interval() {
    let base = || {
        ApiTokens::new(
            SqliteTokens::open_in_memory().unwrap(),
            memory_users(),
            TokenHasher::new("test-secret"),
        )
    };
    let last_used = |seen: &dmr_tests::Seen| seen.json()[0]["last_used_at"].clone();

    // off (the default): never written
    let srv = server(base());
    let raw = token_of(&srv, "admin").await;
    with_token(&srv, "GET", "/t/async/", &raw).await;
    assert!(last_used(&with_token(&srv, "GET", "/api/tokens/", &raw).await).is_null());

    // one hour: the first use writes, the next ones within the hour do not
    let srv = server(base().track_last_used(Some(Duration::from_secs(3600))));
    let raw = token_of(&srv, "admin").await;
    with_token(&srv, "GET", "/t/async/", &raw).await;
    let first = last_used(&with_token(&srv, "GET", "/api/tokens/", &raw).await);
    assert!(first.is_string());
    with_token(&srv, "GET", "/s/sync/", &raw).await;
    with_token(&srv, "GET", "/t/async/", &raw).await;
    assert_eq!(
        last_used(&with_token(&srv, "GET", "/api/tokens/", &raw).await),
        first
    );

    // zero: every use writes
    let srv = server(base().track_last_used(Some(Duration::ZERO)));
    let raw = token_of(&srv, "admin").await;
    let a = last_used(&with_token(&srv, "GET", "/api/tokens/", &raw).await);
    std::thread::sleep(Duration::from_millis(5));
    let b = last_used(&with_token(&srv, "GET", "/api/tokens/", &raw).await);
    assert!(a.is_string() && b.is_string());
    assert_ne!(a, b);
}

#[actix_rt::test]
async fn openapi_schemes_are_the_reference_ones() {
    let doc: serde_json::Value = serde_json::from_str(api(tokens()).openapi_json()).unwrap();
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(
        schemes["token"],
        json!({"type":"apiKey","description":"Opaque token authentication","name":"X-API-Token","in":"header"})
    );
    assert_eq!(
        schemes["drf"],
        json!({"type":"http","description":"Opaque token authentication","scheme":"bearer"})
    );
    assert_eq!(
        schemes["token_cookie"],
        json!({"type":"apiKey","description":"Opaque token authentication via cookie","name":"token","in":"cookie"})
    );
    // byte for byte, in the reference's key order
    let text = api(tokens()).openapi_json().to_owned();
    assert!(text.contains(r#""token":{"type":"apiKey","description":"Opaque token authentication","name":"X-API-Token","in":"header"}"#), "{text}");
    let cookie_op = &doc["paths"]["/c/"]["post"];
    assert_eq!(cookie_op["security"], json!([{"token_cookie": []}]));
    assert!(cookie_op["responses"]["403"].is_object());
    let header_op = &doc["paths"]["/t/async/"]["get"];
    assert_eq!(header_op["security"], json!([{"token": []}]));
    assert!(header_op["responses"]["403"].is_null());
    let chain = &doc["paths"]["/t/chain/"]["get"];
    assert_eq!(
        chain["security"],
        json!([{"token_cookie": []}, {"http_basic": []}, {"token": []}])
    );
    // the controllers
    let obtain = &doc["paths"]["/api/tokens/"]["post"];
    assert!(obtain.get("security").is_none());
    assert_eq!(
        obtain["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ObtainTokenPayload"
    );
    assert_eq!(
        obtain["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ObtainTokenResponse"
    );
    assert_eq!(
        doc["paths"]["/api/tokens/"]["get"]["security"],
        json!([{"token": []}])
    );
    assert_eq!(
        doc["paths"]["/api/tokens/current/"]["delete"]["responses"]["204"]["description"],
        "No Content"
    );
}
