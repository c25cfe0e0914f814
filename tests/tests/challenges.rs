//! `WWW-Authenticate` as a client reads it: every challenge of the chain once (the same auth
//! reachable through several layers is not repeated, in the 401 nor in OpenAPI's `security`),
//! and RFC 6750's `error="invalid_token"` when a bearer token was presented and refused.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dmr_runtime::auth::AuthError;
use dmr_runtime::backends::basic::{BasicUser, HttpBasic};
use dmr_runtime::backends::jwt::blocklist::{Blocklist, Entry, MemoryBlocklist};
use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError, JwtToken, JwtUser};
use dmr_runtime::backends::tokens::{ApiTokens, Expiry, SqliteTokens, TokenHasher};
use dmr_runtime::backends::users::MemoryUsers;
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, Seen, get, serve};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

const SECRET: &str = "challenge-secret-0123456789abcdef012345";

const EXPIRED: &str =
    r#"Bearer error="invalid_token", error_description="The access token expired""#;
const INVALID: &str =
    r#"Bearer error="invalid_token", error_description="The access token is invalid""#;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn ops(user: &str, pass: &str) -> bool {
    user == "ops" && pass == "pw"
}

fn jwt() -> Result<JwtAuth, JwtConfigError> {
    JwtAuth::hs256(SECRET)
}

fn sign(claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(SECRET.as_bytes()).unwrap(),
    )
    .unwrap()
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn valid() -> String {
    JwtToken::new("7", Duration::from_secs(300))
        .with_jti("j1")
        .encode_hs256(SECRET)
        .unwrap()
}

/// The same `HttpBasic` on the controller, the scope and the settings.
struct Reports;

#[controller(path = "/reports", auth = [HttpBasic::new(ops)])]
impl Reports {
    #[endpoint(get, path = "/")]
    async fn list(user: Authed<BasicUser>) -> String {
        user.username.clone()
    }
}

/// A JWT and Basic chain, with Basic again in the settings.
struct Mixed;

#[controller(path = "/mixed", auth = [jwt(), HttpBasic::new(ops)])]
impl Mixed {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "in"
    }
}

/// [`Mixed`] with a plain `fn`: the chain runs on the blocking pool.
struct MixedSync;

#[controller(path = "/mixed/sync", auth = [jwt(), HttpBasic::new(ops)])]
impl MixedSync {
    #[endpoint(get, path = "")]
    fn get() -> &'static str {
        "in"
    }
}

fn layered() -> dmr_tests::TestServer {
    serve(
        Api::new()
            .settings(Settings::new().auth(HttpBasic::new(ops)))
            .scope("/api", |s| {
                s.auth(HttpBasic::new(ops))
                    .controller::<Reports>()
                    .controller::<Mixed>()
                    .controller::<MixedSync>()
            })
            .build()
            .unwrap(),
    )
}

#[actix_rt::test]
async fn an_auth_reachable_through_three_layers_challenges_once() {
    let srv = layered();
    let seen = get(&srv, "/api/reports/", &[]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
    assert_eq!(
        seen.header("www-authenticate"),
        Some(r#"Basic realm="api""#)
    );
    assert_eq!(seen.headers.get_all("www-authenticate").count(), 1);
    // still let in by it
    let ok = get(
        &srv,
        "/api/reports/",
        &[("authorization", "Basic b3BzOnB3")],
    )
    .await;
    assert_eq!(ok.text(), "ops");
}

#[actix_rt::test]
async fn first_occurrence_order_is_kept() {
    let srv = layered();
    for path in ["/api/mixed/", "/api/mixed/sync"] {
        let seen = get(&srv, path, &[]).await;
        assert_eq!(seen.status, 401, "{path}");
        assert_eq!(
            seen.header("www-authenticate"),
            Some(r#"Bearer, Basic realm="api""#),
            "{path}"
        );
    }
}

/// A script's request (`X-Requested-With: XMLHttpRequest`, as the docs page sends) gets its
/// 401 without the `Basic` challenge, which a browser turns into its password dialog; the
/// other challenges, refined or not, stay.
#[actix_rt::test]
async fn a_scripts_401_leaves_out_the_basic_challenge_and_keeps_the_others() {
    let srv = layered();
    let script = ("x-requested-with", "XMLHttpRequest");
    let basic_only = get(&srv, "/api/reports/", &[script]).await;
    assert_eq!(
        (basic_only.status.as_u16(), basic_only.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
    assert_eq!(basic_only.header("www-authenticate"), None);
    for path in ["/api/mixed/", "/api/mixed/sync"] {
        let seen = get(&srv, path, &[("X-Requested-With", "xmlhttprequest")]).await;
        assert_eq!(seen.status, 401, "{path}");
        assert_eq!(seen.header("www-authenticate"), Some("Bearer"), "{path}");
        let t = now();
        let expired = sign(&json!({"sub": "7", "exp": t - 60, "iat": t - 120}));
        let auth = bearer(&expired);
        let seen = get(&srv, path, &[script, ("authorization", &auth)]).await;
        assert_eq!(seen.header("www-authenticate"), Some(EXPIRED), "{path}");
    }
    // any other client is challenged as before, Basic included
    let other = get(&srv, "/api/reports/", &[("x-requested-with", "curl")]).await;
    assert_eq!(
        other.header("www-authenticate"),
        Some(r#"Basic realm="api""#)
    );
}

#[actix_rt::test]
async fn identical_security_requirements_are_listed_once() {
    let api = Api::new()
        .settings(Settings::new().auth(HttpBasic::new(ops)))
        .scope("/api", |s| {
            s.auth(HttpBasic::new(ops))
                .controller::<Reports>()
                .controller::<Mixed>()
                .controller::<MixedSync>()
        })
        .build()
        .unwrap();
    let doc: Value = serde_json::from_str(api.openapi_json()).unwrap();
    assert_eq!(
        doc["paths"]["/api/reports/"]["get"]["security"],
        json!([{"http_basic": []}])
    );
    assert_eq!(
        doc["paths"]["/api/mixed/"]["get"]["security"],
        json!([{"jwt": []}, {"http_basic": []}])
    );
}

/// What a refused bearer token answers, on the async and the sync endpoint.
async fn refused(srv: &dmr_tests::TestServer, token: &str) -> Vec<Seen> {
    let mut seen = Vec::new();
    for path in ["/api/mixed/", "/api/mixed/sync"] {
        seen.push(get(srv, path, &[("authorization", &bearer(token))]).await);
    }
    seen
}

#[actix_rt::test]
async fn an_expired_token_says_so_and_keeps_the_other_challenges() {
    let srv = layered();
    let t = now();
    let expired = sign(&json!({"sub": "7", "exp": t - 60, "iat": t - 120}));
    for seen in refused(&srv, &expired).await {
        assert_eq!(seen.status, 401);
        assert_eq!(seen.text(), NOT_AUTHENTICATED);
        assert_eq!(
            seen.header("www-authenticate").unwrap(),
            format!(r#"{EXPIRED}, Basic realm="api""#)
        );
    }
}

#[actix_rt::test]
async fn every_other_refusal_is_invalid_without_saying_why() {
    let srv = layered();
    let t = now();
    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(json!({"sub": "7", "exp": t + 60, "iat": t}).to_string());
    let mut flipped = valid();
    let last = flipped.pop().unwrap();
    flipped.push(if last == 'A' { 'B' } else { 'A' });
    let other_key = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": "7", "exp": t + 60, "iat": t}),
        &EncodingKey::from_secret(b"another-secret-0123456789abcdef0123").unwrap(),
    )
    .unwrap();
    let refresh = JwtToken::new("7", Duration::from_secs(300))
        .with_type("refresh")
        .encode_hs256(SECRET)
        .unwrap();
    let cases = [
        ("alg none", format!("{none_header}.{payload}.")),
        ("flipped signature", flipped),
        ("another key", other_key),
        ("garbage", "not-a-jwt".to_owned()),
        // an attacker's quote must not reach the header
        ("quote", r#"a"b\c"#.to_owned()),
        ("expired and refresh", refresh),
        (
            "issued in the future",
            sign(&json!({"sub": "7", "exp": t + 600, "iat": t + 300})),
        ),
    ];
    for (case, token) in cases {
        for seen in refused(&srv, &token).await {
            assert_eq!(
                (seen.status.as_u16(), seen.text()),
                (401, NOT_AUTHENTICATED.to_owned()),
                "{case}"
            );
            assert_eq!(
                seen.header("www-authenticate").unwrap(),
                format!(r#"{INVALID}, Basic realm="api""#),
                "{case}"
            );
        }
    }
}

#[actix_rt::test]
async fn no_token_and_a_header_that_is_not_ours_keep_the_plain_challenge() {
    let srv = layered();
    for value in [
        None,
        Some("Token abc"),
        Some("bearer abc"),
        Some("Basic b3BzOng="),
    ] {
        let headers: Vec<(&str, &str)> = value.iter().map(|v| ("authorization", *v)).collect();
        let seen = get(&srv, "/api/mixed/", &headers).await;
        assert_eq!(seen.status, 401, "{value:?}");
        assert_eq!(
            seen.header("www-authenticate"),
            Some(r#"Bearer, Basic realm="api""#),
            "{value:?}"
        );
    }
    let ok = get(&srv, "/api/mixed/", &[("authorization", &bearer(&valid()))]).await;
    assert_eq!(ok.text(), "in");
}

/// Revoked tokens and tokens whose user is gone are refused after decoding: invalid too.
struct Revocable;

static BLOCKLIST: std::sync::LazyLock<Blocklist> =
    std::sync::LazyLock::new(|| Blocklist::new(MemoryBlocklist::default()));

fn revocable() -> Result<JwtAuth<dmr_runtime::backends::jwt::NoLoader, Blocklist>, JwtConfigError> {
    Ok(jwt()?.blocklist(BLOCKLIST.clone()))
}

#[allow(clippy::unnecessary_wraps)]
fn user_of(token: &JwtToken) -> Result<Option<String>, AuthError> {
    Ok((token.sub == "7").then(|| "seven".to_owned()))
}

#[controller(path = "/revocable", auth = [revocable()])]
impl Revocable {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "in"
    }
}

struct RevocableSync;

#[controller(path = "/revocable/sync", auth = [revocable()])]
impl RevocableSync {
    #[endpoint(get, path = "")]
    fn get() -> &'static str {
        "in"
    }
}

struct Loaded;

#[controller(path = "/loaded", auth = [jwt().map(|a| a.with_user_loader(user_of))])]
impl Loaded {
    #[endpoint(get, path = "/")]
    fn get(user: Authed<JwtUser<String>>) -> String {
        user.user.clone()
    }
}

#[actix_rt::test]
async fn revoked_tokens_and_unknown_users_are_invalid_tokens() {
    let srv = serve(
        Api::new()
            .controller::<Revocable>()
            .controller::<RevocableSync>()
            .controller::<Loaded>()
            .build()
            .unwrap(),
    );
    let token = JwtToken::new("7", Duration::from_secs(300)).with_jti("revoke-me");
    let jwt = token.encode_hs256(SECRET).unwrap();
    for path in ["/revocable/", "/revocable/sync"] {
        let ok = get(&srv, path, &[("authorization", &bearer(&jwt))]).await;
        assert_eq!(ok.text(), "in", "{path}");
    }
    BLOCKLIST
        .store()
        .insert(Entry::Token("revoke-me"), token.exp)
        .unwrap();
    for path in ["/revocable/", "/revocable/sync"] {
        let seen = get(&srv, path, &[("authorization", &bearer(&jwt))]).await;
        assert_eq!(seen.status, 401, "{path}");
        assert_eq!(seen.header("www-authenticate"), Some(INVALID), "{path}");
    }

    let ok = get(&srv, "/loaded/", &[("authorization", &bearer(&valid()))]).await;
    assert_eq!(ok.text(), "seven");
    let stranger = JwtToken::new("8", Duration::from_secs(300))
        .encode_hs256(SECRET)
        .unwrap();
    let seen = get(&srv, "/loaded/", &[("authorization", &bearer(&stranger))]).await;
    assert_eq!(seen.status, 401);
    assert_eq!(seen.header("www-authenticate"), Some(INVALID));
}

/// JWT from a cookie sends no challenge at all, refused or not.
struct CookieJwt;

#[controller(path = "/cookie", auth = [jwt().map(JwtAuth::from_cookie)])]
impl CookieJwt {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "in"
    }
}

#[actix_rt::test]
async fn cookie_jwt_sends_no_challenge() {
    let srv = serve(Api::new().controller::<CookieJwt>().build().unwrap());
    for cookie in [None, Some("access_token=garbage")] {
        let headers: Vec<(&str, &str)> = cookie.iter().map(|c| ("cookie", *c)).collect();
        let seen = get(&srv, "/cookie/", &headers).await;
        assert_eq!(seen.status, 401, "{cookie:?}");
        assert_eq!(seen.header("www-authenticate"), None, "{cookie:?}");
    }
}

/// Opaque tokens behind `Authorization: Bearer`, and behind `X-API-Token` (no challenge).
struct Opaque;

static TOKENS: std::sync::LazyLock<ApiTokens> = std::sync::LazyLock::new(|| {
    let users = MemoryUsers::new();
    users.add("u1", "alice", "pw").unwrap();
    ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        users,
        TokenHasher::new("token-secret"),
    )
});

#[controller(path = "/opaque")]
impl Opaque {
    #[endpoint(get, path = "/bearer", auth = [TOKENS.header().header("Authorization").prefix("Bearer").scheme_name("bearer_token")])]
    fn bearer_token() -> &'static str {
        "in"
    }

    #[endpoint(get, path = "/x", auth = [TOKENS.header()])]
    fn x_api_token() -> &'static str {
        "in"
    }
}

#[actix_rt::test]
async fn a_refused_opaque_bearer_token_is_an_invalid_token() {
    let srv = serve(Api::new().controller::<Opaque>().build().unwrap());
    let (_, raw) = TOKENS.issue("u1", None, Expiry::Never).await.unwrap();
    let ok = get(&srv, "/opaque/bearer", &[("authorization", &bearer(&raw))]).await;
    assert_eq!(ok.text(), "in");
    let seen = get(&srv, "/opaque/bearer", &[("authorization", "Bearer nope")]).await;
    assert_eq!(seen.status, 401);
    assert_eq!(seen.header("www-authenticate"), Some(INVALID));
    let seen = get(&srv, "/opaque/bearer", &[]).await;
    assert_eq!(seen.header("www-authenticate"), Some("Bearer"));
    // another header: no challenge, refused or not
    let seen = get(&srv, "/opaque/x", &[("x-api-token", "nope")]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.header("www-authenticate")),
        (401, None)
    );
}
