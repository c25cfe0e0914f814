//! Shared harness of the behaviour tests: a real actix server on a loopback port, and a
//! client whose responses are read as a user would see them.

/// The README's Rust examples compile (doctests of this crate).
#[doc = include_str!("../../README.md")]
pub mod readme {}

use actix_web::App;
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use dmr_runtime::Api;

pub use actix_test::TestServer;

/// Starts a real HTTP server for `api` on 127.0.0.1 (a free port).
pub fn serve(api: Api) -> TestServer {
    actix_test::start(move || {
        let api = api.clone();
        App::new().configure(move |cfg| api.configure(cfg))
    })
}

/// Like [`serve`], on the app `app()` builds (with its middleware and app data): the routes
/// of `api` are mounted into it.
///
/// ```no_run
/// # fn demo(api: dmr_runtime::Api) {
/// use actix_web::App;
/// let srv = dmr_tests::serve_with(api, || App::new().wrap(actix_web::middleware::Logger::default()));
/// # }
/// ```
pub fn serve_with<F, T, B>(api: Api, app: F) -> TestServer
where
    F: Fn() -> App<T> + Clone + Send + 'static,
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
            InitError = (),
        > + 'static,
    B: actix_web::body::MessageBody + 'static,
{
    actix_test::start(move || {
        let api = api.clone();
        app().configure(move |cfg| api.configure(cfg))
    })
}

/// What a client saw.
#[derive(Debug)]
pub struct Seen {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (panics with the body when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Sends `method path` with `headers` and an optional body; reads the whole response.
pub async fn send(
    srv: &TestServer,
    method: &str,
    path: &str,
    headers: &[(&str, &[u8])],
    body: Option<&[u8]>,
) -> Seen {
    let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = srv.request(method, srv.url(path));
    for (name, value) in headers {
        let value = actix_web::http::header::HeaderValue::from_bytes(value).expect("header value");
        req = req.insert_header((*name, value));
    }
    let mut res = match body {
        Some(b) => req.send_body(b.to_vec()).await,
        None => req.send().await,
    }
    .expect("request failed");
    let body = res
        .body()
        .limit(16 * 1024 * 1024)
        .await
        .expect("body")
        .to_vec();
    let headers = res.headers().clone();
    Seen {
        status: res.status(),
        headers,
        body,
    }
}

/// `POST path` with `body` and, unless `None`, that `Content-Type` (no other header).
pub async fn post_as(srv: &TestServer, path: &str, content_type: Option<&str>, body: &str) -> Seen {
    let headers: Vec<(&str, &[u8])> = content_type
        .map(|c| ("Content-Type", c.as_bytes()))
        .into_iter()
        .collect();
    send(srv, "POST", path, &headers, Some(body.as_bytes())).await
}

/// `GET path` with headers.
pub async fn get(srv: &TestServer, path: &str, headers: &[(&str, &str)]) -> Seen {
    let h: Vec<(&str, &[u8])> = headers.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
    send(srv, "GET", path, &h, None).await
}

/// The reference's 401 body.
pub const NOT_AUTHENTICATED: &str = r#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#;

/// Writes `head` (request line and headers, ending in an empty line) and then `body` on a
/// plain TCP connection, and reads the response until the server closes it. A write the server
/// cut short is not an error: it may answer early (413) and close while the body is still
/// being sent, and what the client then sees is that answer. Returns the status, the response
/// head (lowercased) and the body.
pub fn early_answer(srv: &TestServer, head: &str, body: &[u8]) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(srv.addr()).expect("connect");
    conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .expect("read timeout");
    let _ = conn
        .write_all(head.as_bytes())
        .and_then(|()| conn.write_all(body));
    let mut raw = Vec::new();
    // the reset that may follow the answer ends the read, not the test
    let _ = conn.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_ascii_lowercase(), body.to_owned())
}
