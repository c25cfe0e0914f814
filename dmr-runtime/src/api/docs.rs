//! Serving the document and the docs UI: `GET <docs>/openapi.json` and Swagger UI at
//! `GET <docs>/`, whose assets are compiled into the binary (no request leaves the machine).
//! Each also answers `HEAD` (the headers of its `GET`) and `OPTIONS`; an unknown file under
//! `<docs>/` is the API's JSON 404. The page sends the CSRF token of a cookie-authenticated
//! user with its unsafe requests (see `swagger-initializer.js`), and logs in at an identity
//! provider when the API has a [`DocsLogin`].

use actix_web::http::{Method, header};
use actix_web::web::{self, Bytes, ServiceConfig};
use actix_web::{Handler, HttpResponse, Responder};

use crate::api::DocsLogin;
use crate::api::methods::other_methods;

/// Mounts the document and the UI under `prefix` (`/docs`).
pub(crate) fn register(
    cfg: &mut ServiceConfig,
    prefix: &str,
    json: Bytes,
    login: Option<&DocsLogin>,
) {
    let base = prefix.trim_end_matches('/').to_owned();
    let json_url = format!("{base}/openapi.json");
    cfg.service(get_and_head(web::resource(json_url.clone()), move || {
        let json = json.clone();
        async move {
            HttpResponse::Ok()
                .content_type("application/json")
                .body(json)
        }
    }));
    if !base.is_empty() {
        let index = format!("{base}/");
        cfg.service(get_and_head(web::resource(base.clone()), move || {
            let index = index.clone();
            async move {
                HttpResponse::PermanentRedirect()
                    .insert_header((header::LOCATION, index))
                    .finish()
            }
        }));
    }
    ui(cfg, &base, json_url, login);
}

/// `resource` answering `GET` and `HEAD` with `handler` (the server drops the body of a
/// `HEAD` answer), `OPTIONS` with 204 and other methods with 405.
fn get_and_head<F, Args>(resource: actix_web::Resource, handler: F) -> actix_web::Resource
where
    F: Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: Responder + 'static,
{
    let resource = resource
        .route(web::get().to(handler.clone()))
        .route(web::head().to(handler));
    other_methods(resource, &[Method::GET, Method::HEAD])
}

/// Swagger UI, configured to read only our document and to call no outside validator, started
/// by our own `swagger-initializer.js` (see [`initializer`]).
#[cfg(feature = "swagger-ui")]
fn ui(cfg: &mut ServiceConfig, base: &str, json_url: String, login: Option<&DocsLogin>) {
    use std::sync::Arc;

    use utoipa_swagger_ui::Config;

    let config = Arc::new(
        Config::new([json_url])
            .validator_url("none")
            .try_it_out_enabled(true)
            .persist_authorization(false)
            .display_operation_id(true),
    );
    // registered before the catch-all route below, so it wins over Swagger UI's own
    let script = Bytes::from(initializer(&config, login));
    cfg.service(get_and_head(
        web::resource(format!("{base}/swagger-initializer.js")),
        move || {
            let script = script.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("text/javascript; charset=utf-8")
                    .body(script)
            }
        },
    ));
    let not_found = crate::api::fallback::Fallback::new(std::iter::empty(), false);
    let not_found = Arc::new(not_found);
    cfg.service(get_and_head(
        web::resource(format!("{base}/{{file:.*}}")),
        move |req: actix_web::HttpRequest, file: web::Path<String>| {
            let config = Arc::clone(&config);
            let not_found = Arc::clone(&not_found);
            async move {
                match utoipa_swagger_ui::serve(&file, config) {
                    Ok(Some(file)) => {
                        let mut resp = HttpResponse::Ok();
                        if file.gzpipped {
                            resp.insert_header((
                                header::CONTENT_ENCODING,
                                header::ContentEncoding::Gzip,
                            ));
                        }
                        resp.content_type(file.content_type)
                            .body(file.bytes.into_owned())
                    }
                    Ok(None) => not_found.respond(&req),
                    // the UI's configuration does not serialize: a bug on our side
                    Err(e) => {
                        log::error!("cannot serve the docs page: {e}");
                        HttpResponse::InternalServerError().finish()
                    }
                }
            }
        },
    ));
}

/// The page's start-up script: Swagger UI with `config`, and a request interceptor that copies
/// the `csrftoken` cookie into the `X-CSRFToken` header of the unsafe requests (not `GET`,
/// `HEAD`, `OPTIONS`, `TRACE`) the page sends to its own origin, so that a user logged in with
/// a session (or a cookie JWT) can `POST` and log out from the page. With a `login`, it also
/// calls Swagger UI's `initOAuth` (the public client, PKCE) and points `oauth2RedirectUrl` at
/// the login's redirect path, resolved against the page's own URL.
#[cfg(feature = "swagger-ui")]
fn initializer(config: &utoipa_swagger_ui::Config<'_>, login: Option<&DocsLogin>) -> String {
    const SCRIPT: &str = include_str!("swagger-initializer.js");
    // JSON is a JavaScript expression; the config holds only our own URL and settings
    let json = serde_json::to_string_pretty(config).unwrap_or_else(|_| "{}".to_owned());
    let (oauth, redirect) = match login {
        Some(login) => {
            let params = login.params().clone().into_iter().collect();
            let oauth = utoipa_swagger_ui::oauth::Config::new()
                .client_id(login.client_id())
                .scopes(login.initial_scopes().to_vec())
                .additional_query_string_params(params)
                .use_pkce_with_authorization_code_grant(true);
            (to_json(&oauth), to_json(login.redirect()))
        }
        None => ("null".to_owned(), "null".to_owned()),
    };
    SCRIPT
        .replacen("/*CONFIG*/", &json, 1)
        .replacen("/*OAUTH*/", &oauth, 1)
        .replacen("/*REDIRECT*/", &redirect, 1)
}

/// `value` as a JavaScript expression (JSON is one; strings and maps always serialize).
#[cfg(feature = "swagger-ui")]
fn to_json(value: &(impl serde::Serialize + ?Sized)) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned())
}

/// Without the `swagger-ui` feature, `<docs>/` says where the document is.
#[cfg(not(feature = "swagger-ui"))]
fn ui(cfg: &mut ServiceConfig, base: &str, json_url: String, _login: Option<&DocsLogin>) {
    cfg.service(get_and_head(web::resource(format!("{base}/")), move || {
        let body = format!("OpenAPI document: {json_url} (build dmr-runtime with the `swagger-ui` feature for a UI)\n");
        async move { HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(body) }
    }));
}
