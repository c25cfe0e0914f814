//! Serving the document and the docs UI: `GET <docs>/openapi.json` and Swagger UI at
//! `GET <docs>/`, whose assets are compiled into the binary (no request leaves the machine).
//! The page sends the CSRF token of a cookie-authenticated user with its unsafe requests (see
//! `swagger-initializer.js`).

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::{self, Bytes, ServiceConfig};

/// Mounts the document and the UI under `prefix` (`/docs`).
pub(crate) fn register(cfg: &mut ServiceConfig, prefix: &str, json: Bytes) {
    let base = prefix.trim_end_matches('/').to_owned();
    let json_url = format!("{base}/openapi.json");
    cfg.service(
        web::resource(json_url.clone()).route(web::get().to(move || {
            let json = json.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .body(json)
            }
        })),
    );
    if !base.is_empty() {
        let index = format!("{base}/");
        cfg.service(web::resource(base.clone()).route(web::get().to(move || {
            let index = index.clone();
            async move {
                HttpResponse::PermanentRedirect()
                    .insert_header((header::LOCATION, index))
                    .finish()
            }
        })));
    }
    ui(cfg, &base, json_url);
}

/// Swagger UI, configured to read only our document and to call no outside validator, started
/// by our own `swagger-initializer.js` (see [`initializer`]).
#[cfg(feature = "swagger-ui")]
fn ui(cfg: &mut ServiceConfig, base: &str, json_url: String) {
    use utoipa_swagger_ui::{Config, SwaggerUi};

    let config = Config::new([json_url])
        .validator_url("none")
        .try_it_out_enabled(true)
        .persist_authorization(false)
        .display_operation_id(true);
    // registered before Swagger UI's catch-all route, so it wins
    let script = Bytes::from(initializer(&config));
    cfg.service(
        web::resource(format!("{base}/swagger-initializer.js")).route(web::get().to(move || {
            let script = script.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("text/javascript; charset=utf-8")
                    .body(script)
            }
        })),
    );
    cfg.service(SwaggerUi::new(format!("{base}/{{_:.*}}")).config(config));
}

/// The page's start-up script: Swagger UI with `config`, and a request interceptor that copies
/// the `csrftoken` cookie into the `X-CSRFToken` header of the unsafe requests (not `GET`,
/// `HEAD`, `OPTIONS`, `TRACE`) the page sends to its own origin, so that a user logged in with
/// a session (or a cookie JWT) can `POST` and log out from the page.
#[cfg(feature = "swagger-ui")]
fn initializer(config: &utoipa_swagger_ui::Config<'_>) -> String {
    const SCRIPT: &str = include_str!("swagger-initializer.js");
    // JSON is a JavaScript expression; the config holds only our own URL and settings
    let json = serde_json::to_string_pretty(config).unwrap_or_else(|_| "{}".to_owned());
    SCRIPT.replacen("/*CONFIG*/", &json, 1)
}

/// Without the `swagger-ui` feature, `<docs>/` says where the document is.
#[cfg(not(feature = "swagger-ui"))]
fn ui(cfg: &mut ServiceConfig, base: &str, json_url: String) {
    cfg.service(web::resource(format!("{base}/")).route(web::get().to(move || {
        let body = format!("OpenAPI document: {json_url} (build dmr-runtime with the `swagger-ui` feature for a UI)\n");
        async move { HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(body) }
    })));
}
