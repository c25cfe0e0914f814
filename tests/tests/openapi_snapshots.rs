//! Reviewed OpenAPI snapshots (`tests/openapi/<case>.json`) of representative APIs: every
//! backend, mixed layers, `none`, scopes and a replaced error model. Any unreviewed change
//! fails; `DMR_BLESS=1 cargo test -p dmr-tests --test openapi_snapshots` rewrites the files.

mod openapi_common;

use actix_web::web::{Json, Path};
use dmr_runtime::backends::basic::HttpBasic;
use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
use dmr_runtime::backends::session::SessionConfig;
use dmr_runtime::backends::users::MemoryUsers;
use dmr_runtime::error::{ErrorItem, ErrorModel, ErrorSchema};
use dmr_runtime::openapi::{OpenApiConfig, OpenApiVersion};
use dmr_runtime::prelude::*;
use openapi_common::{KeyAuth, SessionLike, assert_snapshot};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const SECRET: &[u8] = b"an-hs256-secret-of-at-least-32-bytes!!";

static SESSIONS: std::sync::LazyLock<SessionConfig> =
    std::sync::LazyLock::new(|| SessionConfig::new(MemoryUsers::new()));

fn check(user: &str, pass: &str) -> bool {
    user == "admin" && pass == "pass"
}

#[derive(Serialize, ToSchema)]
struct Claims {
    sub: String,
}

#[derive(Deserialize, ToSchema)]
struct Rename {
    name: String,
}

/// One controller per backend.
struct BasicOnly;

#[controller(path = "/basic", auth = [HttpBasic::new(check)])]
impl BasicOnly {
    /// Behind HTTP Basic.
    #[endpoint(get, path = "/")]
    async fn get() -> String {
        "basic".to_owned()
    }
}

struct JwtOnly;

#[controller(path = "/jwt", auth = [JwtAuth::hs256(SECRET)])]
impl JwtOnly {
    /// The token's subject.
    #[endpoint(get, path = "/")]
    async fn claims(token: Authed<JwtToken>) -> Json<Claims> {
        Json(Claims {
            sub: token.sub.clone(),
        })
    }

    /// Renames item `id`.
    #[endpoint(put, path = "/items/{id}")]
    async fn rename(id: Path<u64>, body: Json<Rename>) -> String {
        format!("{} {}", id.into_inner(), body.name)
    }
}

struct SessionOnly;

#[controller(path = "/session", auth = [SessionLike])]
impl SessionOnly {
    #[endpoint(post, path = "/")]
    async fn post() -> String {
        String::new()
    }
}

/// The session backend itself (cookie `sessionid` + `csrftoken`).
struct RealSession;

#[controller(path = "/real-session", auth = [SESSIONS.auth()])]
impl RealSession {
    #[endpoint(delete, path = "/")]
    async fn delete() -> String {
        String::new()
    }
}

#[test]
fn backends() {
    let api = Api::new()
        .controller::<BasicOnly>()
        .controller::<JwtOnly>()
        .controller::<SessionOnly>()
        .controller::<RealSession>()
        .build()
        .expect("api builds");
    assert_snapshot("backends", &api);
}

/// Endpoint, controller, scope and settings layers, `auth = none` at each level that has it.
struct Mixed;

#[controller(path = "/mixed", auth = [JwtAuth::hs256(SECRET)])]
impl Mixed {
    /// Endpoint auth first, then the controller's.
    #[endpoint(get, path = "/", auth = [HttpBasic::new(check)])]
    async fn both() -> String {
        String::new()
    }

    /// Controller auth, then scope and settings.
    #[endpoint(post, path = "/")]
    async fn inherited() -> String {
        String::new()
    }

    /// No auth at all.
    #[endpoint(get, path = "/public", auth = none)]
    async fn public() -> String {
        String::new()
    }
}

struct Closed;

#[controller(path = "/closed", auth = none)]
impl Closed {
    #[endpoint(get, path = "/")]
    async fn get() -> String {
        String::new()
    }
}

#[test]
fn layers_none_and_scopes() {
    let api = Api::new()
        .settings(Settings::new().auth(KeyAuth("settings_key")))
        .scope("/v1", |s| {
            s.auth(SessionLike)
                .controller::<Mixed>()
                .controller::<Closed>()
        })
        .scope("/public", |s| s.no_auth().controller::<Mixed>())
        .controller::<BasicOnly>()
        .build()
        .expect("api builds");
    assert_snapshot("layers", &api);
}

/// Renders `{"error": "<msg>"}`.
struct Terse;

#[derive(ToSchema)]
#[allow(dead_code)]
struct TerseError {
    error: String,
}

impl ErrorModel for Terse {
    fn render(item: &ErrorItem<'_>) -> serde_json::Value {
        serde_json::json!({"error": item.msg})
    }
    fn schema() -> ErrorSchema {
        ErrorSchema::of::<TerseError>()
    }
}

struct Custom;

#[controller(path = "/custom", auth = [SessionLike], error_model = Terse)]
impl Custom {
    #[endpoint(post, path = "/")]
    async fn post(body: Json<Rename>) -> Json<Claims> {
        Json(Claims {
            sub: body.into_inner().name,
        })
    }
}

#[test]
fn custom_error_model() {
    let api = Api::new()
        .controller::<Custom>()
        .controller::<BasicOnly>()
        .build()
        .expect("api builds");
    assert_snapshot("custom_error_model", &api);
}

/// The reference's example (`SessionLike` guarding a string), as OpenAPI 3.2.0.
#[test]
fn reference_example_3_2() {
    let api = Api::new()
        .openapi(
            OpenApiConfig::new("Django Modern Rest", "0.1.0").openapi_version(OpenApiVersion::V3_2),
        )
        .scope("/api/example", |s| s.controller::<SessionOnly>())
        .build()
        .expect("api builds");
    assert_snapshot("reference_example_3_2", &api);
}
