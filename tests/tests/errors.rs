//! Error bodies: the reference's default, a custom message, a replaced error model, and the
//! `WWW-Authenticate` challenges of a 401.

use dmr_runtime::auth::{Auth, AuthError, AuthRequest, AuthResult, InlineAuth, SchemeDoc};
use dmr_runtime::backends::basic::HttpBasic;
use dmr_runtime::error::{ErrorItem, ErrorModel};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, get, serve};

/// Renders `{"error":[{"message":..}]}`.
struct Flat;

impl ErrorModel for Flat {
    fn render(item: &ErrorItem<'_>) -> serde_json::Value {
        serde_json::json!({"error": [{"message": item.msg}]})
    }
}

/// A bearer-style auth that always skips, or refuses with a message on `X-Refuse`.
struct Bearerish;

impl Auth for Bearerish {
    type Identity = ();
    fn scheme_name(&self) -> &str {
        "bearerish"
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        vec![SchemeDoc::http("bearerish", "Bearer", None, "test")]
    }
    fn challenge(&self) -> Option<String> {
        Some("Bearer".to_owned())
    }
}

impl InlineAuth for Bearerish {
    fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<()> {
        match req.header_str("x-refuse") {
            Some(m) => Err(AuthError::not_authenticated_with(m.to_owned())),
            None => Ok(None),
        }
    }
}

/// A cookie-style auth: no challenge.
struct Cookieish;

impl Auth for Cookieish {
    type Identity = ();
    fn scheme_name(&self) -> &str {
        "cookieish"
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        vec![SchemeDoc::api_key_cookie("cookieish", "sid", "test")]
    }
}

impl InlineAuth for Cookieish {
    fn authenticate_inline(&self, _: &AuthRequest<'_>) -> AuthResult<()> {
        Ok(None)
    }
}

fn never(_: &str, _: &str) -> bool {
    false
}

struct Custom;

#[controller(path = "/custom", auth = [Bearerish], error_model = Flat)]
impl Custom {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "never"
    }
}

struct Challenges;

#[controller(path = "/challenges", auth = [Bearerish, HttpBasic::new(never).realm("dmr")])]
impl Challenges {
    #[endpoint(get, path = "/")]
    async fn both() -> &'static str {
        "never"
    }

    #[endpoint(get, path = "/cookie", auth = none)]
    async fn public() -> &'static str {
        "public"
    }
}

struct CookieOnly;

#[controller(path = "/cookie", auth = [Cookieish])]
impl CookieOnly {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "never"
    }
}

fn srv() -> dmr_tests::TestServer {
    serve(
        Api::new()
            .controller::<Custom>()
            .controller::<Challenges>()
            .controller::<CookieOnly>()
            .build()
            .unwrap(),
    )
}

#[actix_rt::test]
async fn replaced_error_model_renders_auth_errors() {
    let srv = srv();
    let seen = get(&srv, "/custom/", &[]).await;
    assert_eq!(seen.status, 401);
    assert_eq!(
        seen.text(),
        r#"{"error":[{"message":"Not authenticated"}]}"#
    );
    assert_eq!(seen.header("content-type"), Some("application/json"));
    let seen = get(&srv, "/custom/", &[("x-refuse", "Token revoked")]).await;
    assert_eq!(seen.text(), r#"{"error":[{"message":"Token revoked"}]}"#);
}

#[actix_rt::test]
async fn custom_message_replaces_msg_and_keeps_type() {
    let srv = srv();
    let seen = get(&srv, "/challenges/", &[("x-refuse", "Token revoked")]).await;
    assert_eq!(
        seen.text(),
        r#"{"detail":[{"msg":"Token revoked","type":"security"}]}"#
    );
}

#[actix_rt::test]
async fn unauthorized_lists_one_challenge_per_header_scheme() {
    let srv = srv();
    let seen = get(&srv, "/challenges/", &[]).await;
    assert_eq!(seen.status, 401);
    assert_eq!(seen.text(), NOT_AUTHENTICATED);
    assert_eq!(
        seen.header("www-authenticate"),
        Some(r#"Bearer, Basic realm="dmr""#)
    );
}

#[actix_rt::test]
async fn cookie_only_chains_send_no_challenge() {
    let srv = srv();
    let seen = get(&srv, "/cookie/", &[]).await;
    assert_eq!(seen.status, 401);
    assert_eq!(seen.header("www-authenticate"), None);
}

struct WrongIdentity;

#[controller(path = "/wrong", auth = [Bearerish, HttpBasic::new(|u, p| u == "a" && p == "b")])]
impl WrongIdentity {
    /// Only Basic can succeed here, and it yields a `BasicUser`, not a `String`: when the
    /// identity is missing the answer is an auth failure, not a parse error.
    #[endpoint(get, path = "/")]
    async fn wrong(
        info: AuthInfo,
        maybe: Option<Authed<dmr_runtime::backends::basic::BasicUser>>,
    ) -> String {
        format!("{} {}", info.scheme(), maybe.is_some())
    }

    /// `Bearerish` yields `()`; when Basic lets the request in instead, `Authed<()>` finds
    /// nothing.
    #[endpoint(get, path = "/unit")]
    async fn unit(_unit: Authed<()>) -> &'static str {
        "bearerish"
    }
}

struct BadRealm;

#[controller(path = "/realm", auth = [Bearerish, HttpBasic::new(never).realm("bad\nrealm\u{7f}")])]
impl BadRealm {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "never"
    }
}

#[actix_rt::test]
async fn a_realm_with_control_characters_keeps_every_challenge() {
    let srv = serve(Api::new().controller::<BadRealm>().build().unwrap());
    let seen = get(&srv, "/realm/", &[]).await;
    assert_eq!(
        seen.header("www-authenticate"),
        Some(r#"Bearer, Basic realm="badrealm""#)
    );
}

#[actix_rt::test]
async fn identity_extractors_share_the_record() {
    let srv = serve(Api::new().controller::<WrongIdentity>().build().unwrap());
    let basic = dmr_runtime::backends::basic::basic_auth("a", "b");
    let seen = get(&srv, "/wrong/", &[("authorization", &basic)]).await;
    assert_eq!(seen.text(), "http_basic true");
}

#[actix_rt::test]
async fn a_missing_identity_is_a_security_401_with_challenges() {
    let srv = serve(Api::new().controller::<WrongIdentity>().build().unwrap());
    let basic = dmr_runtime::backends::basic::basic_auth("a", "b");
    let seen = get(&srv, "/wrong/unit", &[("authorization", &basic)]).await;
    assert_eq!(seen.status, 401);
    assert_eq!(seen.text(), NOT_AUTHENTICATED);
    assert_eq!(
        seen.header("www-authenticate"),
        Some(r#"Bearer, Basic realm="api""#)
    );
}
