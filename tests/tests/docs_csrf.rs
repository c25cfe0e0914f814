//! CSRF and the docs page: the served page sends the `csrftoken` cookie back as `X-CSRFToken`
//! on its unsafe same-origin requests, the document says which header to send, and a safe
//! operation documents no CSRF 403 (it cannot answer one).

mod session_support;

use dmr_runtime::backends::session::{SessionLogin, SessionLogout};
use dmr_runtime::prelude::*;
use dmr_tests::{get, serve};
use serde_json::{Value, json};
use session_support::{Guarded, SyncGuarded, config, users};

const CSRF_FAILED: &str = "Raised when CSRF check failed: send the value of the CSRF cookie \
                           (`csrftoken` by default) in the `X-CSRFToken` header";

fn api() -> Api {
    let cfg = config(users());
    Api::new()
        .docs("/docs")
        .scope("", |s| {
            s.auth(cfg.auth())
                .controller::<Guarded>()
                .controller::<SyncGuarded>()
        })
        .scope("/auth", |s| {
            s.controller::<SessionLogin>().controller::<SessionLogout>()
        })
        .build()
        .expect("api builds")
}

#[actix_rt::test]
async fn the_docs_page_sends_the_csrf_cookie_back_as_a_header() {
    let srv = serve(api());
    let seen = get(&srv, "/docs/swagger-initializer.js", &[]).await;
    assert_eq!(seen.status, 200);
    assert_eq!(
        seen.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let script = seen.text();
    // Swagger UI's own start-up, with our document and settings
    assert!(script.contains("SwaggerUIBundle(config)"), "{script}");
    assert!(
        script.contains(r#""url": "/docs/openapi.json""#),
        "{script}"
    );
    assert!(script.contains(r#""validatorUrl": "none""#), "{script}");
    assert!(!script.contains("/*CONFIG*/") && !script.contains("{{config}}"));
    // the interceptor: the cookie, the header, unsafe methods and this origin only
    assert!(script.contains("config.requestInterceptor"), "{script}");
    assert!(script.contains(r#"cookie("csrftoken")"#), "{script}");
    assert!(
        script.contains(r#"request.headers["X-CSRFToken"] = token"#),
        "{script}"
    );
    assert!(
        script.contains(r#"var SAFE = ["GET", "HEAD", "OPTIONS", "TRACE"];"#),
        "{script}"
    );
    assert!(
        script.contains("target.origin !== window.location.origin"),
        "{script}"
    );
    // the page loads this script, and it is ours rather than Swagger UI's template
    let index = get(&srv, "/docs/", &[]).await.text();
    assert!(index.contains("swagger-initializer.js"), "{index}");
}

#[actix_rt::test]
async fn only_unsafe_operations_document_the_csrf_403_and_its_header() {
    let doc: Value = serde_json::from_str(api().openapi_json()).unwrap();
    // the scheme stays exactly the reference's
    assert_eq!(
        doc["components"]["securitySchemes"]["csrf"],
        json!({"type": "apiKey", "description": "CSRF protection", "name": "csrftoken", "in": "cookie"})
    );
    for path in ["/p/", "/sync/"] {
        let get = &doc["paths"][path]["get"];
        assert_eq!(
            get["security"],
            json!([{"django_session": [], "csrf": []}]),
            "{path}"
        );
        assert!(get["responses"]["401"].is_object(), "{path}");
        assert_eq!(get["responses"]["403"], Value::Null, "{path}");
    }
    for (path, method) in [
        ("/p/", "post"),
        ("/p/", "put"),
        ("/p/", "delete"),
        ("/sync/", "post"),
    ] {
        let op = &doc["paths"][path][method];
        assert_eq!(
            op["responses"]["403"]["description"], CSRF_FAILED,
            "{method} {path}"
        );
        assert_eq!(
            op["responses"]["403"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorModel",
            "{method} {path}"
        );
    }
}
