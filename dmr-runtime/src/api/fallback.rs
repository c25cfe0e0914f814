//! What [`Api::configure`](crate::Api::configure) answers for a path no route matches: a 404
//! in the default error model, or, with [`ApiBuilder::redirect_slash`], a 308 to the route the
//! path names but for its trailing slash.

use std::sync::Arc;

use actix_web::dev::ResourceDef;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, Route, web};

use crate::error::{DefaultErrorModel, render_fn};
use crate::respond::ErrorResponder;

/// The `type` of the 404 body.
const NOT_FOUND: &str = "not_found";
/// The `msg` of the 404 body. The path is not echoed: it is the client's own input and may be
/// long.
const NOT_FOUND_MSG: &str = "Page not found";

/// The app's default service, built with the API.
pub(crate) struct Fallback {
    /// The route paths a trailing-slash redirect may lead to (empty when redirects are off).
    routes: Box<[ResourceDef]>,
    errors: ErrorResponder,
}

impl Fallback {
    pub(crate) fn new<'a>(paths: impl Iterator<Item = &'a str>, redirect_slash: bool) -> Self {
        let mut routes: Vec<ResourceDef> = Vec::new();
        if redirect_slash {
            let mut seen: Vec<&str> = Vec::new();
            for path in paths {
                if !seen.contains(&path) {
                    seen.push(path);
                    routes.push(ResourceDef::new(path));
                }
            }
        }
        Self {
            routes: routes.into(),
            errors: ErrorResponder::new(render_fn::<DefaultErrorModel>(), &[]),
        }
    }

    /// The answer to `req`, which matched no route.
    pub(crate) fn respond(&self, req: &HttpRequest) -> HttpResponse {
        match self.redirect(req) {
            Some(location) => HttpResponse::PermanentRedirect()
                .insert_header((header::LOCATION, location))
                .finish(),
            None => self
                .errors
                .item(StatusCode::NOT_FOUND, NOT_FOUND_MSG, Some(NOT_FOUND)),
        }
    }

    /// The `Location` of the route `req`'s path names but for its trailing slash, if any.
    fn redirect(&self, req: &HttpRequest) -> Option<HeaderValue> {
        if self.routes.is_empty() {
            return None;
        }
        let path = req.path();
        let other = match path.strip_suffix('/') {
            Some("") => return None,
            Some(trimmed) => trimmed.to_owned(),
            None => format!("{path}/"),
        };
        // `//host/..` (or `/\host`, which browsers read the same way) in `Location` would send
        // the client to another site: only an absolute path of this one may be the target.
        if !other.starts_with('/') || other[1..].starts_with(['/', '\\']) {
            return None;
        }
        if !self.routes.iter().any(|r| r.is_match(&other)) {
            return None;
        }
        let location = match req.query_string() {
            "" => other,
            query => format!("{other}?{query}"),
        };
        HeaderValue::from_str(&location).ok()
    }
}

/// The default service answering with `fallback`.
pub(crate) fn service(fallback: Arc<Fallback>) -> Route {
    web::to(move |req: HttpRequest| {
        let fallback = Arc::clone(&fallback);
        async move { fallback.respond(&req) }
    })
}
