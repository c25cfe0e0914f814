//! Error bodies in the reference's shape: `type` and `loc` (`["parsed_body", "password"]`,
//! `["parsed_query", ..]`, `["parsed_path", ..]`, `["parsed_headers", ..]`) for extractor
//! failures, credential bodies, broken JSON and wrong content types (415 naming
//! `application/json`), in the controller's error model, never in actix's or serde's words.

mod session_support;
mod tokens_support;

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::web::{Header, Json, Path, Query};
use dmr_runtime::backends::jwt::{JwtIssuer, JwtLogout, JwtObtain, JwtRefresh, JwtVerify};
use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
use dmr_runtime::error::{ErrorItem, ErrorModel};
use dmr_runtime::prelude::*;
use dmr_tests::{TestServer, post_as as post, send, serve, serve_with};
use serde_json::{Value, json};

/// `X-API-Token`, a typed header.
struct ApiToken(String);

impl header::TryIntoHeaderValue for ApiToken {
    type Error = header::InvalidHeaderValue;
    fn try_into_value(self) -> Result<HeaderValue, Self::Error> {
        HeaderValue::from_str(&self.0)
    }
}

impl header::Header for ApiToken {
    fn name() -> HeaderName {
        HeaderName::from_static("x-api-token")
    }
    fn parse<M: actix_web::HttpMessage>(msg: &M) -> Result<Self, actix_web::error::ParseError> {
        msg.headers()
            .get(Self::name())
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.len() == 8)
            .map(|v| Self(v.to_owned()))
            .ok_or(actix_web::error::ParseError::Header)
    }
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
struct Login {
    username: String,
    password: String,
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
struct Page {
    page: u32,
}

struct Shapes;

#[controller(path = "/x", auth = none)]
impl Shapes {
    #[endpoint(post, path = "/body/")]
    async fn body(body: Json<Login>) -> String {
        format!("{}:{}", body.username, body.password.len())
    }

    #[endpoint(get, path = "/query/")]
    async fn query(q: Query<Page>) -> String {
        q.page.to_string()
    }

    #[endpoint(get, path = "/items/{id}/")]
    async fn path(id: Path<u32>) -> String {
        id.to_string()
    }

    #[endpoint(get, path = "/header/")]
    async fn header(token: Header<ApiToken>) -> String {
        token.0.0.clone()
    }
}

/// Renders `{"error":{"message":..,"where":[..]}}`.
struct Flat;

impl ErrorModel for Flat {
    fn render(item: &ErrorItem<'_>) -> Value {
        json!({"error": {"message": item.msg, "where": item.loc}})
    }
}

struct FlatShapes;

#[controller(path = "/flat", auth = none, error_model = Flat)]
impl FlatShapes {
    #[endpoint(post, path = "/body/")]
    async fn body(body: Json<Login>) -> String {
        body.username.clone()
    }
}

/// The body of a `value_error`, keys in the order they are sent.
fn value_error(msg: &str, loc: &[&str]) -> String {
    if loc.is_empty() {
        // a fault with no place (a body that is not JSON): no `loc`, as the reference
        return format!(
            r#"{{"detail":[{{"msg":{},"type":"value_error"}}]}}"#,
            json!(msg)
        );
    }
    format!(
        r#"{{"detail":[{{"msg":{},"loc":{},"type":"value_error"}}]}}"#,
        json!(msg),
        json!(loc)
    )
}

/// The reference's 400 for a body sent without `Content-Type`.
const NO_CONTENT_TYPE: &str = "Cannot parse request body with content type 'text/plain', \
                               expected=['application/json']";

fn shapes() -> TestServer {
    serve(
        Api::new()
            .controller::<Shapes>()
            .controller::<FlatShapes>()
            .build()
            .unwrap(),
    )
}

#[actix_rt::test]
async fn json_bodies_say_which_field_and_never_quote_a_value() {
    let srv = shapes();
    let json_ct = Some("application/json");
    for (body, msg, loc) in [
        (
            r#"{"username":"ann"}"#,
            "Field required",
            &["parsed_body", "password"][..],
        ),
        (
            r#"{"password":"p"}"#,
            "Field required",
            &["parsed_body", "username"][..],
        ),
        (
            r#"{"username":"ann","password":918273645}"#,
            "Input should be a valid string",
            &["parsed_body"][..],
        ),
        (r#"{"username":"#, "JSON decode error", &[][..]),
        ("not json", "JSON decode error", &[][..]),
    ] {
        let seen = post(&srv, "/x/body/", json_ct, body).await;
        assert_eq!(seen.status, 400, "{body}");
        assert_eq!(seen.text(), value_error(msg, loc), "{body}");
        assert!(!seen.text().contains("918273645"));
        assert!(!seen.text().contains("deserialize"), "{}", seen.text());
    }
}

#[actix_rt::test]
async fn a_json_body_of_another_media_type_is_a_415_naming_json() {
    let srv = shapes();
    for ct in [
        Some("application/x-www-form-urlencoded"),
        Some("text/plain"),
    ] {
        let seen = post(&srv, "/x/body/", ct, "username=ann&password=p").await;
        assert_eq!(seen.status, 415, "{ct:?}");
        assert_eq!(
            seen.text(),
            value_error(
                "Content type must be `application/json`",
                &["parsed_headers", "Content-Type"]
            )
        );
        assert_eq!(seen.header("accept-post"), Some("application/json"));
    }
    // without a content type at all: the reference's 400
    let seen = post(&srv, "/x/body/", None, "username=ann&password=p").await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (400, value_error(NO_CONTENT_TYPE, &[]))
    );
}

#[actix_rt::test]
async fn query_path_and_header_failures_name_their_place() {
    let srv = shapes();
    let get = |path: &'static str, headers: Vec<(&'static str, &'static [u8])>| {
        let srv = &srv;
        async move { send(srv, "GET", path, &headers, None).await }
    };
    let seen = get("/x/query/", vec![]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (
            400,
            value_error("Field required", &["parsed_query", "page"])
        )
    );
    let seen = get("/x/query/?page=abc", vec![]).await;
    assert_eq!(seen.status, 400);
    assert_eq!(seen.json()["detail"][0]["loc"], json!(["parsed_query"]));
    assert_eq!(seen.json()["detail"][0]["type"], "value_error");

    // actix answers a path that does not parse 404 (no such resource), in our shape
    let seen = get("/x/items/abc/", vec![]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (
            404,
            value_error("Input should be a valid integer", &["parsed_path", "id"])
        )
    );
    assert_eq!(get("/x/items/7/", vec![]).await.text(), "7");

    let seen = get("/x/header/", vec![]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (
            400,
            value_error("Field required", &["parsed_headers", "X-Api-Token"])
        )
    );
    let seen = get("/x/header/", vec![("X-API-Token", b"short")]).await;
    assert_eq!(
        seen.text(),
        value_error(
            "Input should be a valid header value",
            &["parsed_headers", "X-Api-Token"]
        )
    );
    assert_eq!(
        get("/x/header/", vec![("X-API-Token", b"8charsok")])
            .await
            .text(),
        "8charsok"
    );
}

#[actix_rt::test]
async fn extractor_failures_use_the_controllers_error_model() {
    let srv = shapes();
    let seen = post(&srv, "/flat/body/", Some("application/json"), "{}").await;
    assert_eq!(seen.status, 400);
    assert_eq!(
        seen.json(),
        json!({"error": {"message": "Field required", "where": ["parsed_body", "username"]}})
    );
}

#[actix_rt::test]
async fn every_credential_endpoint_answers_a_form_with_415() {
    let session = session_support::server(&session_support::config(session_support::users()));
    let issuer =
        JwtIssuer::hs256("0123456789abcdef0123456789abcdef", session_support::users()).unwrap();
    let jwt = serve_with(
        Api::new()
            .scope("/jwt", |s| {
                s.controller::<JwtObtain>()
                    .controller::<JwtRefresh>()
                    .controller::<JwtVerify>()
                    .controller::<JwtLogout>()
            })
            .build()
            .unwrap(),
        move || actix_web::App::new().app_data(issuer.app_data()),
    );
    let tokens = tokens_support::server(ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        tokens_support::memory_users(),
        TokenHasher::new("test-secret"),
    ));
    let form = "username=admin&password=pass";
    for (srv, path) in [
        (&session, "/auth/login/"),
        (&jwt, "/jwt/obtain/"),
        (&jwt, "/jwt/refresh/"),
        (&jwt, "/jwt/verify/"),
        (&jwt, "/jwt/logout/"),
        (&tokens, "/api/tokens/"),
    ] {
        let seen = post(srv, path, Some("application/x-www-form-urlencoded"), form).await;
        assert_eq!(seen.status, 415, "{path}: {}", seen.text());
        assert_eq!(
            seen.text(),
            value_error(
                "Content type must be `application/json`",
                &["parsed_headers", "Content-Type"]
            ),
            "{path}"
        );
        assert_eq!(seen.header("accept-post"), Some("application/json"));
        // without a content type: the reference's 400
        let seen = post(srv, path, None, form).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (400, value_error(NO_CONTENT_TYPE, &[])),
            "{path}"
        );
        // and a JSON body missing its fields says which, where
        let seen = post(srv, path, Some("application/json"), r#"{"x":1}"#).await;
        if seen.status == 400 {
            let loc = &seen.json()["detail"][0]["loc"];
            assert_eq!(loc[0], "parsed_body", "{path}: {}", seen.text());
            assert_eq!(seen.json()["detail"][0]["msg"], "Field required");
        }
    }
    // the reference's exact body for a missing password
    let seen = post(
        &session,
        "/auth/login/",
        Some("application/json"),
        r#"{"username":"admin"}"#,
    )
    .await;
    assert_eq!(
        seen.text(),
        r#"{"detail":[{"msg":"Field required","loc":["parsed_body","password"],"type":"value_error"}]}"#
    );
    let seen = post(&jwt, "/jwt/obtain/", Some("application/json"), "[1]").await;
    assert_eq!(
        seen.text(),
        value_error("Input should be a valid dictionary", &["parsed_body"])
    );
}
