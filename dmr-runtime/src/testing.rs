//! Test support (feature `testing`; enable it in `[dev-dependencies]`).
//!
//! * Identities for a direct call of an endpoint function: [`Authed::new`](crate::Authed::new)
//!   and [`auth_info`]; [`set_request_auth`] records one on a test request so that
//!   [`request_auth`](crate::request_auth) finds it.
//! * A controller's auth turned off or replaced by a fixed identity, without editing the
//!   controller: [`ApiBuilder::override_auth`](crate::ApiBuilder::override_auth) and
//!   [`ApiBuilder::override_endpoint_auth`](crate::ApiBuilder::override_endpoint_auth) with an
//!   [`AuthOverride`]. The override is checked when the API is built: a controller that is not
//!   mounted, an endpoint that does not exist, an endpoint without auth, and an identity the
//!   handler cannot read are errors that say so.
//! * Real credentials, which the reference recommends over overrides: [`login`] posts to the
//!   session login endpoint and keeps its cookies, [`LoggedIn::apply`] sends them back with the
//!   CSRF header; [`fill_csrf`] sets a matching CSRF cookie and header; [`JwtMinter`] signs
//!   tokens with the API's own key.
//! * [`AssumeHttps`], a middleware under which the CSRF check treats plain test requests as
//!   HTTPS, so its `Referer` rules run.
//! * [`unavailable`]: a test that needs a server the machine lacks (Redis, PostgreSQL) says
//!   so in `cargo test`'s output, or fails where the server is required.
//!
//! ```
//! use actix_web::{App, test};
//! use dmr_runtime::prelude::*;
//! use dmr_runtime::backends::basic::{BasicUser, HttpBasic};
//! use dmr_runtime::testing::AuthOverride;
//!
//! struct Me;
//!
//! #[controller(path = "/me", auth = [HttpBasic::new(|_, _| false)])]
//! impl Me {
//!     #[endpoint(get, path = "/")]
//!     async fn me(user: Authed<BasicUser>) -> String {
//!         user.username.clone()
//!     }
//! }
//!
//! # actix_web::rt::System::new().block_on(async {
//! // A direct call: the identity is an argument like any other.
//! assert_eq!(Me::me(Authed::new(BasicUser { username: "ann".into() })).await, "ann");
//!
//! // Through the API, with the controller's auth replaced by a fixed identity.
//! let alice = BasicUser { username: "alice".into() };
//! let api = Api::new()
//!     .controller::<Me>()
//!     .override_auth::<Me>(AuthOverride::identity("http_basic", alice))
//!     .build()
//!     .unwrap();
//! let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
//! let body = test::call_and_read_body(&app, test::TestRequest::get().uri("/me/").to_request()).await;
//! assert_eq!(body, "alice");
//! # });
//! ```

mod skip;

pub use skip::unavailable;

use std::any::{TypeId, type_name};
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use std::future::{Ready, ready};

use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::{self, HeaderName};
use actix_web::test::{TestRequest, call_service, read_body};
use actix_web::{HttpMessage, HttpRequest};

use crate::api::overrides::OverrideEntry;
use crate::auth::AuthInfo;
use crate::auth::HttpsMark;
use crate::backends::csrf::new_secret;
use crate::backends::jwt::{Algorithm, EncodingKey, JwtError, JwtToken};
use crate::pipeline::Fixed;
use crate::{ApiBuilder, Controller};

/// What replaces an overridden controller's auth chain (the reference's `disabled_auth`).
#[derive(Clone)]
pub struct AuthOverride(Fixed);

impl AuthOverride {
    /// No auth runs and nothing is recorded: `request_auth` is `None`, and an endpoint that
    /// takes `Authed<T>` or `AuthInfo` fails the build (use [`AuthOverride::identity`]).
    pub fn off() -> Self {
        Self(Fixed::Off)
    }

    /// No auth runs; every request carries `identity`, as if the auth named `scheme` had
    /// let it in (`Authed<T>` finds it when `T` is its type).
    pub fn identity<T: Clone + Send + Sync + 'static>(scheme: &str, identity: T) -> Self {
        Self(Fixed::new_identity(scheme, identity, builtin_throttle_key))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
impl ApiBuilder {
    /// Replaces the auth of every endpoint of controller `C` that has auth (test builds only).
    ///
    /// [`build`](ApiBuilder::build) fails when `C` is not mounted or none of its endpoints
    /// has auth. See the [module docs](crate::testing) for an example.
    pub fn override_auth<C: Controller>(mut self, with: AuthOverride) -> Self {
        self.overrides.push(OverrideEntry {
            controller: TypeId::of::<C>(),
            controller_name: type_name::<C>(),
            endpoint: None,
            fixed: with.0,
        });
        self
    }

    /// Replaces the auth of endpoint `endpoint` (the function's name) of controller `C`; it
    /// wins over an [`override_auth`](ApiBuilder::override_auth) of the whole controller.
    ///
    /// [`build`](ApiBuilder::build) fails when `C` has no such endpoint (the error lists
    /// them) or the endpoint has no auth.
    ///
    /// ```
    /// use dmr_runtime::prelude::*;
    /// use dmr_runtime::backends::basic::HttpBasic;
    /// use dmr_runtime::testing::AuthOverride;
    ///
    /// struct Notes;
    ///
    /// #[controller(path = "/notes", auth = [HttpBasic::new(|_, _| false)])]
    /// impl Notes {
    ///     #[endpoint(get, path = "/")]
    ///     async fn list() -> &'static str { "[]" }
    /// }
    ///
    /// let err = Api::new()
    ///     .controller::<Notes>()
    ///     .override_endpoint_auth::<Notes>("lsit", AuthOverride::off())
    ///     .build()
    ///     .err()
    ///     .unwrap();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "cannot override the auth of `Notes::lsit`: the controller has no endpoint `lsit`; its endpoints are `list`"
    /// );
    /// ```
    pub fn override_endpoint_auth<C: Controller>(
        mut self,
        endpoint: &str,
        with: AuthOverride,
    ) -> Self {
        self.overrides.push(OverrideEntry {
            controller: TypeId::of::<C>(),
            controller_name: type_name::<C>(),
            endpoint: Some(endpoint.to_owned()),
            fixed: with.0,
        });
        self
    }
}

/// An auth record for a direct call of an endpoint function that takes `AuthInfo`.
///
/// ```
/// use dmr_runtime::testing::auth_info;
///
/// let info = auth_info("jwt", String::from("42"));
/// assert_eq!(info.scheme(), "jwt");
/// assert_eq!(info.identity::<String>().map(String::as_str), Some("42"));
/// ```
pub fn auth_info<T: Send + Sync + 'static>(scheme: &str, identity: T) -> AuthInfo {
    AuthInfo::new(
        Arc::from(scheme),
        0,
        Arc::new(identity),
        builtin_throttle_key,
    )
}

/// What throttles keyed on the identity count an identity of this crate's types by, as the
/// auths that yield them say ([`Auth::throttle_key`](crate::auth::Auth::throttle_key)): an
/// override's identity is throttled like the real auth's.
fn builtin_throttle_key(identity: &(dyn std::any::Any + Send + Sync)) -> Option<String> {
    use crate::throttle::ThrottleIdentity;
    if let Some(token) = identity.downcast_ref::<crate::backends::jwt::JwtToken>() {
        return token.throttle_key();
    }
    if let Some(user) = identity.downcast_ref::<crate::backends::basic::BasicUser>() {
        return user.throttle_key();
    }
    #[cfg(feature = "session")]
    if let Some(user) = identity.downcast_ref::<crate::backends::session::SessionUser>() {
        return user.throttle_key();
    }
    None
}

/// Records `info` on `req`, as a successful chain does, for code that calls
/// [`request_auth`](crate::request_auth).
///
/// ```
/// use actix_web::test::TestRequest;
/// use dmr_runtime::request_auth;
/// use dmr_runtime::testing::{auth_info, set_request_auth};
///
/// let req = TestRequest::get().to_http_request();
/// set_request_auth(&req, auth_info("session", 7_u64));
/// assert_eq!(request_auth(&req).unwrap().identity::<u64>(), Some(&7));
/// ```
pub fn set_request_auth(req: &HttpRequest, info: AuthInfo) {
    info.attach(req);
}

/// Adds a fresh CSRF secret as the `csrftoken` cookie and the `X-CSRFToken` header (the
/// reference's `fill_csrf`), so an unsafe request with a cookie credential passes the token
/// check.
///
/// ```
/// use actix_web::test::TestRequest;
/// use dmr_runtime::auth::AuthRequest;
/// use dmr_runtime::backends::csrf::CsrfConfig;
/// use dmr_runtime::testing::fill_csrf;
///
/// let req = fill_csrf(TestRequest::post()).to_http_request();
/// assert!(CsrfConfig::new().check(&AuthRequest::live(&req)).is_ok());
/// ```
pub fn fill_csrf(req: TestRequest) -> TestRequest {
    let secret = new_secret();
    req.cookie(Cookie::new("csrftoken", secret.clone()))
        .insert_header(("X-CSRFToken", secret))
}

/// The cookies a login answered with, to send back on later requests.
#[derive(Clone, Debug)]
pub struct LoggedIn {
    cookies: Vec<Cookie<'static>>,
    csrf: Option<String>,
}

impl LoggedIn {
    /// Adds the login's cookies and, when it set a CSRF cookie, the `X-CSRFToken` header.
    pub fn apply(&self, mut req: TestRequest) -> TestRequest {
        for c in &self.cookies {
            req = req.cookie(c.clone());
        }
        match &self.csrf {
            Some(token) => req.insert_header(("X-CSRFToken", token.as_str())),
            None => req,
        }
    }

    /// The cookies, as set by the login response.
    pub fn cookies(&self) -> &[Cookie<'static>] {
        &self.cookies
    }
}

/// Logs in through the session login endpoint at `path` (`SessionLogin`, mounted by the
/// test) and returns its cookies: a real session, real CSRF.
///
/// # Panics
///
/// When the login does not answer 200: the message has the status and the body.
///
/// ```no_run
/// # async fn f(app: impl actix_web::dev::Service<actix_http::Request, Response = actix_web::dev::ServiceResponse, Error = actix_web::Error>) {
/// use actix_web::test::{TestRequest, call_service};
/// use dmr_runtime::testing::login;
///
/// let alice = login(&app, "/api/auth/login/", "alice", "s3cret").await;
/// let resp = call_service(&app, alice.apply(TestRequest::post().uri("/api/notes/")).to_request()).await;
/// # }
/// ```
pub async fn login<S, B>(app: &S, path: &str, username: &str, password: &str) -> LoggedIn
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let req = TestRequest::post()
        .uri(path)
        .set_json(serde_json::json!({ "username": username, "password": password }))
        .to_request();
    let resp = call_service(app, req).await;
    let status = resp.status();
    let cookies: Vec<Cookie<'static>> = resp.response().cookies().map(|c| c.into_owned()).collect();
    if status != actix_web::http::StatusCode::OK {
        let body = read_body(resp).await;
        panic!(
            "login as `{username}` at `{path}` answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    let csrf = cookies
        .iter()
        .find(|c| c.name() == "csrftoken")
        .map(|c| c.value().to_owned());
    LoggedIn { cookies, csrf }
}

/// Signs JWTs with the key the API verifies them with.
///
/// ```
/// use dmr_runtime::testing::JwtMinter;
///
/// let minter = JwtMinter::hs256("a secret of at least thirty-two bytes").unwrap();
/// let (name, value) = minter.bearer("42").unwrap();
/// assert_eq!(name, "authorization");
/// assert!(value.starts_with("Bearer ey"));
/// ```
#[derive(Clone)]
pub struct JwtMinter {
    key: EncodingKey,
    alg: Algorithm,
    ttl: Duration,
}

impl JwtMinter {
    /// A minter for `key` and `alg`; tokens live five minutes.
    pub fn new(key: EncodingKey, alg: Algorithm) -> Self {
        Self {
            key,
            alg,
            ttl: Duration::from_secs(300),
        }
    }

    /// A minter for an HS256 secret; an empty secret is refused.
    pub fn hs256(secret: impl AsRef<[u8]>) -> Result<Self, JwtError> {
        let key = EncodingKey::from_secret(secret.as_ref())
            .map_err(|_| JwtError::Encode("the HS256 secret is empty".into()))?;
        Ok(Self::new(key, Algorithm::HS256))
    }

    /// The lifetime of the tokens it mints.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// A signed access token for `sub`.
    pub fn token(&self, sub: &str) -> Result<String, JwtError> {
        self.sign(&JwtToken::new(sub, self.ttl))
    }

    /// Signs claims built by the test (audience, issuer, extras, ..), refusing what every
    /// issuer refuses ([`JwtToken::check_issuable`]: an `exp` in the past, an `iat` in the
    /// future); [`sign_at_any_time`](Self::sign_at_any_time) signs those.
    pub fn sign(&self, claims: &JwtToken) -> Result<String, JwtError> {
        claims.encode(&self.key, self.alg)
    }

    /// Signs claims whatever their times: an expired token, or one issued in the future, for
    /// tests of the 401s they get (no issuer signs such claims). An empty `sub` is still
    /// refused.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
    /// use dmr_runtime::testing::JwtMinter;
    ///
    /// let secret = "a secret of at least thirty-two bytes";
    /// let minter = JwtMinter::hs256(secret).unwrap();
    /// let mut expired = JwtToken::new("42", Duration::from_secs(60));
    /// expired.exp = expired.iat - 10;
    /// assert!(minter.sign(&expired).is_err());
    /// let jwt = minter.sign_at_any_time(&expired).unwrap();
    /// assert!(JwtAuth::hs256(secret).unwrap().decode(&jwt).is_err()); // expired
    /// ```
    pub fn sign_at_any_time(&self, claims: &JwtToken) -> Result<String, JwtError> {
        claims.sign_at_any_time(&self.key, self.alg, &serde_json::Map::new())
    }

    /// `("authorization", "Bearer <token>")`, for `TestRequest::insert_header`.
    pub fn bearer(&self, sub: &str) -> Result<(HeaderName, String), JwtError> {
        Ok((
            header::AUTHORIZATION,
            format!("Bearer {}", self.token(sub)?),
        ))
    }
}

/// A middleware under which the CSRF check treats every request as HTTPS, so that its
/// `Referer` rules run in tests without TLS: `App::new().wrap(AssumeHttps)`.
///
/// ```
/// use actix_web::{App, test};
/// use dmr_runtime::testing::AssumeHttps;
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(App::new().wrap(AssumeHttps)).await;
/// # let _ = app;
/// # });
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct AssumeHttps;

impl<S, B> Transform<S, ServiceRequest> for AssumeHttps
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = AssumeHttpsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(AssumeHttpsService { service }))
    }
}

/// The service [`AssumeHttps`] wraps around the app.
pub struct AssumeHttpsService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for AssumeHttpsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = S::Future;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> S::Future {
        req.extensions_mut().insert(HttpsMark);
        self.service.call(req)
    }
}
