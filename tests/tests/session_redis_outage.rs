//! A Redis outage through a real server: the test starts its own `redis-server` on a spare
//! port, stops it, freezes it and starts it again. While Redis is away, requests that need
//! the session are answered 503 at once (never a hang, never a 500); within seconds of Redis
//! coming back they succeed again, without a restart of the server.
//!
//! Without `redis-server` on the `PATH` the test prints why and passes, unless
//! `DMR_REQUIRE_REDIS=1` (CI), where it fails.

mod session_support;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use actix_web::cookie::Key;
use dmr_runtime::backends::session::{RedisSessionStore, SessionConfig};
use dmr_tests::{NOT_AUTHENTICATED, Seen, TestServer, serve_with};
use session_support::*;

const UNAVAILABLE: &str = r#"{"detail":[{"msg":"Session store unavailable: retry later"}]}"#;

/// A `redis-server` of this test's own; killed when dropped.
struct OwnRedis {
    port: u16,
    child: Child,
}

impl OwnRedis {
    fn start(port: u16) -> Option<Self> {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        // within 15 s: a loaded CI machine starts processes slowly
        let end = Instant::now() + Duration::from_secs(15);
        let mut own = Self { port, child };
        while Instant::now() < end {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_ok() {
                return Some(own);
            }
            if own.child.try_wait().ok().flatten().is_some() {
                // it exited (the port was taken): dropping `own` reaps it
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("redis-server on port {port} did not accept connections");
        None
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "kill {sig}");
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spare_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a spare port")
}

/// A Redis of our own, or `None` (skip) when `redis-server` cannot run here.
fn own_redis_or_skip(test: &str) -> Option<OwnRedis> {
    // up to three ports: another process may take one between our probe and redis-server's bind
    if let Some(r) = (0..3).find_map(|_| OwnRedis::start(spare_port())) {
        return Some(r);
    }
    dmr_runtime::testing::unavailable(test, "`redis-server` did not start", "DMR_REQUIRE_REDIS");
    None
}

fn instance(cfg: &SessionConfig, store: &RedisSessionStore) -> TestServer {
    let (cfg, store, key) = (cfg.clone(), store.clone(), Key::generate());
    serve_with(api(&cfg), move || {
        actix_web::App::new()
            .wrap(cfg.middleware(store.clone(), key.clone()))
            .app_data(cfg.app_data())
    })
}

fn assert_unavailable(seen: &Seen, what: &str) {
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (503, UNAVAILABLE.to_owned()),
        "{what}"
    );
    assert_eq!(seen.header("retry-after"), Some("1"), "{what}");
    assert_eq!(seen.header("content-type"), Some("application/json"));
}

/// Retries `GET /p/` with `jar` until it is not 503; panics after `limit`.
async fn until_served(srv: &TestServer, jar: &Jar, limit: Duration) -> Seen {
    let end = Instant::now() + limit;
    loop {
        let seen = call(srv, &mut jar.clone(), "GET", "/p/", &[], None).await;
        if seen.status != 503 || Instant::now() > end {
            return seen;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

#[actix_rt::test]
async fn requests_fail_fast_while_redis_is_down_and_recover_without_restart() {
    let Some(redis) = own_redis_or_skip("requests_fail_fast_while_redis_is_down") else {
        return;
    };
    let port = redis.port;
    let store = RedisSessionStore::builder(format!("redis://127.0.0.1:{port}"))
        .timeout(Duration::from_millis(300))
        .connect_timeout(Duration::from_millis(300))
        .reconnect_interval(Duration::from_millis(200))
        .build()
        .await
        .expect("a valid URL");
    let cfg = config(users());
    let srv = instance(&cfg, &store);
    let jar = logged_in(&srv, "admin").await;
    assert_eq!(
        call(&srv, &mut jar.clone(), "GET", "/p/", &[], None)
            .await
            .text(),
        "session:admin"
    );

    // stopped: refused connections, every request with a session answers 503 at once
    redis.stop();
    for _ in 0..5 {
        let seen = call(&srv, &mut jar.clone(), "GET", "/p/", &[], None).await;
        assert_unavailable(&seen, "GET with a session, Redis stopped");
    }
    let seen = login(&srv, &mut Jar::default(), "admin", PASS).await;
    assert_unavailable(&seen, "login, Redis stopped");
    assert!(set_cookies(&seen).is_empty(), "{:?}", seen.headers);
    // requests without a session do not touch the store
    let seen = call(&srv, &mut Jar::default(), "GET", "/p/", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );

    // back (empty: nothing was persisted): served again within seconds, same server
    let redis = OwnRedis::start(port).expect("redis restarts on its port");
    let seen = until_served(&srv, &jar, Duration::from_secs(5)).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned()),
        "the old session is gone with the data"
    );
    let mut jar = logged_in(&srv, "admin").await;
    assert_eq!(
        call(&srv, &mut jar, "GET", "/p/", &[], None).await.text(),
        "session:admin"
    );

    // frozen (accepts connections, never answers): the timeouts answer 503, never a hang
    redis.signal("-STOP");
    for _ in 0..3 {
        let seen = call(&srv, &mut jar.clone(), "GET", "/p/", &[], None).await;
        assert_unavailable(&seen, "GET with a session, Redis frozen");
    }
    redis.signal("-CONT");
    let seen = until_served(&srv, &jar, Duration::from_secs(5)).await;
    assert_eq!(
        seen.text(),
        "session:admin",
        "the session survived the freeze"
    );
    redis.stop();
}
