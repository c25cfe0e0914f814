//! What a path answers to the methods it does not route: `OPTIONS` 204 with `Allow`, any
//! other method a 405 whose body and `Allow` header list the allowed ones.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpResponse, web};

use crate::error::{DefaultErrorModel, ErrorItem, ErrorModel};

/// The `Allow` header of a path that routes `methods`: `HEAD` right after `GET`, `OPTIONS`
/// last (always allowed: unless routed, it answers 204).
pub(crate) fn allow(methods: &[Method]) -> HeaderValue {
    let mut allowed: Vec<&Method> = Vec::with_capacity(methods.len() + 1);
    for m in methods.iter().filter(|m| **m != Method::HEAD) {
        allowed.push(m);
        if *m == Method::GET && methods.contains(&Method::HEAD) {
            allowed.push(&Method::HEAD);
        }
    }
    if methods.contains(&Method::HEAD) && !methods.contains(&Method::GET) {
        allowed.push(&Method::HEAD);
    }
    if !methods.contains(&Method::OPTIONS) {
        allowed.push(&Method::OPTIONS);
    }
    let allow = allowed
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // method names are tokens, so the list is always a valid header value
    HeaderValue::from_str(&allow).unwrap_or(HeaderValue::from_static(""))
}

/// Completes a resource that routes `methods` (the docs routes): `OPTIONS` (unless routed)
/// answers 204 with `Allow`, any other method a 405 JSON body with the same `Allow`.
pub(crate) fn other_methods(
    resource: actix_web::Resource,
    methods: &[Method],
) -> actix_web::Resource {
    let allow = allow(methods);
    let mut resource = resource;
    if !methods.contains(&Method::OPTIONS) {
        let allow = allow.clone();
        resource = resource.route(web::method(Method::OPTIONS).to(move || {
            let allow = allow.clone();
            async move { options(allow) }
        }));
    }
    resource.default_service(web::to(move |req: actix_web::HttpRequest| {
        let allow = allow.clone();
        async move { method_not_allowed(req.method(), allow) }
    }))
}

/// The 204 to an `OPTIONS` request on a path that does not route it.
pub(crate) fn options(allow: HeaderValue) -> HttpResponse {
    HttpResponse::NoContent()
        .insert_header((header::ALLOW, allow))
        .finish()
}

/// The 405 for `method` on a path whose `Allow` header is `allow`.
pub(crate) fn method_not_allowed(method: &Method, allow: HeaderValue) -> HttpResponse {
    // the reference's words and quoting; the list is `Allow`'s, `HEAD` and `OPTIONS` included
    let allowed = allow.to_str().unwrap_or_default().split(", ");
    let msg = format!(
        "Method {} is not allowed, allowed: {}",
        crate::repr::quoted(method.as_str()),
        crate::repr::quoted_list(allowed.filter(|m| !m.is_empty()))
    );
    let body = DefaultErrorModel::render_bytes(&ErrorItem::new(&msg).with_kind("not_allowed"));
    HttpResponse::build(StatusCode::METHOD_NOT_ALLOWED)
        .insert_header((header::ALLOW, allow))
        .content_type("application/json")
        .body(body)
}
