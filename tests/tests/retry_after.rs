//! Auth errors carry their headers: every 503 of an auth (whatever its body) has
//! `Retry-After`, on async and sync endpoints; and every credential operation documents each
//! status it can answer besides its success (400, 408, 413, 415 for its body, 429 for its
//! throttles, 503 for its stores), with `Retry-After` on 429 and 503.

mod session_support;
mod tokens_support;

use actix_web::http::StatusCode;
use dmr_runtime::auth::{Auth, AuthError, AuthRequest, AuthResult, InlineAuth, SchemeDoc};
use dmr_runtime::backends::jwt::{
    JwtLogout, JwtLogoutSync, JwtObtain, JwtObtainSync, JwtRefresh, JwtRefreshSync, JwtVerify,
    JwtVerifySync,
};
use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
use dmr_runtime::prelude::*;
use dmr_tests::{get, serve};
use serde_json::Value;

/// An auth whose store is down: `X-Down: api` stops with a 503 and a body of its own,
/// `X-Down: msg` with a 503 through the error model; skips otherwise.
#[derive(Clone)]
struct Down;

impl Auth for Down {
    type Identity = String;
    fn scheme_name(&self) -> &str {
        "down"
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        vec![SchemeDoc::api_key_header("down", "X-Down", "a store")]
    }
}

impl InlineAuth for Down {
    fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<String> {
        match req.header_str("x-down") {
            Some("api") => Err(AuthError::api(
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({"error": "store down"}),
            )),
            Some("msg") => Err(AuthError::rejected(
                StatusCode::SERVICE_UNAVAILABLE,
                "Store down",
            )),
            _ => Ok(None),
        }
    }
}

struct Guarded;

#[controller(path = "/async", auth = [Down])]
impl Guarded {
    #[endpoint(get, path = "/")]
    async fn get(who: Authed<String>) -> String {
        who.into_inner()
    }
}

struct GuardedSync;

#[controller(path = "/sync", auth = [Down])]
impl GuardedSync {
    #[endpoint(get, path = "/")]
    fn get(who: Authed<String>) -> String {
        who.into_inner()
    }
}

#[actix_rt::test]
async fn every_503_of_an_auth_says_when_to_retry() {
    let srv = serve(
        Api::new()
            .controller::<Guarded>()
            .controller::<GuardedSync>()
            .build()
            .unwrap(),
    );
    for path in ["/async/", "/sync/"] {
        for (kind, body) in [
            ("api", r#"{"error":"store down"}"#),
            ("msg", r#"{"detail":[{"msg":"Store down"}]}"#),
        ] {
            let seen = get(&srv, path, &[("X-Down", kind)]).await;
            assert_eq!(seen.status.as_u16(), 503, "{path} {kind}");
            assert_eq!(seen.text(), body, "{path} {kind}");
            assert_eq!(seen.header("retry-after"), Some("1"), "{path} {kind}");
        }
    }
}

/// Checks that `method path` documents `statuses`, the error model's body on each, and
/// `Retry-After` (an integer) on 429 and 503.
fn assert_documents(doc: &Value, path: &str, method: &str, statuses: &[&str]) {
    let responses = &doc["paths"][path][method]["responses"];
    assert!(responses.is_object(), "{method} {path} is documented");
    for status in statuses {
        let r = &responses[*status];
        assert!(
            r["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .is_some_and(|s| s.starts_with("#/components/schemas/")),
            "{method} {path} documents {status}: {responses}"
        );
        if ["429", "503"].contains(status) {
            assert_eq!(
                r["headers"]["Retry-After"]["schema"]["type"], "integer",
                "{method} {path}: Retry-After on {status}: {r}"
            );
        }
    }
}

const BODY_AND_STORES: &[&str] = &["400", "401", "408", "413", "415", "429", "503"];

#[actix_rt::test]
async fn every_credential_operation_documents_every_status_it_can_answer() {
    let jwt = Api::new()
        .scope("/a", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtVerify>()
                .controller::<JwtLogout>()
        })
        .scope("/s", |s| {
            s.controller::<JwtObtainSync>()
                .controller::<JwtRefreshSync>()
                .controller::<JwtVerifySync>()
                .controller::<JwtLogoutSync>()
        })
        .build()
        .unwrap();
    let jwt: Value = serde_json::from_str(jwt.openapi_json()).unwrap();
    for scope in ["/a", "/s"] {
        for op in ["obtain", "refresh", "verify", "logout"] {
            assert_documents(&jwt, &format!("{scope}/{op}/"), "post", BODY_AND_STORES);
        }
    }

    let tokens = ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        tokens_support::memory_users(),
        TokenHasher::new("test-secret"),
    );
    let tokens: Value = serde_json::from_str(tokens_support::api(tokens).openapi_json()).unwrap();
    assert_documents(&tokens, "/api/tokens/", "post", BODY_AND_STORES);

    let cfg = session_support::config(session_support::users());
    let session: Value = serde_json::from_str(session_support::api(&cfg).openapi_json()).unwrap();
    assert_documents(&session, "/auth/login/", "post", BODY_AND_STORES);
    // logout reads no body and checks no password: it is throttled, and its session store
    // can still be down
    assert_documents(&session, "/auth/logout/", "post", &["403", "429", "503"]);
}
