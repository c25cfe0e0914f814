//! The login's credential body and password gate through a real server: bodies over the
//! limit are 413 before they are read, slow bodies 408, a full gate 503 with `Retry-After`.

mod session_support;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use actix_web::cookie::Key;
use dmr_runtime::backends::credentials::{CredentialBodyConfig, PasswordGate};
use dmr_runtime::backends::session::{CookieSessionStore, SessionConfig};
use dmr_runtime::backends::users::{MemoryUsers, StoredUser, UserStore, UserStoreError};
use dmr_tests::{NOT_AUTHENTICATED, TestServer, send, serve_with};
use session_support::*;

const BUSY: &str = r#"{"detail":[{"msg":"Too many logins at once: retry later"}]}"#;

/// A server whose app carries `limits` for credential bodies.
fn server_with_limits(cfg: &SessionConfig, limits: CredentialBodyConfig) -> TestServer {
    let cfg = cfg.clone();
    let key = Key::generate();
    serve_with(api(&cfg), move || {
        actix_web::App::new()
            .wrap(cfg.middleware(CookieSessionStore::default(), key.clone()))
            .app_data(cfg.app_data())
            .app_data(limits)
    })
}

async fn post_login(srv: &TestServer, body: &[u8]) -> dmr_tests::Seen {
    send(
        srv,
        "POST",
        "/auth/login/",
        &[("content-type", b"application/json")],
        Some(body),
    )
    .await
}

#[actix_rt::test]
async fn bodies_over_the_limit_are_413_and_never_parsed() {
    let srv = server(&config(users()));
    // the issue's amplification pad: a 2 MB array of zeros
    let mut pad = br#"{"username":"admin","password":"pass","pad":["#.to_vec();
    pad.extend(std::iter::repeat_n(b"0,".as_slice(), 1024 * 1024).flatten());
    pad.extend(b"0]}");
    // the server answers before the pad is sent and closes: a raw connection reads that answer
    // whatever the timing (a client that stops at the cut-short write would not)
    let head = format!(
        "POST /auth/login/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        pad.len()
    );
    let (status, response_head, text) = dmr_tests::early_answer(&srv, &head, &pad);
    assert_eq!(status, 413);
    assert_eq!(
        text,
        r#"{"detail":[{"msg":"Request body is too large: at most 8192 bytes","loc":["parsed_body"],"type":"value_error"}]}"#
    );
    assert!(!response_head.contains("set-cookie"), "{response_head}");
    // just over the limit, and just under it
    let body = |len: usize| {
        let head = r#"{"username":"admin","password":"pass","x":""#;
        let mut b = head.as_bytes().to_vec();
        b.resize(len - 2, b'x');
        b.extend(b"\"}");
        b
    };
    assert_eq!(post_login(&srv, &body(8193)).await.status, 413);
    let seen = post_login(&srv, &body(8192)).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
}

#[actix_rt::test]
async fn the_limit_and_the_read_timeout_are_configurable() {
    let limits = CredentialBodyConfig::new()
        .limit(64)
        .timeout(Duration::from_millis(300));
    let srv = server_with_limits(&config(users()), limits);
    let seen = post_login(&srv, br#"{"username":"admin","password":"pass"}"#).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let seen = post_login(
        &srv,
        br#"{"username":"admin","password":"pass","padding":"...................."}"#,
    )
    .await;
    assert_eq!(seen.status, 413);
    assert!(seen.text().contains("at most 64 bytes"), "{}", seen.text());

    // a client that sends part of the body and stalls: 408, and the connection is closed
    let addr = srv.addr();
    let answer = actix_web::web::block(move || {
        let mut tcp = TcpStream::connect(addr).expect("connect");
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let head = "POST /auth/login/ HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{\"user";
        tcp.write_all(head.as_bytes()).unwrap();
        let mut out = Vec::new();
        let _ = tcp.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.ends_with(
            r#"{"detail":[{"msg":"Request body took too long to arrive","loc":["parsed_body"],"type":"value_error"}]}"#
        ),
        "{answer}"
    );
}

#[actix_rt::test]
async fn malformed_bodies_are_400_with_fixed_messages() {
    let srv = server(&config(users()));
    let body = &["parsed_body"][..];
    let cases: [(&[u8], &str, &[&str]); 5] = [
        (b"918273645", "Input should be a valid dictionary", body),
        (b"[1,2]", "Input should be a valid dictionary", body),
        // no `loc` for a body that is not JSON, as the reference
        (b"{\"username\":", "JSON decode error", &[]),
        (
            br#"{"username":{"a":[1,2,3]},"password":"pass"}"#,
            "Input should be a valid string",
            &["parsed_body", "username"],
        ),
        (
            br#"{"password":"pass"}"#,
            "Field required",
            &["parsed_body", "username"],
        ),
    ];
    for (body, msg, loc) in cases {
        let seen = post_login(&srv, body).await;
        assert_eq!(seen.status, 400, "{}", String::from_utf8_lossy(body));
        let expected = if loc.is_empty() {
            serde_json::json!({"detail":[{"msg": msg, "type": "value_error"}]})
        } else {
            serde_json::json!({"detail":[{"msg": msg, "loc": loc, "type": "value_error"}]})
        };
        assert_eq!(seen.json(), expected);
    }
    // extra fields are ignored
    let seen = post_login(
        &srv,
        br#"{"username":"admin","password":"pass","extra":[1]}"#,
    )
    .await;
    assert_eq!(seen.status, 200);
}

/// A store whose password checks block until the test opens the gate.
#[derive(Clone)]
struct Held {
    users: MemoryUsers,
    /// (checks started, open)
    state: Arc<(Mutex<(usize, bool)>, Condvar)>,
}

impl Held {
    fn new() -> Self {
        Self {
            users: users(),
            state: Arc::new((Mutex::new((0, false)), Condvar::new())),
        }
    }

    /// Waits until `n` checks have started.
    fn wait_started(&self, n: usize) {
        let (lock, cv) = &*self.state;
        let guard = lock.lock().unwrap();
        let _g = cv
            .wait_timeout_while(guard, Duration::from_secs(20), |s| s.0 < n)
            .unwrap();
    }

    fn open(&self) {
        let (lock, cv) = &*self.state;
        lock.lock().unwrap().1 = true;
        cv.notify_all();
    }
}

impl UserStore for Held {
    fn find_by_username(&self, username: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.users.find_by_username(username)
    }
    fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.users.find_by_id(id)
    }
    fn verify_password(&self, user: &StoredUser, password: &str) -> bool {
        let (lock, cv) = &*self.state;
        let mut s = lock.lock().unwrap();
        s.0 += 1;
        cv.notify_all();
        drop(cv.wait_while(s, |s| !s.1).unwrap());
        self.users.verify_password(user, password)
    }
}

#[actix_rt::test]
async fn a_full_gate_answers_503_with_retry_after() {
    let held = Held::new();
    let gate = PasswordGate::new(1).max_waiting(0);
    let srv = server(
        &SessionConfig::new(held.clone())
            .secure(false)
            .password_gate(gate),
    );
    let first = async { login(&srv, &mut Jar::default(), "admin", PASS).await };
    let others = async {
        let h = held.clone();
        actix_web::web::block(move || h.wait_started(1))
            .await
            .unwrap();
        // the only slot is taken and nobody may wait: refused at once, without a check
        let seen = login(&srv, &mut Jar::default(), "admin", PASS).await;
        held.open();
        seen
    };
    let (first, busy) = futures_util::future::join(first, others).await;
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!((busy.status.as_u16(), busy.text()), (503, BUSY.to_owned()));
    assert_eq!(busy.header("retry-after"), Some("1"));
    assert_eq!(busy.header("content-type"), Some("application/json"));
    assert!(set_cookies(&busy).is_empty());
    // the gate is free again
    let seen = login(&srv, &mut Jar::default(), "admin", "wrong").await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
}

#[actix_rt::test]
async fn waiting_for_a_slot_is_bounded_in_time() {
    let held = Held::new();
    let gate = PasswordGate::new(1)
        .max_waiting(8)
        .max_wait(Duration::from_millis(200));
    let srv = server(
        &SessionConfig::new(held.clone())
            .secure(false)
            .password_gate(gate),
    );
    let first = async { login(&srv, &mut Jar::default(), "admin", PASS).await };
    let others = async {
        let h = held.clone();
        actix_web::web::block(move || h.wait_started(1))
            .await
            .unwrap();
        // two wait for the slot the held check keeps; both give up after the wait
        let (mut ja, mut jb) = (Jar::default(), Jar::default());
        let a = login(&srv, &mut ja, "admin", PASS);
        let b = login(&srv, &mut jb, "bob", PASS);
        let (a, b) = futures_util::future::join(a, b).await;
        held.open();
        (a, b)
    };
    let (first, (a, b)) = futures_util::future::join(first, others).await;
    assert_eq!(first.status, 200);
    for seen in [a, b] {
        assert_eq!((seen.status.as_u16(), seen.text()), (503, BUSY.to_owned()));
        assert_eq!(seen.header("retry-after"), Some("1"));
    }
    let (lock, _) = &*held.state;
    assert_eq!(lock.lock().unwrap().0, 1, "the refused logins ran no check");
}
