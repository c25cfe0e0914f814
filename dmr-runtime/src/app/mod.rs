//! The API as a user builds it: [`ApiBuilder`] collects controllers, scopes, settings and
//! state; [`ApiBuilder::build`] mounts every endpoint (`api`) and documents it (`openapi`)
//! from the same descriptions; [`Api`] configures an actix app with both. The only module that
//! reads both `api` and `openapi`.

mod openapi;

use std::sync::Arc;

use actix_web::web::ServiceConfig;

use crate::api::controller::ControllerBuild;
use crate::api::fallback::{self, Fallback};
use crate::api::overrides::{self, OverrideEntry};
use crate::api::route::{self, RouteEntry};
use crate::api::state::AppState;
use crate::api::{Controller, Scope, Settings, StateValue};
use crate::build_error::ApiError;

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
    /// [`ApiBuilder::docs_login`].
    pub(crate) docs_login: Option<crate::api::DocsLogin>,
    state: AppState,
    /// Test overrides (`testing` feature).
    pub(crate) overrides: Vec<OverrideEntry>,
    /// [`ApiBuilder::redirect_slash`].
    redirect_slash: bool,
    /// [`ApiBuilder::keep_default_service`].
    keep_default_service: bool,
}

/// A built API: cheap to clone, shared by every actix worker.
#[derive(Clone)]
pub struct Api {
    routes: Arc<[RouteEntry]>,
    /// The OpenAPI document, built with the routes.
    pub(crate) document: Arc<crate::openapi::Document>,
    /// Where [`Api::configure`] serves the docs, if anywhere.
    pub(crate) docs: Option<String>,
    /// How the docs page logs in at an identity provider, if it does.
    docs_login: Option<Arc<crate::api::DocsLogin>>,
    state: AppState,
    /// The answer for paths no route matches.
    fallback: Arc<Fallback>,
    /// [`ApiBuilder::keep_default_service`] was called.
    keep_default_service: bool,
}

impl Api {
    /// Starts an empty API.
    #[allow(clippy::new_ret_no_self)]
    pub fn new() -> ApiBuilder {
        ApiBuilder::default()
    }

    /// Registers every route into an actix app (`App::new().configure(|c| api.configure(c))`),
    /// and every value registered with [`ApiBuilder::state`] as `web::Data<T>`.
    ///
    /// Each path answers the methods of its endpoints, `HEAD` wherever it answers `GET` (same
    /// status and headers, no body), and `OPTIONS` (204 with `Allow`); any other method gets
    /// 405 with `Allow` and a JSON body.
    ///
    /// It also installs the app's default service ([`Api::default_service`]), which answers a
    /// path no route of the app matches with 404 `{"detail":[{"msg":"Page not found","type":
    /// "not_found"}]}`, or with a 308 redirect under [`ApiBuilder::redirect_slash`]. Other
    /// routes of the same app are not affected: the default service only sees requests that
    /// nothing else matched. An app has one default service, and the last one set wins: call
    /// `App::default_service` after `configure` to use your own, or
    /// [`ApiBuilder::keep_default_service`] to leave the app's alone.
    ///
    /// ```
    /// use actix_web::{App, test};
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
    /// # actix_web::rt::System::new().block_on(async {
    /// let api = Api::new().controller::<Hello>().build().unwrap();
    /// let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
    /// let head = test::TestRequest::default().method(actix_web::http::Method::HEAD).uri("/hello/");
    /// assert_eq!(test::call_service(&app, head.to_request()).await.status(), 200);
    /// let options = test::TestRequest::default().method(actix_web::http::Method::OPTIONS).uri("/hello/");
    /// let resp = test::call_service(&app, options.to_request()).await;
    /// assert_eq!(resp.status(), 204);
    /// assert_eq!(resp.headers().get("allow").unwrap(), "GET, HEAD, OPTIONS");
    /// let missing = test::TestRequest::get().uri("/nowhere").to_request();
    /// let resp = test::call_service(&app, missing).await;
    /// assert_eq!(resp.status(), 404);
    /// let body = test::read_body(resp).await;
    /// assert_eq!(body, r#"{"detail":[{"msg":"Page not found","type":"not_found"}]}"#);
    /// # });
    /// ```
    pub fn configure(&self, cfg: &mut ServiceConfig) {
        self.state.serve(cfg);
        route::register(&self.routes, cfg);
        if let Some(path) = &self.docs {
            let login = self.docs_login.as_deref();
            crate::api::docs::register(cfg, path, self.document.json_bytes(), login);
        }
        if !self.keep_default_service {
            cfg.default_service(self.default_service());
        }
    }

    /// The service [`Api::configure`] installs as the app's default: a 404 in the default
    /// error model, or a 308 redirect under [`ApiBuilder::redirect_slash`]. Mount it yourself
    /// (`App::default_service(api.default_service())`, or on a `web::scope`) after
    /// [`ApiBuilder::keep_default_service`].
    pub fn default_service(&self) -> actix_web::Route {
        fallback::service(Arc::clone(&self.fallback))
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
    /// Its throttles, before-auth ones first.
    pub fn throttles(&self) -> Vec<crate::throttle::ThrottleDoc> {
        self.entry.ctx.throttle_docs()
    }
}

impl ApiBuilder {
    /// Registers a value of application state (a config struct, a key set, a connection
    /// pool), found by its type.
    ///
    /// Auth declarations read it when the API is built: a closure whose arguments are
    /// references to registered types, `auth = [|keys: &Keys| keys.jwt()]` on a controller
    /// or an endpoint, [`Settings::auth_from`] and [`Scope::auth_from`] for the runtime
    /// layers. Each is evaluated once, in [`ApiBuilder::build`]: nothing is looked up per
    /// request. A declaration that reads a type never registered fails the build with
    /// [`ApiError::MissingState`], naming the type and the declaration; registering one type
    /// twice fails it with [`ApiError::DuplicateState`].
    ///
    /// Handlers read the same values as `web::Data<T>` ([`Api::configure`] adds them as app
    /// data), so the credential controllers find their configuration here too.
    ///
    /// ```
    /// use dmr_runtime::prelude::*;
    /// use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError, JwtToken};
    ///
    /// /// Read from the service's configuration at startup.
    /// struct Keys {
    ///     jwt_secret: String,
    /// }
    ///
    /// impl Keys {
    ///     fn jwt(&self) -> Result<JwtAuth, JwtConfigError> {
    ///         JwtAuth::hs256(self.jwt_secret.as_bytes())
    ///     }
    /// }
    ///
    /// struct Articles;
    ///
    /// #[controller(path = "/articles", auth = [|keys: &Keys| keys.jwt()])]
    /// impl Articles {
    ///     #[endpoint(get, path = "/")]
    ///     async fn list(token: Authed<JwtToken>) -> String {
    ///         format!("articles of {}", token.sub)
    ///     }
    /// }
    ///
    /// let keys = Keys { jwt_secret: "a secret of at least thirty-two bytes".into() };
    /// let api = Api::new().state(keys).controller::<Articles>().build().unwrap();
    /// # let _ = api;
    /// // Without `.state(keys)`, `build` says which type `Articles` needs.
    /// let err = Api::new().controller::<Articles>().build().err().unwrap();
    /// assert!(err.to_string().contains("Keys"));
    /// ```
    pub fn state<T: StateValue>(mut self, value: T) -> Self {
        self.state.insert(value);
        self
    }

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

    /// Redirects (308, method and query string kept) a path no route matches but that differs
    /// from a route only by its trailing slash: `/api/public` to `/api/public/`, and
    /// `/items/1/` to `/items/1` (Django's `APPEND_SLASH`, both ways). Off by default; other
    /// unknown paths still get the JSON 404. `Location` is the absolute path of this server
    /// (`/api/public/?page=2`), never `//host/..`. It matches against the routes' full paths,
    /// so it sees nothing when the API is configured inside an actix `web::scope`.
    ///
    /// ```
    /// use actix_web::{App, test};
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
    /// # actix_web::rt::System::new().block_on(async {
    /// let api = Api::new().redirect_slash(true).controller::<Hello>().build().unwrap();
    /// let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
    /// let resp = test::call_service(&app, test::TestRequest::get().uri("/hello?x=1").to_request()).await;
    /// assert_eq!(resp.status(), 308);
    /// assert_eq!(resp.headers().get("location").unwrap(), "/hello/?x=1");
    /// # });
    /// ```
    pub fn redirect_slash(mut self, on: bool) -> Self {
        self.redirect_slash = on;
        self
    }

    /// Makes [`Api::configure`] leave the app's default service alone (actix's empty 404, or
    /// one you set). Mount [`Api::default_service`] where you want the JSON 404 instead.
    pub fn keep_default_service(mut self) -> Self {
        self.keep_default_service = true;
        self
    }

    /// Evaluates every auth declaration and builds the routes.
    pub fn build(self) -> Result<Api, ApiError> {
        self.state.check()?;
        self.check_docs_login()?;
        let settings = self.settings.auth.build(&self.state, "settings")?;
        let settings_throttles = self.settings.throttle.build(&self.state, "settings")?;
        let mut routes = Vec::new();
        let mut mounted = Vec::new();
        for scope in &self.mounts {
            let runtime = scope
                .auth
                .within(&scope.prefix, &settings, &self.state, |prefix| {
                    ApiError::ScopeAuthConflict { prefix }
                })?;
            let runtime_throttles = scope.throttle.within(
                &scope.prefix,
                &settings_throttles,
                &self.state,
                |prefix| ApiError::ScopeThrottleConflict { prefix },
            )?;
            for controller in &scope.controllers {
                let overrides: Vec<&OverrideEntry> = self
                    .overrides
                    .iter()
                    .filter(|o| o.controller == controller.type_id)
                    .collect();
                let first = routes.len();
                let mut b = ControllerBuild {
                    prefix: &scope.prefix,
                    runtime: &runtime,
                    routes: &mut routes,
                    state: &self.state,
                    overrides: &overrides,
                    runtime_throttles: &runtime_throttles,
                };
                (controller.build)(&mut b)?;
                overrides::check_applied(&overrides, &routes[first..])?;
                mounted.push(controller.type_id);
            }
        }
        overrides::check_mounted(&self.overrides, &mounted)?;
        route::check_overlaps(&routes)?;
        let mounted = routes.iter().map(|r| crate::openapi::Mounted {
            method: r.method.as_str(),
            path: &r.path,
            controller: r.controller,
            name: r.name,
            doc: &r.doc,
            error_schema: r.error_schema,
            chain: r.ctx.docs(),
            throttles: r.ctx.throttle_docs(),
        });
        let document = Arc::new(crate::openapi::build(mounted, &self.openapi)?);
        let fallback = Fallback::new(routes.iter().map(|r| r.path.as_str()), self.redirect_slash);
        Ok(Api {
            routes: routes.into(),
            document,
            docs: self.docs,
            docs_login: self.docs_login.map(Arc::new),
            state: self.state,
            fallback: Arc::new(fallback),
            keep_default_service: self.keep_default_service,
        })
    }
}
