//! Throttles on Redis: two servers sharing the real Redis at 127.0.0.1:6379 enforce one limit
//! (both algorithms); a Redis of our own on a spare port, stopped mid-test, gives the
//! configured outage behaviour (503 or pass, never a 500) and service resumes when it is back.
//!
//! Without Redis these tests print why and pass, unless `DMR_REQUIRE_REDIS=1` (CI). Keys get a
//! prefix unique to the test run; nothing else in Redis is touched.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use actix_web::http::StatusCode;
use dmr_runtime::prelude::*;
use dmr_runtime::throttle::{Outage, RedisStore, Throttle};
use dmr_tests::{TestServer, get, serve};

const REDIS: &str = "127.0.0.1:6379";
const TOO_MANY: &str = r#"{"detail":[{"msg":"Too many requests","type":"ratelimit"}]}"#;

fn listening(addr: &str) -> bool {
    let addr: SocketAddr = addr.parse().expect("address");
    TcpStream::connect_timeout(&addr, Duration::from_millis(300)).is_ok()
}

fn redis_or_skip(test: &str) -> bool {
    if listening(REDIS) {
        return true;
    }
    dmr_runtime::testing::unavailable(test, &format!("no Redis on {REDIS}"), "DMR_REQUIRE_REDIS");
    false
}

fn unique_prefix(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("dmr-test:{test}:{}:{nanos}:", std::process::id())
}

/// The limits of [`Shared`], read from application state.
struct Limits {
    store: RedisStore,
}

struct Shared;

#[controller(path = "/shared", auth = none)]
impl Shared {
    #[endpoint(get, path = "/fixed", throttle = [|l: &Limits| Throttle::per_minute(3).store(l.store.clone())])]
    async fn fixed() -> &'static str {
        "ok"
    }

    #[endpoint(get, path = "/smooth", throttle = [|l: &Limits| Throttle::per_minute(3).smooth().store(l.store.clone())])]
    async fn smooth() -> &'static str {
        "ok"
    }
}

fn server(store: &RedisStore) -> TestServer {
    let api = Api::new()
        .state(Limits {
            store: store.clone(),
        })
        .controller::<Shared>()
        .build()
        .unwrap();
    serve(api)
}

#[actix_rt::test]
async fn two_servers_sharing_redis_enforce_one_limit() {
    if !redis_or_skip("two_servers_sharing_redis_enforce_one_limit") {
        return;
    }
    let store = RedisStore::new(&format!("redis://{REDIS}"))
        .unwrap()
        .prefix(unique_prefix("shared"));
    let (a, b) = (server(&store), server(&store));
    for path in ["/shared/fixed", "/shared/smooth"] {
        let seen = [
            get(&a, path, &[]).await,
            get(&b, path, &[]).await,
            get(&a, path, &[]).await,
            get(&b, path, &[]).await,
            get(&a, path, &[]).await,
        ];
        let statuses: Vec<u16> = seen.iter().map(|s| s.status.as_u16()).collect();
        assert_eq!(statuses, [200, 200, 200, 429, 429], "{path}");
        assert_eq!(seen[3].text(), TOO_MANY);
        assert_eq!(seen[3].header("x-ratelimit-limit"), Some("3"));
        assert_eq!(seen[3].header("x-ratelimit-remaining"), Some("0"));
        let retry: u64 = seen[3].header("retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry), "{path}: {retry}");
    }
}

/// A `redis-server` of this test's own, on a free port, without persistence.
struct OwnRedis {
    port: u16,
    child: Option<Child>,
}

impl OwnRedis {
    /// A redis-server on a free port: up to three ports are tried (another process may take a
    /// port between our probe and redis-server's bind).
    fn start_on_free_port() -> Option<Self> {
        (0..3).find_map(|_| Self::start(free_port()))
    }

    /// A redis-server on `port`, once it accepts connections (within 15 s: a loaded CI
    /// machine starts processes slowly); why not, on stderr, when it does not.
    fn start(port: u16) -> Option<Self> {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                // what goes to the pipe is read only when it fails: warnings only
                "--loglevel",
                "warning",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let child = match child {
            Ok(child) => child,
            Err(e) => {
                eprintln!("redis-server on port {port} could not be spawned: {e}");
                return None;
            }
        };
        let mut own = Self {
            port,
            child: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while !listening(&own.addr()) {
            let exited = own.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
            if exited.is_some() || Instant::now() > deadline {
                let log = own.child.take().map(|mut child| {
                    let _ = child.kill();
                    child
                        .wait_with_output()
                        .map(|o| o.stdout)
                        .unwrap_or_default()
                });
                let log = String::from_utf8_lossy(log.as_deref().unwrap_or_default()).into_owned();
                eprintln!(
                    "redis-server on port {port} did not accept connections ({}): {}",
                    exited.map_or("15 s passed".to_owned(), |s| s.to_string()),
                    log.trim()
                );
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(own)
    }

    fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Outages {
    store: RedisStore,
}

struct Fragile;

#[controller(path = "/fragile", auth = none)]
impl Fragile {
    #[endpoint(get, path = "/closed", throttle = [|o: &Outages| Throttle::per_minute(100).store(o.store.clone())])]
    async fn closed() -> &'static str {
        "ok"
    }

    #[endpoint(get, path = "/open", throttle = [|o: &Outages| {
        Throttle::per_minute(100).store(o.store.clone()).on_outage(Outage::FailOpen)
    }])]
    async fn open() -> &'static str {
        "ok"
    }
}

#[actix_rt::test]
async fn a_redis_outage_fails_as_configured_and_service_resumes() {
    let Some(mut redis) = OwnRedis::start_on_free_port() else {
        dmr_runtime::testing::unavailable(
            "a_redis_outage_fails_as_configured_and_service_resumes",
            "redis-server could not be started",
            "DMR_REQUIRE_REDIS",
        );
        return;
    };
    let store = RedisStore::new(&format!("redis://{}", redis.addr()))
        .unwrap()
        .timeout(Duration::from_millis(300));
    let api = Api::new()
        .state(Outages { store })
        .controller::<Fragile>()
        .build()
        .unwrap();
    let srv = serve(api);
    assert_eq!(
        get(&srv, "/fragile/closed", &[]).await.status,
        StatusCode::OK
    );
    assert_eq!(get(&srv, "/fragile/open", &[]).await.status, StatusCode::OK);

    redis.stop();
    for _ in 0..3 {
        let closed = get(&srv, "/fragile/closed", &[]).await;
        assert_eq!(closed.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            closed.text(),
            r#"{"detail":[{"msg":"Rate limit unavailable","type":"ratelimit"}]}"#
        );
        assert_eq!(closed.header("retry-after"), Some("1"));
        let open = get(&srv, "/fragile/open", &[]).await;
        assert_eq!(open.status, StatusCode::OK);
    }

    let _redis = OwnRedis::start(redis.port).expect("redis-server restarts on its port");
    // the connection comes back by itself; allow it a few attempts
    let mut status = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..50 {
        status = get(&srv, "/fragile/closed", &[]).await.status;
        if status == StatusCode::OK {
            break;
        }
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, StatusCode::OK);
}
