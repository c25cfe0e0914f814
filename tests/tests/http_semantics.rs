//! HTTP semantics clients and browsers expect: `HEAD` wherever `GET` works, `OPTIONS` with
//! `Allow`, a JSON 404 for unknown paths, 308 to the route a path names but for its trailing
//! slash (when asked for), and `Accept` negotiation against what each endpoint produces.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

use actix_web::web::Json;
use actix_web::{App, HttpResponse, web};
use dmr_runtime::backends::basic::{HttpBasic, basic_auth};
use dmr_runtime::prelude::*;
use dmr_runtime::throttle::Throttle;
use dmr_tests::{NOT_AUTHENTICATED, TestServer, get, send, serve, serve_with};

const NOT_FOUND: &str = r#"{"detail":[{"msg":"Page not found","type":"not_found"}]}"#;

fn check(user: &str, pass: &str) -> bool {
    user == "admin" && pass == "pass"
}

struct Items;

#[controller(path = "/items", auth = none)]
impl Items {
    #[endpoint(get, path = "/")]
    async fn list() -> Json<Vec<&'static str>> {
        Json(vec!["a", "b"])
    }

    #[endpoint(post, path = "/")]
    async fn create() -> Json<&'static str> {
        Json("created")
    }

    #[endpoint(get, path = "/{id}")]
    async fn one(id: web::Path<u32>) -> String {
        format!("item {}", id.into_inner())
    }
}

struct Protected;

#[controller(path = "/protected", auth = [HttpBasic::new(check)])]
impl Protected {
    #[endpoint(get, path = "/json")]
    async fn json() -> Json<&'static str> {
        Json("secret")
    }

    #[endpoint(get, path = "/text")]
    async fn text() -> &'static str {
        "secret text"
    }
}

struct Limited;

#[controller(path = "/limited", auth = none, throttle = [Throttle::per_minute(1)])]
impl Limited {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "once"
    }
}

/// A route whose pattern would also match `//host/..`: the redirect must not lead there.
struct Anywhere;

#[controller(path = "", auth = none)]
impl Anywhere {
    #[endpoint(get, path = "/{site:.*}/go/")]
    async fn go(site: web::Path<String>) -> String {
        format!("went to {site}")
    }
}

/// Declares its own `HEAD` and `OPTIONS`: they are not replaced.
struct Own;

#[controller(path = "/own", auth = none)]
impl Own {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "body"
    }

    #[endpoint(head, path = "/")]
    async fn head() -> HttpResponse {
        HttpResponse::Ok().insert_header(("x-own", "head")).finish()
    }

    #[endpoint(options, path = "/")]
    async fn options() -> HttpResponse {
        HttpResponse::Ok()
            .insert_header(("x-own", "options"))
            .finish()
    }
}

fn api(redirect_slash: bool) -> Api {
    Api::new()
        .redirect_slash(redirect_slash)
        .docs("/docs")
        .controller::<Items>()
        .controller::<Protected>()
        .controller::<Limited>()
        .controller::<Anywhere>()
        .controller::<Own>()
        .build()
        .unwrap()
}

/// What a raw HTTP/1.1 exchange put on the wire: the head (status line and headers, lower
/// case) and every byte after it until the server closed the connection.
struct Wire {
    head: String,
    rest: Vec<u8>,
}

impl Wire {
    fn status(&self) -> u16 {
        self.head[9..12].parse().unwrap()
    }

    fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}: ");
        self.head.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with(&prefix)
                .then(|| &l[prefix.len()..])
        })
    }
}

/// Sends `method target` byte for byte (no client normalizes the target) and reads until
/// the server closes the connection.
fn exchange(addr: std::net::SocketAddr, method: &str, target: &[u8], headers: &[String]) -> Wire {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut req = format!("{method} ").into_bytes();
    req.extend_from_slice(target);
    req.extend_from_slice(b" HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n");
    for h in headers {
        req.extend_from_slice(h.as_bytes());
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"\r\n");
    stream.write_all(&req).unwrap();
    let mut all = Vec::new();
    stream.read_to_end(&mut all).unwrap();
    let end = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    Wire {
        head: String::from_utf8(all[..end].to_vec()).unwrap(),
        rest: all[end + 4..].to_vec(),
    }
}

/// [`exchange`] off the test's thread (the server runs on it).
async fn wire(srv: &TestServer, method: &str, target: &[u8], headers: &[&str]) -> Wire {
    let addr = srv.addr();
    let (method, target) = (method.to_owned(), target.to_vec());
    let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    web::block(move || exchange(addr, &method, &target, &headers))
        .await
        .unwrap()
}

#[actix_rt::test]
async fn head_answers_the_headers_of_get_without_a_body() {
    let srv = serve(api(false));
    for (path, accept) in [
        ("/items/", "application/json"),
        ("/items/7", "text/plain"),
        ("/docs/", "text/html"),
        ("/docs/openapi.json", "application/json"),
    ] {
        let target = path.as_bytes();
        let accept = format!("accept: {accept}");
        let get = wire(&srv, "GET", target, &[&accept]).await;
        let head = wire(&srv, "HEAD", target, &[&accept]).await;
        assert_eq!(get.status(), 200, "GET {path}");
        assert_eq!(head.status(), 200, "HEAD {path}");
        assert!(!get.rest.is_empty(), "GET {path} has a body");
        assert_eq!(head.rest, b"", "HEAD {path} sends no body");
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "{path}"
        );
        let len = get.rest.len().to_string();
        assert_eq!(get.header("content-length"), Some(len.as_str()), "{path}");
        assert_eq!(head.header("content-length"), Some(len.as_str()), "{path}");
    }
}

#[actix_rt::test]
async fn head_runs_auth_negotiation_and_throttles_as_get_does() {
    let srv = serve(api(false));
    // no credentials: the 401 of GET, without its body
    let get = wire(&srv, "GET", b"/protected/json", &[]).await;
    let head = wire(&srv, "HEAD", b"/protected/json", &[]).await;
    assert_eq!((get.status(), head.status()), (401, 401));
    assert_eq!(get.rest, NOT_AUTHENTICATED.as_bytes());
    assert_eq!(head.rest, b"");
    assert_eq!(
        head.header("www-authenticate"),
        Some(r#"Basic realm="api""#)
    );
    assert_eq!(
        head.header("content-length"),
        Some(NOT_AUTHENTICATED.len().to_string().as_str())
    );
    // with credentials: in
    let auth = format!("authorization: {}", basic_auth("admin", "pass"));
    let head = wire(&srv, "HEAD", b"/protected/json", &[&auth]).await;
    assert_eq!((head.status(), head.rest.len()), (200, 0));
    // an `Accept` the endpoint cannot satisfy: 406 before auth, as for GET
    let head = wire(&srv, "HEAD", b"/protected/json", &["accept: text/html"]).await;
    assert_eq!((head.status(), head.rest.len()), (406, 0));
    // one request a minute: the GET spends it, the HEAD after it is refused
    assert_eq!(wire(&srv, "GET", b"/limited/", &[]).await.status(), 200);
    let head = wire(&srv, "HEAD", b"/limited/", &[]).await;
    assert_eq!((head.status(), head.rest.len()), (429, 0));
}

#[actix_rt::test]
async fn options_answers_204_with_allow_and_other_methods_405() {
    let srv = serve(api(false));
    let seen = send(&srv, "OPTIONS", "/items/", &[], None).await;
    assert_eq!(seen.status, 204);
    assert_eq!(seen.header("allow"), Some("GET, HEAD, POST, OPTIONS"));
    assert_eq!(seen.body, b"");
    let seen = send(&srv, "OPTIONS", "/docs/openapi.json", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.header("allow")),
        (204, Some("GET, HEAD, OPTIONS"))
    );
    let seen = send(&srv, "DELETE", "/items/", &[], None).await;
    assert_eq!(seen.status, 405);
    assert_eq!(seen.header("allow"), Some("GET, HEAD, POST, OPTIONS"));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        seen.text(),
        r#"{"detail":[{"msg":"Method 'DELETE' is not allowed, allowed: ['GET', 'HEAD', 'POST', 'OPTIONS']","type":"not_allowed"}]}"#
    );
}

#[actix_rt::test]
async fn declared_head_and_options_endpoints_are_kept() {
    let srv = serve(api(false));
    let head = wire(&srv, "HEAD", b"/own/", &[]).await;
    assert_eq!((head.status(), head.header("x-own")), (200, Some("head")));
    let seen = send(&srv, "OPTIONS", "/own/", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.header("x-own")),
        (200, Some("options"))
    );
    let seen = send(&srv, "PUT", "/own/", &[], None).await;
    assert_eq!(seen.status, 405);
    assert_eq!(seen.header("allow"), Some("GET, HEAD, OPTIONS"));
}

#[actix_rt::test]
async fn openapi_documents_no_head_or_options() {
    let api = api(false);
    let doc: serde_json::Value = serde_json::from_str(api.openapi_json()).unwrap();
    let methods: Vec<&str> = doc["paths"]["/items/"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(methods, ["get", "post"]);
    // only the endpoint that declares them documents them
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let ops: Vec<&String> = ops.as_object().unwrap().keys().collect();
        if path == "/own/" {
            assert_eq!(ops, ["get", "head", "options"]);
        } else {
            assert!(
                ops.iter().all(|m| *m != "head" && *m != "options"),
                "{path}"
            );
        }
    }
}

#[actix_rt::test]
async fn unknown_paths_are_a_json_404() {
    let srv = serve(api(false));
    for (method, path) in [
        ("GET", "/nowhere"),
        ("POST", "/items/7/more"),
        ("GET", "/docs/no-such-file.js"),
        // off by default: no redirect for the missing slash
        ("GET", "/items"),
    ] {
        let seen = send(&srv, method, path, &[], None).await;
        assert_eq!(seen.status, 404, "{method} {path}");
        assert_eq!(seen.header("content-type"), Some("application/json"));
        assert_eq!(seen.header("location"), None);
        assert_eq!(seen.text(), NOT_FOUND, "{method} {path}");
    }
    let head = wire(&srv, "HEAD", b"/nowhere", &[]).await;
    assert_eq!((head.status(), head.rest.len()), (404, 0));
}

#[actix_rt::test]
async fn hostile_paths_get_the_same_404() {
    let srv = serve(api(true));
    let long = format!("/{}", "a/".repeat(4000));
    let targets: [&[u8]; 5] = [
        long.as_bytes(),
        b"/%FF%FE%00/x",
        b"/nope/%C0%AF",
        b"/%2e%2e/%2e%2e/etc/passwd",
        b"/items/7/%FF",
    ];
    for target in targets {
        let seen = wire(&srv, "GET", target, &[]).await;
        assert_eq!(seen.status(), 404, "{}", String::from_utf8_lossy(target));
        assert_eq!(seen.rest, NOT_FOUND.as_bytes());
    }
}

#[actix_rt::test]
async fn a_missing_or_extra_trailing_slash_redirects_when_asked_for() {
    let srv = serve(api(true));
    // (a raw exchange: the test client would follow the redirect)
    let seen = wire(&srv, "GET", b"/items", &[]).await;
    assert_eq!(seen.status(), 308);
    assert_eq!(seen.header("location"), Some("/items/"));
    assert_eq!(seen.rest, b"");
    // the method and the query string are kept
    let seen = wire(
        &srv,
        "POST",
        b"/items?page=2&q=a%20b",
        &["content-length: 0"],
    )
    .await;
    assert_eq!(seen.status(), 308);
    assert_eq!(seen.header("location"), Some("/items/?page=2&q=a%20b"));
    // and the other way round
    let seen = wire(&srv, "GET", b"/items/7/", &[]).await;
    assert_eq!(
        (seen.status(), seen.header("location")),
        (308, Some("/items/7"))
    );
    // a client that follows it lands on the route
    let seen = get(&srv, "/items?page=2", &[]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, r#"["a","b"]"#.to_owned())
    );
    // nothing to redirect to: the 404
    let seen = wire(&srv, "GET", b"/nowhere/", &[]).await;
    assert_eq!((seen.status(), seen.header("location")), (404, None));
    assert_eq!(seen.rest, NOT_FOUND.as_bytes());
}

#[actix_rt::test]
async fn the_redirect_never_leads_off_the_site() {
    let srv = serve(api(true));
    // a route of this site matches `/example.com/go/`: redirected
    let seen = wire(&srv, "GET", b"/example.com/go", &[]).await;
    assert_eq!(
        (seen.status(), seen.header("location")),
        (308, Some("/example.com/go/"))
    );
    // it also matches `//evil.com/go/`, which a browser reads as another host: refused
    for target in [&b"//evil.com/go"[..], b"/\\evil.com/go", b"///evil.com/go"] {
        let seen = wire(&srv, "GET", target, &[]).await;
        assert_eq!(seen.status(), 404, "{}", String::from_utf8_lossy(target));
        assert_eq!(seen.header("location"), None);
        assert_eq!(seen.rest, NOT_FOUND.as_bytes());
    }
}

#[actix_rt::test]
async fn other_routes_of_the_app_are_not_affected() {
    let srv = serve_with(api(true), || {
        App::new().route(
            "/mine",
            web::get().to(|| async { HttpResponse::Ok().body("mine") }),
        )
    });
    let seen = get(&srv, "/mine", &[]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "mine".to_owned())
    );
    assert_eq!(get(&srv, "/nowhere", &[]).await.text(), NOT_FOUND);
    // an app that keeps its own default service
    let api = Api::new()
        .keep_default_service()
        .controller::<Items>()
        .build()
        .unwrap();
    let srv = serve_with(api, || {
        App::new().default_service(web::to(|| async { HttpResponse::Gone().body("mine") }))
    });
    let seen = get(&srv, "/nowhere", &[]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (410, "mine".to_owned())
    );
    assert_eq!(get(&srv, "/items/", &[]).await.status, 200);
}

#[actix_rt::test]
async fn negotiation_uses_what_the_endpoint_produces() {
    let srv = serve(api(false));
    let auth = basic_auth("admin", "pass");
    let with = |accept: &'static str| [("Accept", accept), ("Authorization", auth.as_str())];
    let seen = get(&srv, "/protected/text", &with("text/plain")).await;
    assert_eq!(seen.status, 200);
    assert_eq!(
        seen.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(
        get(&srv, "/protected/text", &with("text/*")).await.status,
        200
    );
    let seen = get(&srv, "/protected/text", &with("application/json")).await;
    assert_eq!(seen.status, 406);
    assert_eq!(
        seen.text(),
        r#"{"detail":[{"msg":"Cannot serialize response body with accepted types ['application/json'], supported=['text/plain']","type":"value_error"}]}"#
    );
    let seen = get(&srv, "/protected/json", &with("text/plain")).await;
    assert_eq!(seen.status, 406);
    assert_eq!(
        seen.text(),
        r#"{"detail":[{"msg":"Cannot serialize response body with accepted types ['text/plain'], supported=['application/json']","type":"value_error"}]}"#
    );
    // 406 before auth: no credentials, still 406
    let seen = get(&srv, "/protected/text", &[("Accept", "application/json")]).await;
    assert_eq!(seen.status, 406);
    // without credentials and with an acceptable type: auth answers (JSON, whatever `Accept`)
    let seen = get(&srv, "/protected/text", &[("Accept", "text/plain")]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
    // the document says the same media types
    let doc: serde_json::Value = serde_json::from_str(api(false).openapi_json()).unwrap();
    let content = &doc["paths"]["/protected/text"]["get"]["responses"]["200"]["content"];
    assert_eq!(
        content.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["text/plain"]
    );
}

struct Root;

#[controller(path = "", auth = none)]
impl Root {
    #[endpoint(get, path = "")]
    async fn index() -> &'static str {
        "root"
    }
}

#[actix_rt::test]
async fn routes_work_inside_an_actix_scope() {
    // each path is one actix service: inside a scope it matches under the scope's prefix, and
    // an empty path is the scope's own root, as with actix's resources
    let api = Api::new()
        .keep_default_service()
        .controller::<Items>()
        .controller::<Root>()
        .build()
        .unwrap();
    let srv = actix_test::start(move || {
        let api = api.clone();
        App::new().service(web::scope("/v1").configure(|cfg| api.configure(cfg)))
    });
    let seen = get(&srv, "/v1/items/7", &[]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "item 7".to_owned())
    );
    assert_eq!(get(&srv, "/v1", &[]).await.text(), "root");
    let head = wire(&srv, "HEAD", b"/v1/items/", &[]).await;
    assert_eq!((head.status(), head.rest.len()), (200, 0));
    let seen = send(&srv, "PATCH", "/v1/items/", &[], None).await;
    assert_eq!(seen.status, 405);
    assert_eq!(seen.header("allow"), Some("GET, HEAD, POST, OPTIONS"));
    assert_eq!(get(&srv, "/items/", &[]).await.status, 404);
}
