//! Request pipeline order: 405 (with `Allow`) -> 406 -> auth -> extractors -> handler.

use actix_web::web::Json;
use dmr_runtime::backends::basic::{HttpBasic, basic_auth};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, get, send, serve};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize)]
struct Item {
    name: String,
}

fn check(user: &str, pass: &str) -> bool {
    user == "admin" && pass == "pass"
}

struct Items;

#[controller(path = "/items", auth = [HttpBasic::new(check)])]
impl Items {
    #[endpoint(get, path = "/")]
    async fn list() -> Json<Vec<String>> {
        Json(vec!["a".into()])
    }

    #[endpoint(post, path = "/")]
    async fn create(item: Json<Item>) -> (Json<Item>, actix_web::http::StatusCode) {
        (item, actix_web::http::StatusCode::CREATED)
    }

    #[endpoint(get, path = "/{id}")]
    async fn one(id: actix_web::web::Path<u32>) -> String {
        format!("item {}", id.into_inner())
    }
}

fn srv() -> dmr_tests::TestServer {
    serve(Api::new().controller::<Items>().build().unwrap())
}

fn creds() -> String {
    basic_auth("admin", "pass")
}

#[actix_rt::test]
async fn unknown_method_is_405_with_allow_before_auth() {
    let srv = srv();
    let seen = send(&srv, "DELETE", "/items/", &[], None).await;
    assert_eq!(seen.status, 405);
    assert_eq!(seen.header("allow"), Some("GET, HEAD, POST, OPTIONS"));
    let seen = send(&srv, "PUT", "/items/7", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.header("allow")),
        (405, Some("GET, HEAD, OPTIONS"))
    );
}

#[actix_rt::test]
async fn accept_without_json_is_406_before_auth() {
    let srv = srv();
    let seen = get(&srv, "/items/", &[("accept", "text/html")]).await;
    assert_eq!(seen.status, 406);
    assert_eq!(seen.json()["detail"][0]["type"], "value_error");
    // JSON allowed through a wildcard: auth runs and answers 401
    let seen = get(&srv, "/items/", &[("accept", "text/html, */*;q=0.5")]).await;
    assert_eq!(seen.status, 401);
    let seen = get(
        &srv,
        "/items/",
        &[("accept", "application/json"), ("authorization", &creds())],
    )
    .await;
    assert_eq!(seen.status, 200);
}

#[actix_rt::test]
async fn unauthenticated_broken_body_is_401_not_400() {
    let srv = srv();
    let json = [("content-type", b"application/json".as_slice())];
    let seen = send(&srv, "POST", "/items/", &json, Some(b"{not json")).await;
    assert_eq!(seen.status, 401);
    assert_eq!(seen.text(), NOT_AUTHENTICATED);
    // wrong content type, no credentials: still 401
    let seen = send(
        &srv,
        "POST",
        "/items/",
        &[("content-type", b"text/plain")],
        Some(b"x"),
    )
    .await;
    assert_eq!(seen.status, 401);
}

#[actix_rt::test]
async fn authenticated_broken_body_is_400_in_the_error_model() {
    let srv = srv();
    let c = creds();
    let headers = [
        ("content-type", b"application/json".as_slice()),
        ("authorization", c.as_bytes()),
    ];
    let seen = send(&srv, "POST", "/items/", &headers, Some(b"{not json")).await;
    assert_eq!(seen.status, 400);
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.json()["detail"][0]["type"], "value_error");
    let seen = send(&srv, "POST", "/items/", &headers, Some(br#"{"name":"x"}"#)).await;
    assert_eq!(seen.status, 201);
    assert_eq!(seen.json(), serde_json::json!({"name": "x"}));
}

#[actix_rt::test]
async fn bad_path_parameter_is_404_after_auth() {
    let srv = srv();
    assert_eq!(get(&srv, "/items/abc", &[]).await.status, 401);
    let seen = get(&srv, "/items/abc", &[("authorization", &creds())]).await;
    assert_eq!(seen.status, 404);
    assert_eq!(seen.json()["detail"][0]["type"], "value_error");
    assert_eq!(
        get(&srv, "/items/12", &[("authorization", &creds())])
            .await
            .text(),
        "item 12"
    );
}
