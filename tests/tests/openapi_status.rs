//! `#[endpoint(status = 201)]`: the operation documents the declared status (with the
//! response's schema) instead of `200` or `default`, and the client sees it: the handler's
//! `200 OK` answers with the declared status, a status the handler chose itself is kept.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::{Json, Path};
use dmr_runtime::backends::basic::HttpBasic;
use dmr_runtime::prelude::*;
use dmr_tests::{get, send, serve};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
struct Item {
    name: String,
}

fn admin(user: &str, pass: &str) -> bool {
    user == "admin" && pass == "pw"
}

struct Items;

#[controller(path = "/items")]
impl Items {
    /// The status chosen in the code, declared for the document.
    #[endpoint(post, path = "/tuple", status = 201)]
    async fn tuple(item: Json<Item>) -> (Json<Item>, StatusCode) {
        (item, StatusCode::CREATED)
    }

    /// A plain `Json<T>`: the declared status is what the client sees.
    #[endpoint(post, path = "/plain", status = 201, auth = [HttpBasic::new(admin)])]
    async fn plain(item: Json<Item>) -> Json<Item> {
        item
    }

    /// The handler's own choice (202 here) wins over the declaration.
    #[endpoint(post, path = "/accepted", status = 201)]
    async fn accepted(item: Json<Item>) -> (Json<Item>, StatusCode) {
        (item, StatusCode::ACCEPTED)
    }

    /// `None` is still a 404.
    #[endpoint(put, path = "/{name}", status = 201)]
    async fn upsert(name: Path<String>) -> Option<Json<Item>> {
        let name = name.into_inner();
        (name != "missing").then_some(Json(Item { name }))
    }

    /// A response the return type does not describe.
    #[endpoint(delete, path = "/{name}", status = 202)]
    async fn remove(_name: Path<String>) -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    /// No declaration: unchanged.
    #[endpoint(get, path = "/")]
    async fn list() -> Json<Vec<Item>> {
        Json(Vec::new())
    }
}

struct SyncItems;

#[controller(path = "/sync-items")]
impl SyncItems {
    #[endpoint(post, path = "/", status = 201)]
    fn create(item: Json<Item>) -> Json<Item> {
        item
    }
}

fn api() -> Api {
    Api::new()
        .controller::<Items>()
        .controller::<SyncItems>()
        .build()
        .unwrap()
}

async fn post(srv: &dmr_tests::TestServer, method: &str, path: &str, auth: bool) -> (u16, String) {
    let mut headers: Vec<(&str, &[u8])> = vec![("content-type", b"application/json")];
    if auth {
        headers.push(("authorization", b"Basic YWRtaW46cHc="));
    }
    let seen = send(srv, method, path, &headers, Some(br#"{"name":"a"}"#)).await;
    (seen.status.as_u16(), seen.text())
}

#[actix_rt::test]
async fn the_client_sees_the_declared_status() {
    let srv = serve(api());
    let created = (201, r#"{"name":"a"}"#.to_owned());
    assert_eq!(post(&srv, "POST", "/items/tuple", false).await, created);
    assert_eq!(post(&srv, "POST", "/items/plain", true).await, created);
    assert_eq!(post(&srv, "POST", "/sync-items/", false).await, created);
    assert_eq!(post(&srv, "PUT", "/items/a", false).await, created);
    assert_eq!(
        post(&srv, "DELETE", "/items/a", false).await,
        (202, String::new())
    );
    // what the handler chose itself is kept: another 2xx, `None`'s 404
    assert_eq!(post(&srv, "POST", "/items/accepted", false).await.0, 202);
    assert_eq!(post(&srv, "PUT", "/items/missing", false).await.0, 404);
    // errors before the handler are untouched
    let seen = post(&srv, "POST", "/items/plain", false).await;
    assert_eq!(seen.0, 401);
    assert_eq!(get(&srv, "/items/", &[]).await.status, 200);
}

#[test]
fn the_document_shows_the_declared_status_with_the_schema() {
    let doc: Value = serde_json::from_str(api().openapi_json()).unwrap();
    let paths = &doc["paths"];
    let item = json!({"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}});
    for (path, method) in [
        ("/items/tuple", "post"),
        ("/items/plain", "post"),
        ("/items/accepted", "post"),
        ("/items/{name}", "put"),
        ("/sync-items/", "post"),
    ] {
        let responses = &paths[path][method]["responses"];
        assert_eq!(
            responses["201"],
            json!({"description": "Created", "content": item}),
            "{method} {path}"
        );
        assert_eq!(responses["default"], Value::Null, "{method} {path}");
        assert_eq!(responses["200"], Value::Null, "{method} {path}");
    }
    // `Option` keeps its 404; auth responses are added as before
    assert_eq!(
        paths["/items/{name}"]["put"]["responses"]["404"]["description"],
        "Not Found"
    );
    assert!(paths["/items/plain"]["post"]["responses"]["401"].is_object());
    // a response the return type does not describe: the status without content
    assert_eq!(
        paths["/items/{name}"]["delete"]["responses"]["202"],
        json!({"description": "Accepted"})
    );
    assert_eq!(
        paths["/items/{name}"]["delete"]["responses"]["default"],
        Value::Null
    );
    // no declaration: unchanged
    assert!(paths["/items/"]["get"]["responses"]["200"].is_object());
}
