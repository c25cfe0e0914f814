//! Shared by the JWT lifecycle tests: the secret, token minting, the real Redis at
//! 127.0.0.1:6379 (skip rule as in `session_redis.rs`) and a Redis server of a test's own.

#![allow(dead_code)] // each test file uses a part

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dmr_runtime::backends::jwt::JwtToken;
use dmr_runtime::prelude::*;
use dmr_tests::{TestServer, get};

pub const SECRET: &str = "lifecycle-secret-0123456789abcdef0123456";
pub const REDIS: &str = "127.0.0.1:6379";

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A key prefix unique to this process and test.
pub fn prefix(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("dmr-test:{test}:{}:{nanos}:", std::process::id())
}

/// An HS256 access token for `sub` with `jti`, valid for five minutes.
pub fn access(sub: &str, jti: &str) -> String {
    JwtToken::new(sub, Duration::from_secs(300))
        .with_jti(jti)
        .with_type("access")
        .encode_hs256(SECRET)
        .unwrap()
}

/// Signs with [`SECRET`]; `sign_at_any_time` mints the expired tokens the tests need.
pub fn minter() -> dmr_runtime::testing::JwtMinter {
    dmr_runtime::testing::JwtMinter::hs256(SECRET).unwrap()
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// `GET /me/`: the subject of the JWT the chain accepted.
pub struct Me;

#[controller(path = "/me")]
impl Me {
    #[endpoint(get, path = "/")]
    async fn me(token: Authed<JwtToken>) -> String {
        token.sub.clone()
    }
}

/// `GET /me/` with `Authorization: Bearer <token>`: the status and the body.
pub async fn me(srv: &TestServer, token: &str) -> (u16, String) {
    let seen = get(srv, "/me/", &[("Authorization", &bearer(token))]).await;
    (seen.status.as_u16(), seen.text())
}

/// Whether to run: Redis answers, or it does not and `DMR_REQUIRE_REDIS` is unset (skip).
pub fn redis_or_skip(test: &str) -> bool {
    let addr: SocketAddr = REDIS.parse().expect("address");
    if TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok() {
        return true;
    }
    dmr_runtime::testing::unavailable(test, &format!("no Redis on {REDIS}"), "DMR_REQUIRE_REDIS");
    false
}

/// A `redis-server` this test starts on a spare port, and stops (also when dropped).
pub struct OwnRedis {
    pub port: u16,
    child: Option<Child>,
}

impl OwnRedis {
    /// Starts one on a free port; `None` (with the reason printed) when `redis-server` is not
    /// installed, unless `DMR_REQUIRE_REDIS=1`.
    pub fn start(test: &str) -> Option<Self> {
        // up to three ports: another process may take one between our probe and
        // redis-server's bind (it then exits)
        let mut last = None;
        for _ in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let mut this = Self { port, child: None };
            match this.spawn() {
                Ok(()) => return Some(this),
                Err(e) => last = Some(e),
            }
        }
        dmr_runtime::testing::unavailable(
            test,
            &format!(
                "cannot start redis-server: {}",
                last.expect("three attempts")
            ),
            "DMR_REQUIRE_REDIS",
        );
        None
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) -> std::io::Result<()> {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        self.child = Some(child);
        let addr: SocketAddr = format!("127.0.0.1:{}", self.port).parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
            let exited = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            if exited.is_some() || Instant::now() > deadline {
                self.stop();
                return Err(std::io::Error::other(format!(
                    "redis-server on port {} did not start listening ({})",
                    self.port,
                    exited.map_or("15 s passed".to_owned(), |s| s.to_string())
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// Kills the server and waits until the port is closed.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // a paused server must be thawed to die
            let _ = Command::new("kill")
                .args(["-CONT", &child.id().to_string()])
                .status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Freezes the server (`SIGSTOP`): connections stay open, nothing answers.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    /// Thaws a paused server (`SIGCONT`).
    pub fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, sig: &str) {
        let pid = self.child.as_ref().expect("running").id().to_string();
        let ok = Command::new("kill")
            .args([sig, &pid])
            .status()
            .expect("kill");
        assert!(ok.success(), "kill {sig} {pid}");
    }

    /// Starts it again on the same port.
    pub fn restart(&mut self) {
        self.spawn().expect("restart redis-server");
    }

    /// Runs `redis-cli` against it with `args`: its output, trimmed. A server that has just
    /// started listening may refuse the first connection on a loaded machine: a failed run
    /// is retried for up to 2 seconds.
    pub fn cli(&self, args: &[&str]) -> String {
        let run = || {
            Command::new("redis-cli")
                .args(["-p", &self.port.to_string()])
                .args(args)
                .output()
                .expect("redis-cli runs")
        };
        let mut out = run();
        for _ in 0..20 {
            if out.status.success() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
            out = run();
        }
        assert!(
            out.status.success(),
            "redis-cli {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

/// An HS256 access token for `sub` with `jti`, issued `ago` seconds ago and valid for five
/// minutes from now.
pub fn access_issued(sub: &str, jti: &str, ago: i64) -> String {
    let mut token = JwtToken::new(sub, Duration::from_secs(300))
        .with_jti(jti)
        .with_type("access");
    token.iat -= ago;
    token.encode_hs256(SECRET).unwrap()
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
