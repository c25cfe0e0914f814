// `use_sessions` exists only with the `session` feature: without it, link to docs.rs.
#![cfg_attr(
    not(feature = "session"),
    doc = "[`CsrfConfig::use_sessions`]: https://docs.rs/dmr-runtime/latest/dmr_runtime/backends/csrf/struct.CsrfConfig.html#method.use_sessions\n"
)]
//! CSRF protection for cookie-based auth, exactly as django-modern-rest runs Django's
//! `CsrfViewMiddleware` algorithm (listed below), with the same 403 reason strings.
//!
//! A cookie-based auth calls [`CsrfConfig::check`] only once its credential is actually used
//! (session auth: after an active user is found), so an unused backend never blocks the next
//! auth of the chain; a failure is a 403 `CSRF Failed: <reason>` that stops the chain.
//!
//! The algorithm, in order:
//!
//! 1. `GET`, `HEAD`, `OPTIONS` and `TRACE` pass; so does everything when enforcement is off
//!    ([`CsrfConfig::enforce`], **tests only**).
//! 2. An `Origin` header must be the request's own `<scheme>://<host>` or a trusted origin.
//! 3. Without `Origin`, an HTTPS request needs a same-host or trusted `https` `Referer`.
//! 4. The secret comes from the `csrftoken` cookie (or the session, see
//!    [`CsrfConfig::use_sessions`]); the token from the `csrfmiddlewaretoken` form field of a
//!    `POST` (when [`CsrfFormToken`] is installed) or the `X-CSRFToken` header.
//! 5. Both are checked for shape (32 or 64 characters of `[A-Za-z0-9]`), the token is
//!    unmasked and compared with the secret in constant time.
//!
//! The request's own host and scheme are its `Host` header and the connection's scheme
//! ([`AuthRequest::direct_host`], [`AuthRequest::direct_scheme`]), as Django reads them by
//! default: `Forwarded` / `X-Forwarded-Host` / `X-Forwarded-Proto` are ignored, since any
//! client can send them. Behind a reverse proxy that overwrites those headers (TLS ended at the
//! proxy), turn on [`CsrfConfig::trust_forwarded_headers`] (Django's `USE_X_FORWARDED_HOST`
//! plus `SECURE_PROXY_SSL_HEADER`).
//!
//! ```
//! use actix_web::cookie::Cookie;
//! use actix_web::test::TestRequest;
//! use dmr_runtime::auth::AuthRequest;
//! use dmr_runtime::backends::csrf::{CsrfConfig, mask_secret, new_secret};
//!
//! let csrf = CsrfConfig::new().trusted_origins(["https://app.example.com"]);
//! let secret = new_secret(); // what the `csrftoken` cookie holds
//!
//! // The client echoes the cookie in `X-CSRFToken` (masked or not).
//! let ok = TestRequest::post()
//!     .uri("http://api.example.com/notes/")
//!     .insert_header(("Origin", "https://app.example.com"))
//!     .cookie(Cookie::new("csrftoken", secret.clone()))
//!     .insert_header(("X-CSRFToken", mask_secret(&secret).unwrap()))
//!     .to_http_request();
//! assert!(csrf.check(&AuthRequest::live(&ok)).is_ok());
//!
//! // Another site's page posting with the user's cookies.
//! let forged = TestRequest::post()
//!     .insert_header(("Origin", "https://evil.example"))
//!     .cookie(Cookie::new("csrftoken", secret.clone()))
//!     .to_http_request();
//! let err = csrf.check(&AuthRequest::live(&forged)).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins."
//! );
//!
//! // Safe methods are never checked.
//! let get = TestRequest::get().to_http_request();
//! assert!(csrf.check(&AuthRequest::live(&get)).is_ok());
//! ```

#[cfg(feature = "session")]
mod cookie;
mod form;
mod origin;
mod rejection;
mod renewal;
mod token;

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use actix_web::http::Method;
use actix_web::http::header::{self, HeaderName};

use crate::auth::AuthRequest;
#[cfg(feature = "session")]
pub(crate) use cookie::{CookieAttributes, cookie_attribute_setters};
pub use form::{CsrfFormToken, FormCsrfToken};
use origin::{TrustedOrigins, header_label, latin1, urlsplit};
pub use rejection::CsrfRejection;
pub use renewal::{CsrfCookieRenewal, CsrfCookieRenewalService};
#[cfg(feature = "session")]
pub(crate) use renewal::{append_cookie, renew, sends_malformed, sets_cookie};
pub use token::{
    CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH, FormatError, check_token_format,
    mask_secret, new_secret, token_matches, unmask_token,
};

/// The session key of the secret when it lives in the session (Django's `CSRF_SESSION_KEY`).
pub const CSRF_SESSION_KEY: &str = "_csrftoken";

/// `CSRF cookie not set.`
pub const REASON_NO_CSRF_COOKIE: &str = "CSRF cookie not set.";
/// `CSRF token missing.`
pub const REASON_CSRF_TOKEN_MISSING: &str = "CSRF token missing.";
/// `Referer checking failed - no Referer.`
pub const REASON_NO_REFERER: &str = "Referer checking failed - no Referer.";
/// `Referer checking failed - Referer is malformed.`
pub const REASON_MALFORMED_REFERER: &str = "Referer checking failed - Referer is malformed.";
/// `Referer checking failed - Referer is insecure while host is secure.`
pub const REASON_INSECURE_REFERER: &str =
    "Referer checking failed - Referer is insecure while host is secure.";

/// How CSRF is checked: cookie and header names, trusted origins, where the secret lives.
///
/// ```
/// use dmr_runtime::backends::csrf::CsrfConfig;
///
/// let csrf = CsrfConfig::new()
///     .cookie_name("csrftoken")
///     .header_name("X-CSRFToken")
///     .trusted_origins(["https://app.example.com", "https://*.example.org"]);
/// assert_eq!(csrf.get_cookie_name(), "csrftoken");
/// ```
#[derive(Debug, Clone)]
pub struct CsrfConfig {
    cookie_name: String,
    cookie_domain: Option<String>,
    cookie_secure: Option<bool>,
    cookie_same_site: Option<actix_web::cookie::SameSite>,
    cookie_path: Option<String>,
    header: HeaderName,
    header_label: String,
    use_sessions: bool,
    trusted: TrustedOrigins,
    enforce: bool,
    pub(crate) trust_forwarded: bool,
    /// Set once the "enforcement is off" warning was logged; shared by clones.
    #[cfg_attr(not(feature = "session"), allow(dead_code))]
    warned_off: Arc<AtomicBool>,
    /// The session cookie's `Domain`: what the `Referer` may match when the secret lives in
    /// the session (Django's `SESSION_COOKIE_DOMAIN`); set by the session configuration.
    pub(crate) session_cookie_domain: Option<String>,
}

impl Default for CsrfConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl CsrfConfig {
    /// Django's defaults: cookie `csrftoken`, header `X-CSRFToken`, secret in the cookie, no
    /// trusted origins, enforced.
    pub fn new() -> Self {
        Self {
            cookie_name: "csrftoken".to_owned(),
            cookie_domain: None,
            cookie_secure: None,
            cookie_same_site: None,
            cookie_path: None,
            header: HeaderName::from_static("x-csrftoken"),
            header_label: header_label("X-CSRFToken"),
            use_sessions: false,
            trusted: TrustedOrigins::default(),
            enforce: true,
            trust_forwarded: false,
            warned_off: Arc::default(),
            session_cookie_domain: None,
        }
    }

    /// The cookie that holds the secret (default `csrftoken`).
    pub fn cookie_name(mut self, name: impl Into<String>) -> Self {
        self.cookie_name = name.into();
        self
    }

    /// The `Domain` of the CSRF cookie (default none: the exact host); the `Referer` check of
    /// HTTPS requests then accepts that domain.
    pub fn cookie_domain(mut self, domain: impl Into<String>) -> Self {
        self.cookie_domain = Some(domain.into());
        self
    }

    /// Whether the CSRF cookie is `Secure` (Django's `CSRF_COOKIE_SECURE`; default: as the
    /// session cookie, [`SessionConfig::secure`]).
    ///
    /// ```
    /// use actix_web::cookie::SameSite;
    /// use dmr_runtime::backends::csrf::CsrfConfig;
    ///
    /// let csrf = CsrfConfig::new()
    ///     .cookie_secure(true)
    ///     .cookie_same_site(SameSite::Strict)
    ///     .cookie_path("/api");
    /// assert_eq!(csrf.get_cookie_secure(), Some(true));
    /// assert_eq!(csrf.get_cookie_same_site(), Some(SameSite::Strict));
    /// assert_eq!(csrf.get_cookie_path(), Some("/api"));
    /// ```
    ///
    /// [`SessionConfig::secure`]: crate::backends::session::SessionConfig::secure
    pub fn cookie_secure(mut self, secure: bool) -> Self {
        self.cookie_secure = Some(secure);
        self
    }

    /// The CSRF cookie's `SameSite` (Django's `CSRF_COOKIE_SAMESITE`; default: as the
    /// session cookie, [`SessionConfig::same_site`]).
    ///
    /// [`SessionConfig::same_site`]: crate::backends::session::SessionConfig::same_site
    pub fn cookie_same_site(mut self, same_site: actix_web::cookie::SameSite) -> Self {
        self.cookie_same_site = Some(same_site);
        self
    }

    /// The CSRF cookie's `Path` (Django's `CSRF_COOKIE_PATH`; default `/`).
    pub fn cookie_path(mut self, path: impl Into<String>) -> Self {
        self.cookie_path = Some(path.into());
        self
    }

    /// The CSRF cookie's own `Secure`, if set.
    pub fn get_cookie_secure(&self) -> Option<bool> {
        self.cookie_secure
    }

    /// The CSRF cookie's own `SameSite`, if set.
    pub fn get_cookie_same_site(&self) -> Option<actix_web::cookie::SameSite> {
        self.cookie_same_site
    }

    /// The CSRF cookie's own `Path`, if set.
    pub fn get_cookie_path(&self) -> Option<&str> {
        self.cookie_path.as_deref()
    }

    /// The header that carries the token (default `X-CSRFToken`); messages name it as Django
    /// does (`the 'X-Csrftoken' HTTP header`).
    ///
    /// # Panics
    ///
    /// If `name` is not a valid header name (a programming error, found at startup).
    pub fn header_name(mut self, name: &str) -> Self {
        self.header = HeaderName::try_from(name)
            .expect("`CsrfConfig::header_name` needs a valid header name");
        self.header_label = header_label(name);
        self
    }

    /// Keeps the secret in the session instead of a cookie (Django's `CSRF_USE_SESSIONS`):
    /// login sets no CSRF cookie and OpenAPI documents no `csrf` scheme. Clients read a masked
    /// token from an endpoint of yours (see `session::session_csrf_token`).
    #[cfg(feature = "session")]
    #[cfg_attr(docsrs, doc(cfg(feature = "session")))]
    pub fn use_sessions(mut self, yes: bool) -> Self {
        self.use_sessions = yes;
        self
    }

    /// Origins trusted for unsafe requests besides the request's own (Django's
    /// `CSRF_TRUSTED_ORIGINS`): `https://app.example.com`, or `https://*.example.com` for
    /// every subdomain.
    ///
    /// # Panics
    ///
    /// If an origin has no scheme (`example.com` instead of `https://example.com`), as Django
    /// refuses to start.
    pub fn trusted_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let origins: Vec<String> = origins.into_iter().map(Into::into).collect();
        for o in &origins {
            assert!(
                o.contains("://"),
                "CSRF trusted origin `{o}` must start with a scheme (`https://`)"
            );
        }
        self.trusted = TrustedOrigins::new(&origins);
        self
    }

    /// **FOR TESTS ONLY: `enforce(false)` TURNS CSRF PROTECTION OFF.** Every request then
    /// passes the check, as with Django's test client (`_dont_enforce_csrf_checks`), so any
    /// site can make a logged-in browser post to your API; login still sets the CSRF cookie.
    ///
    /// **Never use it in production.** Building a session auth with it logs a warning
    /// (`tracing::warn!`, once per configuration).
    pub fn enforce(mut self, yes: bool) -> Self {
        self.enforce = yes;
        self
    }

    /// Whether the request's host and scheme come from `Forwarded` / `X-Forwarded-Host` /
    /// `X-Forwarded-Proto` (default `false`: from the `Host` header and the connection).
    ///
    /// Turn it on only behind a reverse proxy that sets (overwrites) these headers on every
    /// request, typically one that ends TLS: clients can send them too, and with the option on
    /// a forged `X-Forwarded-Host: evil.example` makes `Origin: http://evil.example` the
    /// request's "own" origin.
    ///
    /// ```
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::auth::AuthRequest;
    /// use dmr_runtime::backends::csrf::{CsrfConfig, new_secret};
    ///
    /// let secret = new_secret();
    /// let req = TestRequest::post()
    ///     .insert_header(("host", "api.example"))
    ///     .insert_header(("x-forwarded-proto", "https"))
    ///     .insert_header(("origin", "https://api.example"))
    ///     .cookie(actix_web::cookie::Cookie::new("csrftoken", secret.clone()))
    ///     .insert_header(("X-CSRFToken", secret))
    ///     .to_http_request();
    /// let req = AuthRequest::live(&req);
    /// assert!(CsrfConfig::new().check(&req).is_err()); // the connection is plain HTTP
    /// assert!(CsrfConfig::new().trust_forwarded_headers(true).check(&req).is_ok());
    /// ```
    pub fn trust_forwarded_headers(mut self, yes: bool) -> Self {
        self.trust_forwarded = yes;
        self
    }

    /// The name of the CSRF cookie.
    pub fn get_cookie_name(&self) -> &str {
        &self.cookie_name
    }

    /// The `Domain` of the CSRF cookie, if set.
    pub fn get_cookie_domain(&self) -> Option<&str> {
        self.cookie_domain.as_deref()
    }

    /// Whether the secret lives in the session.
    pub fn uses_sessions(&self) -> bool {
        self.use_sessions
    }

    /// Whether the check is enforced (`false` only in tests, see [`CsrfConfig::enforce`]).
    pub fn is_enforced(&self) -> bool {
        self.enforce
    }

    /// Logs, once per configuration (clones included), that enforcement is off; called when
    /// an auth is built with this configuration (the session auth, today).
    #[cfg_attr(not(feature = "session"), allow(dead_code))]
    pub(crate) fn warn_if_not_enforced(&self) {
        if !self.enforce && !self.warned_off.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "CSRF protection is OFF (`CsrfConfig::enforce(false)`): every request passes the \
                 CSRF check. This switch is for tests only; never use it in production."
            );
        }
    }

    /// The request's own `(https?, host)`: see [`CsrfConfig::trust_forwarded_headers`].
    fn own_origin<'r>(&self, req: &AuthRequest<'r>) -> (bool, Cow<'r, str>) {
        if self.trust_forwarded {
            let conn = req.connection_info();
            (conn.scheme() == "https", Cow::Owned(conn.host().to_owned()))
        } else {
            (
                req.direct_scheme() == "https",
                Cow::Borrowed(req.direct_host()),
            )
        }
    }

    /// Runs the check on a request whose cookie credential is being used.
    ///
    /// ```
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::auth::AuthRequest;
    /// use dmr_runtime::backends::csrf::{CsrfConfig, new_secret};
    ///
    /// let csrf = CsrfConfig::new();
    /// let secret = new_secret();
    /// let ok = TestRequest::post()
    ///     .cookie(actix_web::cookie::Cookie::new("csrftoken", secret.clone()))
    ///     .insert_header(("X-CSRFToken", secret))
    ///     .to_http_request();
    /// assert!(csrf.check(&AuthRequest::live(&ok)).is_ok());
    ///
    /// let missing = TestRequest::post().to_http_request();
    /// let err = csrf.check(&AuthRequest::live(&missing)).unwrap_err();
    /// assert_eq!(err.reason(), "CSRF cookie not set.");
    /// assert_eq!(err.to_string(), "CSRF Failed: CSRF cookie not set.");
    /// ```
    pub fn check(&self, req: &AuthRequest<'_>) -> Result<(), CsrfRejection> {
        if matches!(
            *req.method(),
            Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
        ) || !self.enforce
        {
            return Ok(());
        }
        let (secure, host) = self.own_origin(req);
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            let origin = latin1(origin.as_bytes());
            let good_origin = format!("{}://{host}", if secure { "https" } else { "http" });
            if !self.trusted.origin_verified(&origin, &good_origin) {
                return Err(CsrfRejection::new(format!(
                    "Origin checking failed - {origin} does not match any trusted origins."
                )));
            }
        } else if secure {
            let referer = req
                .headers()
                .get(header::REFERER)
                .map(|v| latin1(v.as_bytes()));
            let domain = if self.use_sessions {
                &self.session_cookie_domain
            } else {
                &self.cookie_domain
            };
            let good = match domain {
                Some(domain) => with_port(domain, &host),
                None => host.into_owned(),
            };
            self.trusted
                .check_referer(referer.as_deref(), &good)
                .map_err(CsrfRejection::new)?;
        }
        self.check_token(req)
    }

    fn check_token(&self, req: &AuthRequest<'_>) -> Result<(), CsrfRejection> {
        let secret = self
            .secret(req)?
            .ok_or_else(|| CsrfRejection::new(REASON_NO_CSRF_COOKIE))?;
        let form = (*req.method() == Method::POST)
            .then(|| req.attachment::<FormCsrfToken>())
            .flatten()
            .filter(|t| !t.0.is_empty());
        let (token, from_post) = match &form {
            Some(t) => (t.0.clone(), true),
            None => match req.headers().get(&self.header) {
                Some(v) => (latin1(v.as_bytes()), false),
                None => return Err(CsrfRejection::new(REASON_CSRF_TOKEN_MISSING)),
            },
        };
        let source = if from_post {
            "POST".to_owned()
        } else {
            format!("the '{}' HTTP header", self.header_label)
        };
        if let Err(e) = check_token_format(&token) {
            return Err(CsrfRejection::new(format!(
                "CSRF token from {source} {}.",
                e.reason()
            )));
        }
        if !token_matches(&token, &secret) {
            return Err(CsrfRejection::new(format!(
                "CSRF token from {source} incorrect."
            )));
        }
        Ok(())
    }

    /// The request's secret: `Ok(None)` when there is none, a rejection when the cookie has
    /// the wrong shape (Django's `_get_secret`).
    fn secret(&self, req: &AuthRequest<'_>) -> Result<Option<String>, CsrfRejection> {
        if self.use_sessions {
            #[cfg(feature = "session")]
            return Ok(req
                .session_get::<String>(CSRF_SESSION_KEY)
                .map(token::stored_secret));
        }
        let Some(cookie) = req.cookie(&self.cookie_name) else {
            return Ok(None);
        };
        let value = cookie.value();
        check_token_format(value)
            .map_err(|e| CsrfRejection::new(format!("CSRF cookie {}.", e.reason())))?;
        Ok(Some(token::stored_secret(value.to_owned())))
    }
}

/// Django adds the port to a configured cookie domain unless it is 80 or 443; actix knows the
/// port only from the `Host` header.
fn with_port(domain: &str, host: &str) -> String {
    let port = urlsplit(&format!("//{host}"))
        .and_then(|u| u.netloc.rsplit_once(':').map(|(_, p)| p.to_owned()))
        .filter(|p| !p.contains(']'));
    match port.as_deref() {
        Some(p) if p != "80" && p != "443" => format!("{domain}:{p}"),
        _ => domain.to_owned(),
    }
}
