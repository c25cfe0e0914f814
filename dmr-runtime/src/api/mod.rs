//! Assembling controllers, scopes and settings into an API that mounts into actix.

pub(crate) mod controller;
pub(crate) mod error;
pub(crate) mod identity;
pub(crate) mod layers;
pub(crate) mod route;

use std::sync::Arc;

use actix_web::web::ServiceConfig;

pub use controller::Controller;
pub use error::{ApiError, AuthConfigError};
pub use layers::{Scope, Settings};

use controller::{ControllerBuild, ControllerFn};
use route::RouteEntry;

/// Collects controllers, scopes and settings; [`ApiBuilder::build`] evaluates every auth
/// declaration once and yields an [`Api`].
///
/// ```
/// use dmr_runtime::prelude::*;
///
/// struct Hello;
///
/// #[controller(path = "/hello", auth = none)]
/// impl Hello {
///     #[endpoint(get, path = "/")]
///     async fn hello() -> &'static str {
///         "hi"
///     }
/// }
///
/// let api = Api::new().controller::<Hello>().build().unwrap();
/// let _app = actix_web::App::new().configure(|cfg| api.configure(cfg));
/// ```
#[derive(Clone, Default)]
pub struct ApiBuilder {
    settings: Settings,
    mounts: Vec<Scope>,
    /// `info` and version of the OpenAPI document (`crate::openapi`).
    pub(crate) openapi: crate::openapi::OpenApiConfig,
    /// Where [`Api::configure`] serves the document and its UI, if anywhere.
    pub(crate) docs: Option<String>,
}

/// A built API: cheap to clone, shared by every actix worker.
#[derive(Clone)]
pub struct Api {
    routes: Arc<[RouteEntry]>,
    /// The OpenAPI document, built with the routes.
    pub(crate) document: Arc<crate::openapi::Document>,
    /// Where [`Api::configure`] serves the docs, if anywhere.
    pub(crate) docs: Option<String>,
}

impl Api {
    /// Starts an empty API.
    #[allow(clippy::new_ret_no_self)]
    pub fn new() -> ApiBuilder {
        ApiBuilder::default()
    }

    /// Registers every route into an actix app (`App::new().configure(|c| api.configure(c))`).
    pub fn configure(&self, cfg: &mut ServiceConfig) {
        route::register(&self.routes, cfg);
        if let Some(path) = &self.docs {
            crate::openapi::serve_docs(cfg, path, self.document.json_bytes());
        }
    }

    /// The method, path and auth scheme names of every endpoint, in registration order.
    pub fn endpoints(&self) -> impl Iterator<Item = EndpointInfo<'_>> {
        self.routes.iter().map(|r| EndpointInfo { entry: r })
    }
}

/// A read-only view of one endpoint of a built [`Api`].
#[derive(Clone, Copy)]
pub struct EndpointInfo<'a> {
    entry: &'a RouteEntry,
}

impl<'a> EndpointInfo<'a> {
    /// The HTTP method.
    pub fn method(&self) -> &'a str {
        self.entry.method.as_str()
    }
    /// The full path (scope prefix applied).
    pub fn path(&self) -> &'a str {
        &self.entry.path
    }
    /// `Controller::function`.
    pub fn operation(&self) -> String {
        format!("{}::{}", self.entry.controller, self.entry.name)
    }
    /// Whether it runs on the blocking pool.
    pub fn is_sync(&self) -> bool {
        self.entry.sync
    }
    /// The auth descriptions of its effective chain, in order.
    pub fn auth(&self) -> &'a [crate::openapi::AuthDoc] {
        self.entry.ctx.docs()
    }
}

impl ApiBuilder {
    /// Sets the API-wide settings (the last auth layer).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Mounts a controller at the root.
    pub fn controller<C: Controller>(self) -> Self {
        self.scope("", |s| s.controller::<C>())
    }

    /// Mounts a group of controllers under `prefix` with its own auth layer.
    pub fn scope(mut self, prefix: &str, f: impl FnOnce(Scope) -> Scope) -> Self {
        self.mounts.push(f(Scope::new(prefix)));
        self
    }

    /// Evaluates every auth declaration and builds the routes.
    pub fn build(self) -> Result<Api, ApiError> {
        let mut routes = Vec::new();
        for scope in &self.mounts {
            let runtime = scope.runtime_chain(&self.settings.auth)?;
            for build in &scope.controllers {
                let f: &ControllerFn = build;
                let mut b = ControllerBuild {
                    prefix: &scope.prefix,
                    runtime: &runtime,
                    routes: &mut routes,
                };
                f(&mut b)?;
            }
        }
        route::check_overlaps(&routes)?;
        let document = Arc::new(crate::openapi::build(&routes, &self.openapi)?);
        Ok(Api {
            routes: routes.into(),
            document,
            docs: self.docs,
        })
    }
}
