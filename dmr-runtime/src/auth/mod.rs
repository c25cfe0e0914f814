//! The auth contract: [`Auth`] describes a scheme, [`SyncAuth`] and [`AsyncAuth`] check a
//! request, and [`InlineAuth`] is the shortcut for checks that neither block nor await.
//!
//! A check answers one of three outcomes ([`AuthResult`]): `Ok(Some(identity))` lets the
//! request in, `Ok(None)` skips to the next auth of the chain, and `Err(`[`AuthError`]`)`
//! stops the chain (401, or the error's own status and body). Handlers read the identity with
//! [`Authed<T>`](crate::Authed) and which auth succeeded with [`AuthInfo`].
//!
//! A backend of your own is used like a built-in one:
//!
//! ```
//! use actix_web::{App, test};
//! use dmr_runtime::auth::{Auth, AuthRequest, AuthResult, InlineAuth, SchemeDoc};
//! use dmr_runtime::prelude::*;
//!
//! /// Lets in requests that carry `X-Robot: <name>`.
//! struct RobotAuth;
//!
//! impl Auth for RobotAuth {
//!     type Identity = String;
//!     fn scheme_name(&self) -> &str {
//!         "robot"
//!     }
//!     fn schemes(&self) -> Vec<SchemeDoc> {
//!         vec![SchemeDoc::api_key_header("robot", "X-Robot", "Robots only")]
//!     }
//! }
//!
//! impl InlineAuth for RobotAuth {
//!     fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<String> {
//!         Ok(req.header_str("x-robot").map(str::to_owned)) // no header: skip
//!     }
//! }
//!
//! struct Robots;
//!
//! #[controller(path = "/robots", auth = [RobotAuth])]
//! impl Robots {
//!     #[endpoint(get, path = "/")]
//!     async fn hello(robot: Authed<String>, info: AuthInfo) -> String {
//!         format!("hello {} via {}", *robot, info.scheme())
//!     }
//! }
//!
//! # actix_web::rt::System::new().block_on(async {
//! let api = Api::new().controller::<Robots>().build().unwrap();
//! let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
//! let req = test::TestRequest::get().uri("/robots/").insert_header(("X-Robot", "r2"));
//! let body = test::call_and_read_body(&app, req.to_request()).await;
//! assert_eq!(body, "hello r2 via robot");
//! let req = test::TestRequest::get().uri("/robots/").to_request();
//! assert_eq!(test::call_service(&app, req).await.status(), 401);
//! # });
//! ```

mod challenge;
mod describe;
mod doc;
mod either;
mod identity;
mod layer;
mod outcome;
mod record;
mod request;

use std::future::Future;

pub use challenge::Challenge;
pub use describe::{AuthResponses, SchemeDoc};
pub use doc::AuthDoc;
pub(crate) use doc::ThrottleKeyFn;
pub use either::SyncOrAsync;
pub use identity::IdentityType;
pub use layer::LayerAuth;
pub(crate) use layer::{ErasedIdentity, erase};
pub use outcome::{AuthError, AuthResult};
pub use record::{AuthInfo, MissingAuth, request_auth, request_auth_strict};
#[cfg(feature = "testing")]
pub(crate) use request::HttpsMark;
pub use request::{Attachments, AuthRequest, RequestSnapshot, attach};

/// What every auth backend says about itself: its identity type and how it is documented.
///
/// An auth value is built once, when the API is built, and shared by every request and every
/// worker thread, so it must be `Send + Sync` and hold no per-request state.
///
/// The check itself lives in [`SyncAuth`] (may block; runs on actix's blocking pool together
/// with a plain `fn` endpoint) or [`AsyncAuth`] (awaits; runs on the async workers with an
/// `async fn` endpoint), or in [`InlineAuth`] for checks that do neither.
///
/// # Example
///
/// ```
/// use dmr_runtime::auth::{Auth, AuthRequest, AuthResult, InlineAuth, SchemeDoc};
///
/// /// Lets in requests that carry `X-Robot: beep`.
/// struct RobotAuth;
///
/// impl Auth for RobotAuth {
///     type Identity = ();
///     fn scheme_name(&self) -> &str {
///         "robot"
///     }
///     fn schemes(&self) -> Vec<SchemeDoc> {
///         vec![SchemeDoc::api_key_header("robot", "X-Robot", "Robots only")]
///     }
/// }
///
/// impl InlineAuth for RobotAuth {
///     fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<()> {
///         Ok(req.header_str("x-robot").filter(|v| *v == "beep").map(|_| ()))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an auth",
    label = "not an auth value",
    note = "every entry of `auth = [..]` must be a value whose type implements `dmr_runtime::auth::Auth` (for example `HttpBasic::new(check)` or `JwtAuth::hs256(secret)`)",
    note = "write `auth = none` to turn auth off for this item"
)]
pub trait Auth: Send + Sync + 'static {
    /// What a successful check yields; handlers read it with [`Authed`](crate::Authed).
    type Identity: Clone + Send + Sync + 'static;

    /// The name this auth is known by: its OpenAPI security scheme name (`"jwt"`,
    /// `"http_basic"`), reported by [`request_auth`] after a success.
    fn scheme_name(&self) -> &str;

    /// The OpenAPI security schemes this auth uses (name and scheme object).
    fn schemes(&self) -> Vec<SchemeDoc>;

    /// The scheme names that must hold together for this auth (one OpenAPI security
    /// requirement object). Defaults to every scheme of [`Auth::schemes`].
    fn requirement(&self) -> Vec<String> {
        self.schemes().into_iter().map(|s| s.name).collect()
    }

    /// The error responses this auth can cause (401 always; 403 for CSRF-checking auths).
    fn responses(&self) -> AuthResponses {
        AuthResponses::UNAUTHORIZED
    }

    /// The `WWW-Authenticate` challenge of a header-based scheme (`Basic realm="api"`,
    /// `Bearer`), sent with every 401 of a chain that contains this auth. Cookie-based auths
    /// return `None`.
    fn challenge(&self) -> Option<String> {
        None
    }

    /// The value that throttles keyed on the identity
    /// ([`Key::identity`](crate::throttle::Key::identity)) count this auth's successes by
    /// (hashed before use). `None`, the default, leaves an identity of your own type to
    /// [`Key::identity_of`](crate::throttle::Key::identity_of).
    ///
    /// ```
    /// use dmr_runtime::auth::{Auth, SchemeDoc};
    ///
    /// struct Robots;
    ///
    /// impl Auth for Robots {
    ///     type Identity = String;
    ///     fn scheme_name(&self) -> &str {
    ///         "robots"
    ///     }
    ///     fn schemes(&self) -> Vec<SchemeDoc> {
    ///         Vec::new()
    ///     }
    ///     fn throttle_key(robot: &String) -> Option<String> {
    ///         Some(robot.clone())
    ///     }
    /// }
    ///
    /// assert_eq!(Robots::throttle_key(&"r2".to_owned()).as_deref(), Some("r2"));
    /// ```
    fn throttle_key(identity: &Self::Identity) -> Option<String>
    where
        Self: Sized,
    {
        let _ = identity;
        None
    }
}

/// A check that may block: it runs, with its plain `fn` endpoint, on actix's blocking pool.
///
/// Implement it for backends that call a synchronous database driver or a slow password hash.
/// An `async fn` endpoint cannot use a `SyncAuth`-only backend; that is a compile error.
///
/// # Example
///
/// ```
/// use dmr_runtime::auth::{Auth, AuthError, AuthRequest, AuthResult, SchemeDoc, SyncAuth};
///
/// struct LdapAuth;
///
/// impl Auth for LdapAuth {
///     type Identity = String;
///     fn scheme_name(&self) -> &str {
///         "ldap"
///     }
///     fn schemes(&self) -> Vec<SchemeDoc> {
///         vec![SchemeDoc::api_key_header("ldap", "X-Ldap-User", "LDAP user")]
///     }
/// }
///
/// impl SyncAuth for LdapAuth {
///     fn authenticate_sync(&self, req: &AuthRequest<'_>) -> AuthResult<String> {
///         match req.header_str("x-ldap-user") {
///             None => Ok(None),                                   // not ours: skip
///             Some("root") => Err(AuthError::not_authenticated()), // stop the chain
///             Some(user) => Ok(Some(user.to_owned())),             // (a blocking lookup here)
///         }
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run on a sync endpoint: it does not implement `SyncAuth`",
    label = "this auth is async-only",
    note = "a plain `fn` endpoint runs its whole auth chain on actix's blocking pool, so every auth in it must implement `SyncAuth`",
    note = "make the endpoint an `async fn`, or use the sync variant of this auth"
)]
pub trait SyncAuth: Auth {
    /// Checks the request: `Ok(Some(identity))` succeeds, `Ok(None)` skips to the next auth,
    /// `Err(..)` stops the chain.
    fn authenticate_sync(&self, req: &AuthRequest<'_>) -> AuthResult<Self::Identity>;
}

/// A check that awaits: it runs on the async workers with an `async fn` endpoint.
///
/// A plain `fn` endpoint cannot use an `AsyncAuth`-only backend; that is a compile error.
///
/// # Example
///
/// ```
/// use dmr_runtime::auth::{AsyncAuth, Auth, AuthRequest, AuthResult, SchemeDoc};
///
/// struct RemoteAuth;
///
/// impl Auth for RemoteAuth {
///     type Identity = u64;
///     fn scheme_name(&self) -> &str {
///         "remote"
///     }
///     fn schemes(&self) -> Vec<SchemeDoc> {
///         vec![SchemeDoc::api_key_header("remote", "X-Remote", "Checked remotely")]
///     }
/// }
///
/// impl AsyncAuth for RemoteAuth {
///     async fn authenticate(&self, req: &AuthRequest<'_>) -> AuthResult<u64> {
///         // an awaited call to another service would go here
///         Ok(req.header_str("x-remote").and_then(|v| v.parse().ok()))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run on an async endpoint: it does not implement `AsyncAuth`",
    label = "this auth is sync-only",
    note = "an `async fn` endpoint runs its auth chain on the async workers, where a blocking check would stall every request, so every auth in it must implement `AsyncAuth`",
    note = "make the endpoint a plain `fn` (it then runs on the blocking pool), or use the async variant of this auth"
)]
pub trait AsyncAuth: Auth {
    /// Checks the request: `Ok(Some(identity))` succeeds, `Ok(None)` skips to the next auth,
    /// `Err(..)` stops the chain.
    fn authenticate(
        &self,
        req: &AuthRequest<'_>,
    ) -> impl Future<Output = AuthResult<Self::Identity>>;

    /// The check's answer when it is known without awaiting; `None`, the default, means
    /// "await [`authenticate`](Self::authenticate)". When every auth of an endpoint answers
    /// here, the endpoint serves the request without the chain's future (no state to move,
    /// nothing boxed). Override it when the common case needs no I/O (a signature checked
    /// against keys in memory); it must agree with `authenticate` whenever it answers.
    ///
    /// ```
    /// use dmr_runtime::auth::{AsyncAuth, Auth, AuthRequest, AuthResult, SchemeDoc};
    ///
    /// struct Robot;
    /// # impl Auth for Robot {
    /// #     type Identity = String;
    /// #     fn scheme_name(&self) -> &str { "robot" }
    /// #     fn schemes(&self) -> Vec<SchemeDoc> { vec![] }
    /// # }
    ///
    /// impl AsyncAuth for Robot {
    ///     async fn authenticate(&self, req: &AuthRequest<'_>) -> AuthResult<String> {
    ///         Ok(req.header_str("x-robot").map(str::to_owned))
    ///     }
    ///     // the same answer, known at once: the endpoint needs no future for it
    ///     fn authenticate_now(&self, req: &AuthRequest<'_>) -> Option<AuthResult<String>> {
    ///         Some(Ok(req.header_str("x-robot").map(str::to_owned)))
    ///     }
    /// }
    /// ```
    #[inline]
    fn authenticate_now(&self, req: &AuthRequest<'_>) -> Option<AuthResult<Self::Identity>> {
        let _ = req;
        None
    }
}

/// A check that neither blocks nor awaits (JWT verification, Basic against a pure function):
/// implementing it gives both [`SyncAuth`] and [`AsyncAuth`], so the auth fits every endpoint
/// and the settings and scope layers.
///
/// See [`Auth`] for an example.
pub trait InlineAuth: Auth {
    /// Checks the request without blocking; see [`SyncAuth::authenticate_sync`].
    fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<Self::Identity>;
}

impl<T: InlineAuth> SyncAuth for T {
    #[inline]
    fn authenticate_sync(&self, req: &AuthRequest<'_>) -> AuthResult<Self::Identity> {
        self.authenticate_inline(req)
    }
}

impl<T: InlineAuth> AsyncAuth for T {
    #[inline]
    fn authenticate(
        &self,
        req: &AuthRequest<'_>,
    ) -> impl Future<Output = AuthResult<Self::Identity>> {
        std::future::ready(self.authenticate_inline(req))
    }

    #[inline]
    fn authenticate_now(&self, req: &AuthRequest<'_>) -> Option<AuthResult<Self::Identity>> {
        Some(self.authenticate_inline(req))
    }
}
