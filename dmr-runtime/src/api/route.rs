//! Route entries and their registration into actix: one service per path
//! ([`PathRoutes`]). A path with a `GET` endpoint also answers `HEAD` (the same handler: auth,
//! throttles and negotiation run as for `GET`, and the server sends the headers without the
//! body), `OPTIONS` answers 204 with `Allow`, and any other method gets a 405 that lists the
//! allowed ones.

use std::sync::Arc;

use actix_web::http::Method;
use actix_web::web;

use super::methods::allow;
use super::path_service::{Dispatch, PathRoutes};
use crate::build_error::ApiError;
use crate::description::EndpointSpec;
use crate::pipeline::EndpointCtx;

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
    endpoint: Arc<dyn Dispatch>,
}

impl RouteEntry {
    pub(crate) fn new(
        method: Method,
        path: String,
        spec: &EndpointSpec,
        ctx: Arc<EndpointCtx>,
        endpoint: Arc<dyn Dispatch>,
    ) -> Self {
        Self {
            method,
            path,
            controller: spec.controller,
            name: spec.name,
            sync: spec.sync,
            ctx,
            doc: spec.doc.clone(),
            error_schema: spec.error_schema,
            endpoint,
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

/// Registers `routes` into `cfg`, one service per path in first-seen order.
pub(crate) fn register(routes: &[RouteEntry], cfg: &mut web::ServiceConfig) {
    let mut paths: Vec<&str> = Vec::new();
    for r in routes {
        if !paths.contains(&r.path.as_str()) {
            paths.push(&r.path);
        }
    }
    for path in paths {
        let mut table: Vec<(Method, Arc<dyn Dispatch>)> = routes
            .iter()
            .filter(|r| r.path == path)
            .map(|r| (r.method.clone(), Arc::clone(&r.endpoint)))
            .collect();
        let get = table
            .iter()
            .find(|(m, _)| *m == Method::GET)
            .map(|(_, e)| Arc::clone(e));
        if let Some(get) = get
            && !table.iter().any(|(m, _)| *m == Method::HEAD)
        {
            table.push((Method::HEAD, get));
        }
        let methods: Vec<Method> = table.iter().map(|(m, _)| m.clone()).collect();
        cfg.service(PathRoutes::new(path.to_owned(), table, allow(&methods)));
    }
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
