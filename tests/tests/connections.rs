//! `RequestDeadline`: a client that leaves a body unfinished cannot keep its connection, over
//! raw TCP against a real server. An early answer (the auth chain's 401, a 404) to a chunked
//! body that never ends closes the connection at once; a body that drips is answered 408
//! within the deadline and the connection closed; a body read to its end keeps the connection
//! alive. The control: the same server without the middleware still holds the connection.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use dmr_runtime::RequestDeadline;
use dmr_runtime::backends::basic::{HttpBasic, constant_time_eq};
use dmr_runtime::prelude::*;
use dmr_tests::{TestServer, serve_with};
use serde_json::Value;

fn check(user: &str, pass: &str) -> bool {
    user == "ann" && constant_time_eq(pass, "pw")
}

/// `POST /guarded/` behind Basic, and `POST /open/` that reads its JSON body.
struct Routes;

#[controller(path = "")]
impl Routes {
    #[endpoint(post, path = "/guarded/", auth = [HttpBasic::new(check as fn(&str, &str) -> bool)])]
    async fn guarded(body: actix_web::web::Json<Value>) -> actix_web::web::Json<Value> {
        body
    }

    #[endpoint(post, path = "/open/", auth = none)]
    async fn open(body: actix_web::web::Json<Value>) -> actix_web::web::Json<Value> {
        body
    }
}

fn api() -> Api {
    Api::new()
        .controller::<Routes>()
        .build()
        .expect("api builds")
}

fn guarded_server() -> TestServer {
    serve_with(api(), || {
        actix_web::App::new().wrap(RequestDeadline::new(Duration::from_secs(1)))
    })
}

/// Sends `head` and `body_start` (the beginning of a chunked body that never ends), reads the
/// response head; then how the connection ended within `wait`: `Some(elapsed)` when the
/// server closed it, `None` when it was still open.
fn unfinished(
    addr: std::net::SocketAddr,
    head: &str,
    body_start: &str,
    wait: Duration,
) -> (String, Option<Duration>) {
    let mut tcp = TcpStream::connect(addr).expect("connect");
    tcp.write_all(head.as_bytes()).unwrap();
    tcp.write_all(body_start.as_bytes()).unwrap();
    let started = Instant::now();
    tcp.set_read_timeout(Some(wait)).unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tcp.read(&mut buf) {
            Ok(0) => {
                return (
                    String::from_utf8_lossy(&seen).into_owned(),
                    Some(started.elapsed()),
                );
            }
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&seen).into_owned(), None),
        }
    }
}

const CHUNKED: &str = "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n";

/// [`unfinished`] for a chunked JSON `POST path`, off the test's runtime.
async fn post_unfinished(
    srv: &TestServer,
    path: &str,
    body_start: &'static str,
    wait: Duration,
) -> (String, Option<Duration>) {
    let head = format!("POST {path} HTTP/1.1\r\nHost: t\r\n{CHUNKED}");
    let addr = srv.addr();
    actix_web::rt::task::spawn_blocking(move || unfinished(addr, &head, body_start, wait))
        .await
        .expect("the client thread ends")
}

#[actix_rt::test]
async fn an_early_401_to_an_unfinished_body_closes_the_connection() {
    let srv = guarded_server();
    let (seen, closed) =
        post_unfinished(&srv, "/guarded/", "5\r\n{\"a\":", Duration::from_secs(5)).await;
    assert!(seen.starts_with("HTTP/1.1 401"), "{seen}");
    assert!(
        seen.to_ascii_lowercase().contains("connection: close"),
        "{seen}"
    );
    let closed = closed.expect("the server closed the connection");
    assert!(closed < Duration::from_secs(2), "closed after {closed:?}");
}

#[actix_rt::test]
async fn a_404_to_an_unfinished_body_closes_the_connection() {
    let srv = guarded_server();
    let (seen, closed) =
        post_unfinished(&srv, "/nowhere/", "5\r\n{\"a\":", Duration::from_secs(5)).await;
    assert!(seen.starts_with("HTTP/1.1 404"), "{seen}");
    assert!(closed.is_some(), "still open: {seen}");
}

#[actix_rt::test]
async fn a_dripping_body_gets_408_within_the_deadline_and_the_connection_closes() {
    let srv = guarded_server();
    let (seen, closed) =
        post_unfinished(&srv, "/open/", "5\r\n{\"a\":", Duration::from_secs(5)).await;
    assert!(seen.starts_with("HTTP/1.1 408"), "{seen}");
    assert!(
        seen.ends_with(r#"{"detail":[{"msg":"Request took too long"}]}"#),
        "{seen}"
    );
    let closed = closed.expect("the server closed the connection");
    assert!(closed < Duration::from_secs(3), "closed after {closed:?}");
}

#[actix_rt::test]
async fn a_body_read_to_its_end_keeps_the_connection_alive() {
    let srv = guarded_server();
    // the whole body, then silence: the server answers and waits for the next request
    let (seen, closed) = post_unfinished(
        &srv,
        "/open/",
        "7\r\n{\"a\":1}\r\n0\r\n\r\n",
        Duration::from_millis(500),
    )
    .await;
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    assert!(
        !seen.to_ascii_lowercase().contains("connection: close"),
        "{seen}"
    );
    assert!(
        closed.is_none(),
        "the connection stays open for the next request"
    );
}

#[actix_rt::test]
async fn without_the_middleware_the_unfinished_body_holds_the_connection() {
    let srv = dmr_tests::serve(api());
    let (seen, closed) =
        post_unfinished(&srv, "/guarded/", "5\r\n{\"a\":", Duration::from_secs(3)).await;
    assert!(seen.starts_with("HTTP/1.1 401"), "{seen}");
    assert!(closed.is_none(), "actix closed it by itself: {seen}");
}
