//! `redis-server` processes of a test's own, in a temporary directory, on spare ports: a
//! node that can be killed and started again on its port with its files (append-only file
//! with `fsync` on every write, so a restarted node has its data), and `redis-cli`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A temporary directory, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(test: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("dmr-{test}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether `redis-server` and `redis-cli` can be run.
pub fn tools_present() -> bool {
    ["redis-server", "redis-cli"].iter().all(|tool| {
        Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

pub fn listening(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

fn free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

/// A port that is free, with `port + 10000` (a cluster node's bus) free too.
pub fn spare_port() -> u16 {
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let start = 20_000 + u16::try_from((seed ^ std::process::id()) % 20_000).unwrap_or(0);
    (0..20_000u16)
        .map(|i| 20_000 + (start - 20_000 + i * 7) % 20_000)
        .find(|p| free(*p) && free(*p + 10_000))
        .expect("a spare port")
}

/// Polls `ready` every 20 ms until it holds or `limit` passes; whether it held.
pub fn wait_for(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    loop {
        if ready() {
            return true;
        }
        if Instant::now() > end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `redis-cli -p port args..`: its standard output, or `None` if it failed.
pub fn cli(port: u16, args: &[&str]) -> Option<String> {
    let out = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// One `redis-server` (or sentinel) process, its port and arguments kept for a restart.
pub struct Node {
    pub port: u16,
    args: Vec<String>,
    child: Option<Child>,
}

impl Node {
    /// A data node in `dir/<port>` with `extra` arguments; `None` if it did not come up.
    pub fn data(dir: &Path, port: u16, extra: &[&str]) -> Option<Self> {
        let home = dir.join(port.to_string());
        std::fs::create_dir_all(&home).ok()?;
        let mut args: Vec<String> = [
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--dir",
            home.to_str()?,
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        Self::spawn(port, args)
    }

    /// A process of `redis-server args..` listening on `port`.
    pub fn spawn(port: u16, args: Vec<String>) -> Option<Self> {
        let mut node = Self {
            port,
            args,
            child: None,
        };
        node.start().then_some(node)
    }

    /// Starts the process again (same port, same files); whether it listens.
    pub fn start(&mut self) -> bool {
        let Ok(child) = Command::new("redis-server")
            .args(&self.args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        else {
            return false;
        };
        self.child = Some(child);
        wait_for(Duration::from_secs(10), || listening(self.port))
    }

    /// Sends `signal` (`-STOP` freezes it: connections are accepted, never answered; `-CONT`).
    pub fn signal(&self, signal: &str) {
        if let Some(child) = &self.child {
            let _ = Command::new("kill")
                .args([signal, &child.id().to_string()])
                .status();
        }
    }

    /// Kills the process (`SIGKILL`: no shutdown, as a crash).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}
