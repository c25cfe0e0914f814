//! What the handler's own types say in the document: doc comments, tags, `operationId`,
//! `deprecated`, parameters, request bodies, responses and their headers, and a replaced
//! error model.

mod openapi_common;

use actix_web::http::StatusCode;
use actix_web::web::{Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use dmr_runtime::error::{ErrorItem, ErrorModel, ErrorSchema};
use dmr_runtime::openapi::{DescribeResponse, HeaderDoc, ResponseDoc};
use dmr_runtime::prelude::*;
use openapi_common::{KeyAuth, SessionLike, doc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
struct NewArticle {
    title: String,
}

#[derive(Serialize, ToSchema)]
struct Article {
    id: u32,
    title: String,
}

#[derive(Deserialize, IntoParams)]
struct Paging {
    /// Page number, from 1.
    page: Option<u32>,
}

#[derive(Deserialize, IntoParams)]
struct Key {
    slug: String,
}

struct Articles;

#[controller(path = "/articles", auth = none)]
impl Articles {
    /// Create an article.
    ///
    /// Titles must be unique.
    #[endpoint(post, path = "/")]
    async fn create(body: Json<NewArticle>) -> (Json<Article>, StatusCode) {
        (
            Json(Article {
                id: 1,
                title: body.into_inner().title,
            }),
            StatusCode::CREATED,
        )
    }

    /// List articles.
    #[endpoint(get, path = "/")]
    async fn list(page: Query<Paging>) -> Json<Vec<Article>> {
        let n = page.page.unwrap_or(1);
        Json(vec![Article {
            id: n,
            title: format!("page {n}"),
        }])
    }

    #[endpoint(get, path = "/{id}/lines/{line:\\d+}")]
    async fn line(path: Path<(u32, u16)>) -> String {
        format!("{:?}", path.into_inner())
    }

    #[endpoint(get, path = "/by-slug/{slug}")]
    async fn by_slug(key: Path<Key>) -> Json<Article> {
        Json(Article {
            id: 2,
            title: key.into_inner().slug,
        })
    }

    #[endpoint(delete, path = "/{id}", deprecated, operation_id = "removeArticle")]
    async fn remove(_id: Path<u32>, _req: HttpRequest) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }
}

fn articles() -> serde_json::Value {
    doc(&Api::new()
        .scope("/t/{tenant}", |s| s.controller::<Articles>())
        .build()
        .expect("api builds"))
}

fn error_ref(model: &str) -> serde_json::Value {
    json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{model}")}}})
}

#[test]
fn texts_tags_ids_and_deprecation() {
    let doc = articles();
    let create = &doc["paths"]["/t/{tenant}/articles/"]["post"];
    assert_eq!(create["summary"], "Create an article.");
    assert_eq!(create["description"], "Titles must be unique.");
    assert_eq!(create["tags"], json!(["Articles"]));
    assert_eq!(create["operationId"], "postTTenantArticles");
    assert_eq!(create["deprecated"], false);
    let remove = &doc["paths"]["/t/{tenant}/articles/{id}"]["delete"];
    assert_eq!(remove["operationId"], "removeArticle");
    assert_eq!(remove["deprecated"], true);
    assert_eq!(remove.get("summary"), None);
}

#[test]
fn bodies_and_parameters_come_from_the_argument_types() {
    let doc = articles();
    let paths = &doc["paths"];
    let create = &paths["/t/{tenant}/articles/"]["post"];
    assert_eq!(
        create["requestBody"],
        json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewArticle"}}}, "required": true})
    );
    assert_eq!(
        doc["components"]["schemas"]["NewArticle"]["required"],
        json!(["title"])
    );
    // a scope prefix's parameter no argument describes is a required string
    let tenant =
        json!({"name": "tenant", "in": "path", "required": true, "schema": {"type": "string"}});
    assert_eq!(create["parameters"], json!([tenant]));

    let list = &paths["/t/{tenant}/articles/"]["get"]["parameters"];
    assert_eq!(list[0]["name"], "page");
    assert_eq!(list[0]["in"], "query");
    assert_eq!(list[0]["required"], false);
    assert_eq!(list[0]["description"], "Page number, from 1.");

    let line = &paths["/t/{tenant}/articles/{id}/lines/{line}"]["get"]["parameters"];
    let names: Vec<(&str, &str)> = line
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap(),
                p["schema"]["format"].as_str().unwrap_or(""),
            )
        })
        .collect();
    // by position, as actix matches a tuple: the scope's `{tenant}` comes first
    assert_eq!(names, [("tenant", "int32"), ("id", "int32"), ("line", "")]);

    let slug = &paths["/t/{tenant}/articles/by-slug/{slug}"]["get"]["parameters"][0];
    assert_eq!(
        (
            slug["name"].as_str(),
            slug["in"].as_str(),
            slug["required"].as_bool()
        ),
        (Some("slug"), Some("path"), Some(true))
    );
}

#[test]
fn responses_come_from_the_return_type_plus_semantic_ones() {
    let doc = articles();
    let paths = &doc["paths"];
    let create = &paths["/t/{tenant}/articles/"]["post"]["responses"];
    // `(T, StatusCode)`: the status is chosen at run time
    assert_eq!(
        create["default"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Article"
    );
    assert_eq!(
        create["400"],
        json!({"description": "Raised when request components cannot be parsed", "content": error_ref("ErrorModel")})
    );
    let list = &paths["/t/{tenant}/articles/"]["get"]["responses"]["200"];
    assert_eq!(list["description"], "OK");
    assert_eq!(
        list["content"]["application/json"]["schema"]["type"],
        "array"
    );
    let line = &paths["/t/{tenant}/articles/{id}/lines/{line}"]["get"]["responses"];
    assert_eq!(
        line["200"]["content"],
        json!({"text/plain": {"schema": {"type": "string"}}})
    );
    assert_eq!(
        line.get("400"),
        None,
        "path parameters alone are not parsed into 400s"
    );
    let remove = &paths["/t/{tenant}/articles/{id}"]["delete"]["responses"];
    assert!(
        remove["default"]["description"]
            .as_str()
            .unwrap()
            .starts_with("Undocumented response")
    );
    let keys: Vec<&String> = remove.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["406", "default"]);
}

/// Renders `{"error":[{"message":..}]}` and says so in OpenAPI.
struct Flat;

#[derive(ToSchema)]
#[allow(dead_code)]
struct FlatError {
    error: Vec<FlatItem>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct FlatItem {
    message: String,
}

impl ErrorModel for Flat {
    fn render(item: &ErrorItem<'_>) -> serde_json::Value {
        json!({"error": [{"message": item.msg}]})
    }
    fn schema() -> ErrorSchema {
        ErrorSchema::of::<FlatError>()
    }
}

/// A login-style response: JSON, the session and CSRF cookies (`SPEC.md` 3.4), its own 401.
struct LoggedIn;

impl DescribeResponse for LoggedIn {
    fn response_doc() -> ResponseDoc {
        ResponseDoc::json::<Article>()
            .header("Set-Cookie: sessionid", HeaderDoc::set_cookie("sessionid"))
            .header(
                "Set-Cookie: csrftoken",
                HeaderDoc::set_cookie("csrftoken").description("CSRF protection."),
            )
            .with(ResponseDoc::error(StatusCode::UNAUTHORIZED, "Unauthorized"))
    }
}

impl actix_web::Responder for LoggedIn {
    type Body = actix_web::body::BoxBody;
    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok().finish()
    }
}

struct Custom;

/// The 403 of an unsafe operation behind a CSRF-checking auth.
const CSRF_FAILED: &str = "Raised when CSRF check failed: send the value of the CSRF cookie \
                           (`csrftoken` by default) in the `X-CSRFToken` header";

#[controller(path = "/custom", auth = [SessionLike], error_model = Flat)]
impl Custom {
    #[endpoint(post, path = "/login")]
    async fn login() -> LoggedIn {
        LoggedIn
    }
}

struct Standard;

#[controller(path = "/default", auth = [KeyAuth("key")])]
impl Standard {
    #[endpoint(get, path = "/")]
    async fn get() -> String {
        String::new()
    }
}

#[test]
fn a_replaced_error_model_replaces_the_schema_and_declared_statuses_win() {
    let api = Api::new()
        .controller::<Custom>()
        .controller::<Standard>()
        .build()
        .expect("api builds");
    let doc = doc(&api);
    let responses = &doc["paths"]["/custom/login"]["post"]["responses"];
    assert_eq!(
        responses["401"],
        json!({"description": "Unauthorized", "content": error_ref("FlatError")})
    );
    assert_eq!(
        responses["403"],
        json!({"description": CSRF_FAILED, "content": error_ref("FlatError")})
    );
    assert_eq!(responses["406"]["content"], error_ref("FlatError"));
    let default = &doc["paths"]["/default/"]["get"]["responses"]["401"];
    assert_eq!(default["content"], error_ref("ErrorModel"));
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let names: Vec<&String> = schemas.keys().collect();
    assert_eq!(
        names,
        [
            "Article",
            "ErrorDetail",
            "ErrorModel",
            "FlatError",
            "FlatItem"
        ]
    );
    assert_eq!(
        schemas["FlatError"]["properties"]["error"]["items"]["$ref"],
        "#/components/schemas/FlatItem"
    );
}

#[test]
fn response_headers_print_as_spec_3_4() {
    let api = Api::new()
        .controller::<Custom>()
        .build()
        .expect("api builds");
    let json = api.openapi_json();
    let headers = r#""headers":{"Set-Cookie: csrftoken":{"schema":{"type":"string","example":"csrftoken=123"},"description":"CSRF protection.","required":true},"Set-Cookie: sessionid":{"schema":{"type":"string","example":"sessionid=123"},"required":true}}"#;
    assert!(json.contains(headers), "{json}");
}
