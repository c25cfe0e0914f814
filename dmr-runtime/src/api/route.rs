//! Route entries and their registration into actix: one resource per path. A path with a
//! `GET` endpoint also answers `HEAD` (the same handler: auth, throttles and negotiation run
//! as for `GET`, and the server sends the headers without the body), `OPTIONS` answers 204
//! with `Allow`, and any other method gets a 405 that lists the allowed ones.

use std::sync::Arc;

use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpResponse, Route, web};

use crate::build_error::ApiError;
use crate::description::EndpointSpec;
use crate::error::{DefaultErrorModel, ErrorItem, ErrorModel};
use crate::pipeline::{EndpointCtx, Serve};

/// Makes the actix route of an endpoint's handler for a method (its own, or `HEAD` for a
/// `GET` endpoint).
type RouteFactory = Arc<dyn Fn(Method) -> Route + Send + Sync>;

/// One registered endpoint.
#[derive(Clone)]
pub(crate) struct RouteEntry {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) controller: &'static str,
    pub(crate) name: &'static str,
    pub(crate) sync: bool,
    pub(crate) ctx: Arc<EndpointCtx>,
    pub(crate) doc: crate::description::OperationDoc,
    pub(crate) error_schema: fn() -> crate::error::ErrorSchema,
    make: RouteFactory,
}

impl RouteEntry {
    pub(crate) fn new<S: Serve>(
        method: Method,
        path: String,
        spec: &EndpointSpec,
        ctx: Arc<EndpointCtx>,
        endpoint: Arc<S>,
    ) -> Self {
        let make: RouteFactory = Arc::new(move |m| {
            let endpoint = Arc::clone(&endpoint);
            // What `Route::to` does, without an extractor for the raw request, without a
            // handler to clone per request and without converting the response again.
            web::method(m).service(fn_service(move |sreq: ServiceRequest| {
                let endpoint = Arc::clone(&endpoint);
                async move {
                    let (req, payload) = sreq.into_parts();
                    let resp = endpoint.serve(&req, payload).await;
                    Ok::<_, actix_web::Error>(ServiceResponse::new(req, resp))
                }
            }))
        });
        Self {
            method,
            path,
            controller: spec.controller,
            name: spec.name,
            sync: spec.sync,
            ctx,
            doc: spec.doc.clone(),
            error_schema: spec.error_schema,
            make,
        }
    }
}

/// Joins a prefix and a path without doubling or dropping the `/` between them.
pub(crate) fn join(prefix: &str, path: &str) -> String {
    match (prefix.trim_end_matches('/'), path) {
        (p, "") => p.to_owned(),
        (p, rest) if rest.starts_with('/') => format!("{p}{rest}"),
        (p, rest) => format!("{p}/{rest}"),
    }
}

/// `/items/{id}` and `/items/{name}` are the same route to actix: parameter names erased.
fn route_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    shape.push_str("{}");
                }
                depth += 1;
            }
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => shape.push(c),
            _ => {}
        }
    }
    shape
}

/// Refuses two endpoints with the same method and route shape: the first registered would
/// silently take every request of the second (a public one could shadow a protected one).
pub(crate) fn check_overlaps(routes: &[RouteEntry]) -> Result<(), ApiError> {
    let shapes: Vec<String> = routes.iter().map(|r| route_shape(&r.path)).collect();
    for (i, r) in routes.iter().enumerate() {
        if let Some(j) = (0..i).find(|&j| routes[j].method == r.method && shapes[j] == shapes[i]) {
            let name = |e: &RouteEntry| format!("{}::{}", e.controller, e.name);
            return Err(ApiError::RouteConflict {
                method: r.method.to_string(),
                path: r.path.clone(),
                first: name(&routes[j]),
                second: name(r),
            });
        }
    }
    Ok(())
}

/// Registers `routes` into `cfg`, grouped by path in first-seen order.
pub(crate) fn register(routes: &[RouteEntry], cfg: &mut web::ServiceConfig) {
    let mut paths: Vec<&str> = Vec::new();
    for r in routes {
        if !paths.contains(&r.path.as_str()) {
            paths.push(&r.path);
        }
    }
    for path in paths {
        let same: Vec<&RouteEntry> = routes.iter().filter(|r| r.path == path).collect();
        let mut resource = web::resource(path.to_owned());
        let mut methods = Vec::with_capacity(same.len() + 2);
        for r in &same {
            resource = resource.route((r.make)(r.method.clone()));
            methods.push(r.method.clone());
        }
        let declares_head = methods.contains(&Method::HEAD);
        if let Some(get) = same.iter().find(|r| r.method == Method::GET)
            && !declares_head
        {
            resource = resource.route((get.make)(Method::HEAD));
            methods.push(Method::HEAD);
        }
        cfg.service(other_methods(resource, &methods));
    }
}

/// Completes a resource that routes `methods`: `OPTIONS` (unless routed) answers 204 with
/// `Allow`, any other method a 405 JSON body with the same `Allow`. `HEAD` is listed right
/// after `GET`, `OPTIONS` last.
pub(crate) fn other_methods(
    resource: actix_web::Resource,
    methods: &[Method],
) -> actix_web::Resource {
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
    let routes_options = methods.contains(&Method::OPTIONS);
    if !routes_options {
        allowed.push(&Method::OPTIONS);
    }
    let allow = allowed
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // method names are tokens, so the list is always a valid header value
    let allow = HeaderValue::from_str(&allow).unwrap_or(HeaderValue::from_static(""));
    let mut resource = resource;
    if !routes_options {
        let allow = allow.clone();
        resource = resource.route(web::method(Method::OPTIONS).to(move || {
            let allow = allow.clone();
            async move {
                HttpResponse::NoContent()
                    .insert_header((header::ALLOW, allow))
                    .finish()
            }
        }));
    }
    resource.default_service(web::to(move |req: actix_web::HttpRequest| {
        let allow = allow.clone();
        async move { method_not_allowed(req.method(), allow) }
    }))
}

fn method_not_allowed(method: &Method, allow: HeaderValue) -> HttpResponse {
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

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn shapes_erase_parameter_names() {
        assert_eq!(
            super::route_shape("/items/{id}"),
            super::route_shape("/items/{name}")
        );
        assert_eq!(super::route_shape("/f/{p:\\d{2}}/x"), "/f/{}/x");
        assert_ne!(
            super::route_shape("/items/{id}"),
            super::route_shape("/items/new")
        );
    }

    #[test]
    fn joins_prefixes() {
        assert_eq!(join("/api/", "/x/"), "/api/x/");
        assert_eq!(join("/api", "x"), "/api/x");
        assert_eq!(join("/api/example", ""), "/api/example");
        assert_eq!(join("", "/x"), "/x");
    }
}
