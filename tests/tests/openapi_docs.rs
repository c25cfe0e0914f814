//! Serving: `GET /docs/openapi.json` is the document byte for byte, `GET /docs/` is Swagger UI
//! whose every asset comes from this server (no request leaves the machine).

mod openapi_common;

use dmr_runtime::prelude::*;
use dmr_tests::{get, serve};
use openapi_common::SessionLike;

struct Example;

#[controller(path = "/api/example", auth = [SessionLike])]
impl Example {
    /// The reference's example.
    #[endpoint(get, path = "/")]
    async fn get() -> String {
        "authed".to_owned()
    }
}

fn api() -> Api {
    Api::new()
        .docs("/docs")
        .controller::<Example>()
        .build()
        .expect("api builds")
}

#[actix_rt::test]
async fn the_document_is_served_as_built() {
    let api = api();
    let srv = serve(api.clone());
    let seen = get(&srv, "/docs/openapi.json", &[]).await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.text(), api.openapi_json());
    // the API's own routes are still there
    assert_eq!(get(&srv, "/api/example/", &[]).await.status, 401);
}

#[actix_rt::test]
async fn no_docs_unless_asked() {
    let api = Api::new()
        .controller::<Example>()
        .build()
        .expect("api builds");
    assert_eq!(api.docs_path(), None);
    let srv = serve(api);
    assert_eq!(get(&srv, "/docs/openapi.json", &[]).await.status, 404);
}

#[actix_rt::test]
async fn swagger_ui_is_served_from_this_server() {
    let srv = serve(api());
    let index = get(&srv, "/docs", &[]).await;
    assert!(
        index.text().contains("swagger-ui"),
        "`/docs` leads to the page"
    );

    let index = get(&srv, "/docs/", &[]).await;
    assert_eq!(index.status, 200);
    let html = index.text();
    assert!(html.contains("swagger-ui"), "{html}");
    let assets = local_assets(&html);
    assert!(assets.len() >= 4, "{assets:?}");
    for asset in &assets {
        let seen = get(&srv, &format!("/docs/{asset}"), &[]).await;
        assert_eq!(seen.status, 200, "{asset}");
        assert!(!seen.body.is_empty(), "{asset}");
    }

    let init = get(&srv, "/docs/swagger-initializer.js", &[]).await.text();
    assert!(init.contains(r#""url": "/docs/openapi.json""#), "{init}");
    assert!(init.contains(r#""validatorUrl": "none""#), "{init}");
}

#[actix_rt::test]
async fn the_bare_docs_path_redirects() {
    use actix_web::{App, test};

    let api = api();
    let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
    let res = test::call_service(&app, test::TestRequest::get().uri("/docs").to_request()).await;
    assert_eq!(res.status(), 308);
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/docs/")
    );
}

/// Every `src="..."` / `href="..."` of the page: all relative, none pointing off the machine.
fn local_assets(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            let value = &rest[..rest.find('"').unwrap_or(0)];
            assert!(
                !value.contains("//"),
                "the page refers to {value}, off this server"
            );
            found.push(value.trim_start_matches("./").to_owned());
        }
    }
    found
}
