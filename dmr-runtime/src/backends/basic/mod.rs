//! HTTP Basic auth, as django-modern-rest's: credentials from `Authorization: Basic ..` (or a
//! custom header), checked by your function.
//!
//! Every parse failure is a skip, so a chain with only Basic answers the generic 401.
//! Basic auth sends the password with every request: use it only over TLS and for things like
//! status dashboards, and put a rate limit in front of it.
//!
//! ```
//! use actix_web::{App, test};
//! use dmr_runtime::backends::basic::{BasicUser, HttpBasic, basic_auth, constant_time_eq};
//! use dmr_runtime::prelude::*;
//!
//! fn check(user: &str, pass: &str) -> bool {
//!     user == "admin" && constant_time_eq(pass, "pass")
//! }
//!
//! struct Status;
//!
//! #[controller(path = "/status", auth = [HttpBasic::new(check).realm("status")])]
//! impl Status {
//!     #[endpoint(get, path = "/")]
//!     async fn show(user: Authed<BasicUser>) -> String {
//!         format!("all good, {}", user.username)
//!     }
//! }
//!
//! # actix_web::rt::System::new().block_on(async {
//! let api = Api::new().controller::<Status>().build().unwrap();
//! let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
//!
//! let req = test::TestRequest::get()
//!     .uri("/status/")
//!     .insert_header(("Authorization", basic_auth("admin", "pass")));
//! assert_eq!(test::call_and_read_body(&app, req.to_request()).await, "all good, admin");
//!
//! let req = test::TestRequest::get().uri("/status/").to_request();
//! let resp = test::call_service(&app, req).await;
//! assert_eq!(resp.status(), 401);
//! assert_eq!(resp.headers().get("WWW-Authenticate").unwrap(), r#"Basic realm="status""#);
//! # });
//! ```

mod parse;
mod verify;

use actix_web::http::header::{self, HeaderName};
use base64::Engine as _;

use super::header_name::canonical_header;
use crate::auth::{AsyncAuth, Auth, AuthRequest, AuthResult, InlineAuth, SchemeDoc, SyncAuth};
use crate::throttle::ThrottleIdentity;
pub use parse::parse_credentials;
#[cfg(fuzzing)]
#[doc(hidden)]
pub use parse::parse_credentials_oracle;
pub use verify::{
    AsyncVerifier, BasicAuth, BlockingBasicAuth, BlockingVerifier, CheckFn, InlineVerifier,
};

/// Throttles keyed on the identity count a Basic login by its user name.
impl ThrottleIdentity for BasicUser {
    fn throttle_key(&self) -> Option<String> {
        Some(self.username.clone())
    }
}

/// The identity of a Basic login: the (percent-decoded) user name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicUser {
    /// The user name, as sent.
    pub username: String,
}

/// HTTP Basic auth with a verification function `V`.
///
/// * [`HttpBasic::new`]: a function that neither blocks nor awaits; usable everywhere.
/// * [`HttpBasic::blocking`]: may block (a sync database); sync endpoints only.
/// * [`HttpBasic::with_async`]: returns a future; async endpoints only.
///
/// ```
/// use dmr_runtime::backends::basic::{HttpBasic, constant_time_eq};
///
/// let auth = HttpBasic::new(|user, pass| user == "admin" && constant_time_eq(pass, "pass"))
///     .realm("dashboard")
///     .scheme_name("basic_dashboard");
/// # let _ = auth;
/// ```
#[derive(Debug, Clone)]
pub struct HttpBasic<V> {
    verify: V,
    header: HeaderName,
    scheme_name: String,
    realm: String,
}

impl<F> HttpBasic<InlineVerifier<F>>
where
    F: Fn(&str, &str) -> bool + Send + Sync + 'static,
{
    /// Basic auth checked by `verify(username, password)`, a function that must not block:
    /// it runs inline on whichever thread the endpoint uses.
    pub fn new(verify: F) -> Self {
        Self::with_verifier(InlineVerifier(verify))
    }
}

impl<F> HttpBasic<BlockingVerifier<F>>
where
    F: Fn(&str, &str) -> bool + Send + Sync + 'static,
{
    /// Basic auth checked by a function that may block; only sync endpoints can use it.
    pub fn blocking(verify: F) -> Self {
        Self::with_verifier(BlockingVerifier(verify))
    }
}

impl<F, Fut> HttpBasic<AsyncVerifier<F>>
where
    F: Fn(String, String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool>,
{
    /// Basic auth checked by an async function; only async endpoints can use it.
    pub fn with_async(verify: F) -> Self {
        Self::with_verifier(AsyncVerifier(verify))
    }
}

impl<V> HttpBasic<V> {
    fn with_verifier(verify: V) -> Self {
        Self {
            verify,
            header: header::AUTHORIZATION,
            scheme_name: "http_basic".to_owned(),
            realm: "api".to_owned(),
        }
    }

    /// Reads credentials from another header (documented as an `apiKey` scheme; no
    /// `WWW-Authenticate` challenge is sent for it).
    ///
    /// # Panics
    ///
    /// If `name` is not a valid header name (a programming error, found at startup).
    pub fn header(mut self, name: &str) -> Self {
        self.header =
            HeaderName::try_from(name).expect("`HttpBasic::header` needs a valid header name");
        self
    }

    /// The OpenAPI security scheme name (default `http_basic`).
    pub fn scheme_name(mut self, name: impl Into<String>) -> Self {
        self.scheme_name = name.into();
        self
    }

    /// The realm of the `WWW-Authenticate` challenge (default `api`).
    pub fn realm(mut self, realm: impl Into<String>) -> Self {
        self.realm = realm.into();
        self
    }

    /// `f(username, password)` on the request's credentials, if it carries some.
    fn with_credentials<R>(
        &self,
        req: &AuthRequest<'_>,
        f: impl FnOnce(&str, &str) -> R,
    ) -> Option<R> {
        parse::with_credentials(req.header(&self.header)?.as_bytes(), f)
    }

    /// The identity, if `verify` accepts the request's credentials.
    fn check(
        &self,
        req: &AuthRequest<'_>,
        verify: impl Fn(&str, &str) -> bool,
    ) -> Option<BasicUser> {
        self.with_credentials(req, |user, pass| {
            verify(user, pass).then(|| Self::user(user.to_owned()))
        })
        .flatten()
    }

    fn user(username: String) -> BasicUser {
        BasicUser { username }
    }
}

impl<V: Send + Sync + 'static> Auth for HttpBasic<V> {
    type Identity = BasicUser;

    fn throttle_key(user: &BasicUser) -> Option<String> {
        user.throttle_key()
    }

    fn scheme_name(&self) -> &str {
        &self.scheme_name
    }

    fn schemes(&self) -> Vec<SchemeDoc> {
        let doc = if self.header == header::AUTHORIZATION {
            SchemeDoc::http(&self.scheme_name, "basic", None, "Http Basic auth")
        } else {
            let h = self.header.as_str();
            let name = canonical_header(h);
            SchemeDoc::api_key_header(
                &self.scheme_name,
                &name,
                format!(
                    "HTTP Basic auth via `{name}` header using `<base64(username:password)>` or `Basic <base64(username:password)>` format"
                ),
            )
        };
        vec![doc]
    }

    fn challenge(&self) -> Option<String> {
        (self.header == header::AUTHORIZATION)
            .then(|| format!("Basic realm=\"{}\"", quoted_string_safe(&self.realm)))
    }
}

impl<F> InlineAuth for HttpBasic<InlineVerifier<F>>
where
    F: Fn(&str, &str) -> bool + Send + Sync + 'static,
{
    fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<BasicUser> {
        Ok(self.check(req, &self.verify.0))
    }
}

impl<F> SyncAuth for HttpBasic<BlockingVerifier<F>>
where
    F: Fn(&str, &str) -> bool + Send + Sync + 'static,
{
    fn authenticate_sync(&self, req: &AuthRequest<'_>) -> AuthResult<BasicUser> {
        Ok(self.check(req, &self.verify.0))
    }
}

impl<F, Fut> AsyncAuth for HttpBasic<AsyncVerifier<F>>
where
    F: Fn(String, String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool>,
{
    async fn authenticate(&self, req: &AuthRequest<'_>) -> AuthResult<BasicUser> {
        let Some((user, pass)) =
            self.with_credentials(req, |user, pass| (user.to_owned(), pass.to_owned()))
        else {
            return Ok(None);
        };
        let ok = (self.verify.0)(user.clone(), pass).await;
        Ok(ok.then(|| Self::user(user)))
    }
}

/// The realm as the inside of an HTTP quoted-string: quotes, backslashes and control
/// characters are dropped.
fn quoted_string_safe(realm: &str) -> String {
    realm
        .chars()
        .filter(|c| !matches!(c, '"' | '\\') && !c.is_control())
        .collect()
}

/// Builds an `Authorization` value: `basic_auth("admin", "pass") == "Basic YWRtaW46cGFzcw=="`.
///
/// ```
/// use dmr_runtime::backends::basic::basic_auth;
/// assert_eq!(basic_auth("admin", "pass"), "Basic YWRtaW46cGFzcw==");
/// ```
pub fn basic_auth(username: &str, password: &str) -> String {
    basic_auth_with_prefix(username, password, "Basic ")
}

/// Like [`basic_auth`] with another prefix (`""` gives the bare payload).
///
/// ```
/// use dmr_runtime::backends::basic::basic_auth_with_prefix;
/// assert_eq!(basic_auth_with_prefix("admin", "pass", ""), "YWRtaW46cGFzcw==");
/// ```
pub fn basic_auth_with_prefix(username: &str, password: &str, prefix: &str) -> String {
    let payload =
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    format!("{prefix}{payload}")
}

/// Compares a secret the client sent (`given`) with the expected one without leaking the
/// expected one through timing: the work depends only on the length of `given`, never on the
/// content or the length of `expected` (every byte of `given` is compared with a byte of
/// `expected`, cycling through it, and the lengths are compared in constant time). No
/// hashing: a few instructions per byte. Use it in your verification function, the client's
/// value first.
///
/// ```
/// use dmr_runtime::backends::basic::constant_time_eq;
/// assert!(constant_time_eq("pass", "pass"));
/// assert!(!constant_time_eq("pass", "pasS"));
/// assert!(!constant_time_eq("pass", "passpass"));
/// assert!(!constant_time_eq("passpass", "pass"));
/// assert!(!constant_time_eq("", "pass") && !constant_time_eq("pass", "") && constant_time_eq("", ""));
/// ```
pub fn constant_time_eq(given: &str, expected: &str) -> bool {
    use subtle::{ConditionallySelectable, ConstantTimeEq};
    let (given, expected) = (given.as_bytes(), expected.as_bytes());
    let Some(last) = expected.len().checked_sub(1) else {
        return given.is_empty();
    };
    let mut diff = 0u8;
    let mut j = 0usize;
    for &byte in given {
        diff |= byte ^ expected.get(j).copied().unwrap_or(0);
        // the next position of `expected`, back to 0 after its last byte, without a branch
        let next = (j + 1) as u64;
        j = u64::conditional_select(&next, &0, (j as u64).ct_eq(&(last as u64))) as usize;
    }
    let same_len = (given.len() as u64).ct_eq(&(expected.len() as u64));
    (same_len & diff.ct_eq(&0)).into()
}
