//! The view of a request an auth check sees, borrowed on the workers or snapshotted for the
//! blocking pool.

use actix_web::HttpRequest;
use actix_web::cookie::Cookie;
use actix_web::dev::ConnectionInfo;
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::{Method, Uri};

/// What an auth check may read from the request.
///
/// On an `async fn` endpoint it borrows the live [`HttpRequest`] (so [`AuthRequest::http`]
/// gives access to app data and extensions); on a plain `fn` endpoint it borrows a
/// [`RequestSnapshot`] that was moved to the blocking pool, and `http()` is `None`.
pub struct AuthRequest<'a> {
    inner: Inner<'a>,
}

enum Inner<'a> {
    Live(&'a HttpRequest),
    Snapshot(&'a RequestSnapshot),
}

/// An owned, `Send` copy of the parts of a request that auth checks read (method, URI,
/// headers, connection info), so a sync chain can run on the blocking pool.
#[derive(Debug, Clone)]
pub struct RequestSnapshot {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    connection: ConnectionInfo,
}

impl RequestSnapshot {
    /// Copies what auth checks need out of `req`.
    pub fn of(req: &HttpRequest) -> Self {
        Self {
            method: req.method().clone(),
            uri: req.uri().clone(),
            headers: req.headers().clone(),
            connection: req.connection_info().clone(),
        }
    }

    /// Borrows the snapshot as the view auth checks take.
    pub fn view(&self) -> AuthRequest<'_> {
        AuthRequest { inner: Inner::Snapshot(self) }
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
        Self { inner: Inner::Live(req) }
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

    /// The first value of a header, if it is present and visible ASCII; the name is matched
    /// case-insensitively.
    pub fn header_str(&self, name: &str) -> Option<&'a str> {
        self.headers().get(name).and_then(|v| v.to_str().ok())
    }

    /// A cookie by name, parsed from the `Cookie` headers; malformed pairs are ignored.
    pub fn cookie(&self, name: &str) -> Option<Cookie<'a>> {
        self.headers()
            .get_all(header::COOKIE)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';').filter_map(|pair| Cookie::parse(pair.trim()).ok()))
            .find(|c| c.name() == name)
    }

    /// Scheme and host of the request as actix resolves them (for origin checks).
    pub fn connection_info(&self) -> ConnectionInfo {
        match self.inner {
            Inner::Live(r) => r.connection_info().clone(),
            Inner::Snapshot(s) => s.connection.clone(),
        }
    }

    /// The live request on async endpoints; `None` on the blocking pool.
    pub fn http(&self) -> Option<&'a HttpRequest> {
        match self.inner {
            Inner::Live(r) => Some(r),
            Inner::Snapshot(_) => None,
        }
    }
}
