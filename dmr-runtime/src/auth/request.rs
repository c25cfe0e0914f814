//! The view of a request an auth check sees, borrowed on the workers or snapshotted for the
//! blocking pool.
//!
//! Two things live in request extensions and are not `Send`, so the snapshot copies them:
//! [`Attachments`] (values a middleware attached for auth checks, like the CSRF form field)
//! and, with the `session` feature, the entries of the `actix-session` session.

use std::any::{Any, TypeId};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use actix_web::HttpMessage as _;
use actix_web::HttpRequest;
use actix_web::cookie::Cookie;
use actix_web::dev::ConnectionInfo;
use actix_web::dev::Extensions;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, Uri};

/// What an auth check may read from the request.
///
/// On an `async fn` endpoint it borrows the live [`HttpRequest`] (so [`AuthRequest::http`]
/// gives access to app data and extensions); on a plain `fn` endpoint it borrows a
/// [`RequestSnapshot`] that was moved to the blocking pool, and `http()` is `None`.
pub struct AuthRequest<'a> {
    inner: Inner<'a>,
    /// `Authorization`, which most auths of a chain read, once looked up.
    authorization: OnceCell<Option<&'a HeaderValue>>,
    /// The last other header read with [`AuthRequest::header`] and its value, so a chain of
    /// auths reading the same header looks it up (hashes its name) once per request.
    last_header: RefCell<Option<(HeaderName, Option<&'a HeaderValue>)>>,
}

enum Inner<'a> {
    Live(&'a HttpRequest),
    Snapshot(&'a RequestSnapshot),
}

/// An owned, `Send` copy of the parts of a request that auth checks read (method, URI,
/// headers, connection info with the request's own host and scheme, [`Attachments`] and, with the `session` feature, the session
/// entries), so a sync chain can run on the blocking pool.
#[derive(Debug, Clone)]
pub struct RequestSnapshot {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    connection: ConnectionInfo,
    direct_host: String,
    direct_secure: bool,
    attachments: Option<Attachments>,
    #[cfg(feature = "session")]
    session: Option<HashMap<String, String>>,
}

impl RequestSnapshot {
    /// Copies what auth checks need out of `req`.
    ///
    /// With the `session` feature, a non-empty session (loaded by `actix-session`'s
    /// middleware) is copied too: a handful of short strings for a logged-in user, nothing
    /// otherwise.
    pub fn of(req: &HttpRequest) -> Self {
        // one statement per extensions borrow: the session copy borrows them mutably
        let attachments = req.extensions().get::<Attachments>().cloned();
        #[cfg(feature = "session")]
        let session = session_copy(req);
        Self {
            method: req.method().clone(),
            uri: req.uri().clone(),
            headers: req.headers().clone(),
            connection: req.connection_info().clone(),
            direct_host: direct_host(req).to_owned(),
            direct_secure: direct_secure(req),
            attachments,
            #[cfg(feature = "session")]
            session,
        }
    }

    /// Borrows the snapshot as the view auth checks take.
    pub fn view(&self) -> AuthRequest<'_> {
        AuthRequest {
            inner: Inner::Snapshot(self),
            authorization: OnceCell::new(),
            last_header: RefCell::new(None),
        }
    }
}

impl<'a> AuthRequest<'a> {
    /// Borrows a live request.
    ///
    /// ```
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::auth::AuthRequest;
    ///
    /// let req = TestRequest::get().insert_header(("X-Key", "k1")).to_http_request();
    /// assert_eq!(AuthRequest::live(&req).header_str("x-key"), Some("k1"));
    /// ```
    pub fn live(req: &'a HttpRequest) -> Self {
        Self {
            inner: Inner::Live(req),
            authorization: OnceCell::new(),
            last_header: RefCell::new(None),
        }
    }

    /// The request method.
    pub fn method(&self) -> &'a Method {
        match self.inner {
            Inner::Live(r) => r.method(),
            Inner::Snapshot(s) => &s.method,
        }
    }

    /// The request URI.
    pub fn uri(&self) -> &'a Uri {
        match self.inner {
            Inner::Live(r) => r.uri(),
            Inner::Snapshot(s) => &s.uri,
        }
    }

    /// All request headers.
    pub fn headers(&self) -> &'a HeaderMap {
        match self.inner {
            Inner::Live(r) => r.headers(),
            Inner::Snapshot(s) => &s.headers,
        }
    }

    /// The first value of header `name`. Auths of a chain that read the same header share
    /// one lookup: `Authorization` is kept once read, and of the other headers the last name
    /// asked for and its value.
    ///
    /// ```
    /// use actix_web::http::header::{AUTHORIZATION, HeaderName};
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::auth::AuthRequest;
    ///
    /// let req = TestRequest::get()
    ///     .insert_header(("Authorization", "Basic x"))
    ///     .insert_header(("X-Key", "k1"))
    ///     .to_http_request();
    /// let view = AuthRequest::live(&req);
    /// let (key, other) = (HeaderName::from_static("x-key"), HeaderName::from_static("x-other"));
    /// assert_eq!(view.header(&AUTHORIZATION).unwrap(), "Basic x");
    /// assert_eq!(view.header(&AUTHORIZATION).unwrap(), "Basic x");
    /// assert_eq!(view.header(&key).unwrap(), "k1");
    /// assert!(view.header(&other).is_none());
    /// assert!(view.header(&other).is_none());
    /// assert_eq!(view.header(&AUTHORIZATION).unwrap(), "Basic x");
    /// ```
    #[inline]
    pub fn header(&self, name: &HeaderName) -> Option<&'a HeaderValue> {
        if *name == header::AUTHORIZATION {
            *self
                .authorization
                .get_or_init(|| self.headers().get(header::AUTHORIZATION))
        } else {
            self.other_header(name)
        }
    }

    fn other_header(&self, name: &HeaderName) -> Option<&'a HeaderValue> {
        if let Ok(last) = self.last_header.try_borrow()
            && let Some((cached, value)) = &*last
            && cached == name
        {
            return *value;
        }
        let value = self.headers().get(name);
        if let Ok(mut last) = self.last_header.try_borrow_mut() {
            *last = Some((name.clone(), value));
        }
        value
    }

    /// The first value of a header, if it is present and visible ASCII; the name is matched
    /// case-insensitively.
    pub fn header_str(&self, name: &str) -> Option<&'a str> {
        self.headers().get(name).and_then(|v| v.to_str().ok())
    }

    /// A cookie by name, parsed from the `Cookie` headers; malformed pairs are ignored. When
    /// the name appears more than once, the last one wins (as in Django).
    ///
    /// ```
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::auth::AuthRequest;
    ///
    /// let req = TestRequest::get()
    ///     .insert_header(("cookie", "csrftoken=first; other=1; csrftoken=last"))
    ///     .to_http_request();
    /// let cookie = AuthRequest::live(&req).cookie("csrftoken").unwrap();
    /// assert_eq!(cookie.value(), "last");
    /// ```
    pub fn cookie(&self, name: &str) -> Option<Cookie<'a>> {
        self.headers()
            .get_all(header::COOKIE)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| {
                v.split(';')
                    .filter_map(|pair| Cookie::parse(pair.trim()).ok())
            })
            .filter(|c| c.name() == name)
            .last()
    }

    /// Scheme and host of the request as actix resolves them: `Forwarded` and
    /// `X-Forwarded-Host` / `X-Forwarded-Proto` win over the request's own. Any client can
    /// send those headers; trust them only behind a proxy that overwrites them (see
    /// [`direct_host`](Self::direct_host) and [`direct_scheme`](Self::direct_scheme)).
    pub fn connection_info(&self) -> ConnectionInfo {
        match self.inner {
            Inner::Live(r) => r.connection_info().clone(),
            Inner::Snapshot(s) => s.connection.clone(),
        }
    }

    /// The host the request names itself, ignoring forwarding headers: the `Host` header,
    /// else the URI's authority (HTTP/2), else the server's configured host.
    ///
    /// ```
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::auth::{AuthRequest, RequestSnapshot};
    ///
    /// let req = TestRequest::post()
    ///     .insert_header(("host", "api.example"))
    ///     .insert_header(("x-forwarded-host", "evil.example"))
    ///     .to_http_request();
    /// assert_eq!(AuthRequest::live(&req).direct_host(), "api.example");
    /// assert_eq!(AuthRequest::live(&req).connection_info().host(), "evil.example");
    /// assert_eq!(RequestSnapshot::of(&req).view().direct_host(), "api.example");
    /// ```
    pub fn direct_host(&self) -> &'a str {
        match self.inner {
            Inner::Live(r) => direct_host(r),
            Inner::Snapshot(s) => &s.direct_host,
        }
    }

    /// The scheme of the connection itself, `https` only when the server accepted it over
    /// TLS, ignoring `Forwarded` / `X-Forwarded-Proto`.
    ///
    /// ```
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::auth::{AuthRequest, RequestSnapshot};
    ///
    /// let req = TestRequest::post()
    ///     .insert_header(("x-forwarded-proto", "https"))
    ///     .to_http_request();
    /// assert_eq!(AuthRequest::live(&req).direct_scheme(), "http");
    /// assert_eq!(AuthRequest::live(&req).connection_info().scheme(), "https");
    /// assert_eq!(RequestSnapshot::of(&req).view().direct_scheme(), "http");
    /// ```
    pub fn direct_scheme(&self) -> &'static str {
        let secure = match self.inner {
            Inner::Live(r) => direct_secure(r),
            Inner::Snapshot(s) => s.direct_secure,
        };
        if secure { "https" } else { "http" }
    }

    /// The live request on async endpoints; `None` on the blocking pool.
    pub fn http(&self) -> Option<&'a HttpRequest> {
        match self.inner {
            Inner::Live(r) => Some(r),
            Inner::Snapshot(_) => None,
        }
    }

    /// The value of type `T` a middleware attached with [`attach`], on both paths.
    ///
    /// ```
    /// use actix_web::HttpMessage as _;
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::auth::{AuthRequest, RequestSnapshot, attach};
    ///
    /// struct Tenant(&'static str);
    ///
    /// let req = TestRequest::get().to_http_request();
    /// attach(&mut req.extensions_mut(), Tenant("acme"));
    /// assert_eq!(AuthRequest::live(&req).attachment::<Tenant>().map(|t| t.0), Some("acme"));
    /// let snapshot = RequestSnapshot::of(&req);
    /// assert_eq!(snapshot.view().attachment::<Tenant>().map(|t| t.0), Some("acme"));
    /// ```
    pub fn attachment<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        match self.inner {
            Inner::Live(r) => r
                .extensions()
                .get::<Attachments>()
                .and_then(Attachments::get),
            Inner::Snapshot(s) => s.attachments.as_ref().and_then(Attachments::get),
        }
    }

    /// The raw (JSON-encoded) value of a session entry, as `actix-session` stores it; `None`
    /// without a session or without the entry.
    ///
    /// On an async endpoint it reads the live session; on the blocking pool, the copy the
    /// snapshot took before the hop.
    #[cfg(feature = "session")]
    #[cfg_attr(docsrs, doc(cfg(feature = "session")))]
    pub fn session_entry(&self, key: &str) -> Option<String> {
        match self.inner {
            Inner::Live(r) => {
                use actix_session::SessionExt as _;
                r.get_session().entries().get(key).cloned()
            }
            Inner::Snapshot(s) => s.session.as_ref()?.get(key).cloned(),
        }
    }

    /// A session entry decoded from JSON; `None` when it is absent or not a `T`.
    ///
    /// ```
    /// use actix_session::SessionExt as _;
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::auth::{AuthRequest, RequestSnapshot};
    ///
    /// let req = TestRequest::get().to_http_request();
    /// req.get_session().insert("user", "42").unwrap();
    /// assert_eq!(AuthRequest::live(&req).session_get::<String>("user").as_deref(), Some("42"));
    /// let snapshot = RequestSnapshot::of(&req);
    /// assert_eq!(snapshot.view().session_get::<String>("user").as_deref(), Some("42"));
    /// assert_eq!(snapshot.view().session_get::<u8>("user"), None);
    /// ```
    #[cfg(feature = "session")]
    #[cfg_attr(docsrs, doc(cfg(feature = "session")))]
    pub fn session_get<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        serde_json::from_str(&self.session_entry(key)?).ok()
    }
}

/// What [`AuthRequest::direct_host`] reads off a live request.
fn direct_host(req: &HttpRequest) -> &str {
    req.headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()))
        .unwrap_or_else(|| req.app_config().host())
}

#[cfg(feature = "session")]
fn session_copy(req: &HttpRequest) -> Option<HashMap<String, String>> {
    use actix_session::SessionExt as _;
    let session = req.get_session();
    let entries = session.entries();
    (!entries.is_empty()).then(|| entries.clone())
}

/// `Send + Sync` values a middleware attached to a request for auth checks (stored in the
/// request extensions, copied into [`RequestSnapshot`]s), read with
/// [`AuthRequest::attachment`]. Add them with [`attach`].
#[derive(Clone, Default)]
pub struct Attachments(HashMap<TypeId, Arc<dyn Any + Send + Sync>>);

impl Attachments {
    fn get<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.0
            .get(&TypeId::of::<T>())
            .cloned()
            .and_then(|v| v.downcast().ok())
    }
}

impl std::fmt::Debug for Attachments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachments")
            .field("len", &self.0.len())
            .finish_non_exhaustive()
    }
}

/// Attaches `value` to a request for auth checks on both endpoint kinds (replacing an
/// earlier value of the same type). Call it from a middleware with
/// `attach(&mut req.extensions_mut(), value)`; see [`AuthRequest::attachment`].
pub fn attach<T: Send + Sync + 'static>(extensions: &mut Extensions, value: T) {
    if !extensions.contains::<Attachments>() {
        extensions.insert(Attachments::default());
    }
    if let Some(all) = extensions.get_mut::<Attachments>() {
        all.0.insert(TypeId::of::<T>(), Arc::new(value));
    }
}

/// Marks a request as arriving over HTTPS; set only by `testing::AssumeHttps`.
#[cfg(feature = "testing")]
#[derive(Clone, Copy)]
pub(crate) struct HttpsMark;

/// Whether the connection is HTTPS (with the `testing` feature, also under
/// `testing::AssumeHttps`).
fn direct_secure(req: &HttpRequest) -> bool {
    #[cfg(feature = "testing")]
    if req.extensions().contains::<HttpsMark>() {
        return true;
    }
    req.app_config().secure()
}
