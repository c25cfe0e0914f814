//! What the demo's process tests share: start the demo binary with a clean environment on a
//! free port, and send it one request per connection.

#![allow(dead_code)] // each test binary uses a part

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const DEMO: &str = env!("CARGO_BIN_EXE_dmr-demo");

/// The running demo and its `host:port`, read from the banner; stopped on drop.
pub struct Running(Child, pub String);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The demo command with its defaults (in-memory stores, API tokens in a private in-memory
/// database, the built-in secrets) plus `envs`, on a free loopback port; stdout piped for
/// the banner.
pub fn command(envs: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(DEMO);
    for var in [
        "DMR_DEMO_PASSWORD",
        "DMR_DEMO_JWT_SECRET",
        "DMR_DEMO_JWT_KEY",
        "DMR_DEMO_JWT_KID",
        "DMR_DEMO_USERS_DB",
        "DMR_DEMO_DATABASE_URL",
        "DMR_DEMO_REDIS_URL",
        "DMR_DEMO_REDIS_PREFIX",
        "DMR_DEMO_SESSION_KEY",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("DMR_DEMO_TOKENS_DB", ":memory:")
        .env("DMR_DEMO_ADDR", "127.0.0.1:0")
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    cmd
}

/// Runs `cmd` (from [`command`]) and waits for its banner.
pub fn spawn(mut cmd: Command) -> Running {
    let mut child = cmd.spawn().expect("run the demo");
    let mut line = String::new();
    let out = child.stdout.take().expect("stdout");
    BufReader::new(out).read_line(&mut line).expect("read");
    let addr = line
        .strip_prefix("dmr demo on http://")
        .and_then(|rest| rest.split_once(' '))
        .map(|(addr, _)| addr.to_owned())
        .unwrap_or_else(|| panic!("no banner: {line}"));
    Running(child, addr)
}

/// Starts the demo: [`command`] with `envs`, [`spawn`]ed.
pub fn start(envs: &[(&str, &str)]) -> Running {
    spawn(command(envs))
}

/// What one request got: the status, the cookies it set (`name=value`), the body.
pub struct Answer {
    pub status: u16,
    pub cookies: Vec<String>,
    pub body: String,
}

impl Answer {
    /// The value of the cookie `name` the response set, if it set one.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find_map(|c| c.strip_prefix(name)?.strip_prefix('='))
    }
}

/// One request over its own connection, with these extra header lines (a JSON body when
/// `body` is not empty).
pub fn request(addr: &str, method: &str, path: &str, headers: &[String], body: &str) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    write!(stream, "{head}Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a header block");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let cookies = head
        .lines()
        .filter_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim().split(';').next().unwrap_or("").to_owned())
        })
        .collect();
    Answer {
        status,
        cookies,
        body: body.to_owned(),
    }
}

/// A browser that logged in: its `Cookie` header and its CSRF token.
pub struct LoggedIn {
    pub cookie: String,
    pub csrf: String,
}

/// Logs `admin` in with the default password.
pub fn log_in(addr: &str) -> LoggedIn {
    let body = r#"{"username":"admin","password":"pass"}"#;
    let login = request(addr, "POST", "/api/auth/login/", &[], body);
    assert_eq!(login.status, 200, "{}", login.body);
    let session = login.cookie("sessionid").expect("a session cookie");
    let csrf = login.cookie("csrftoken").expect("a CSRF cookie").to_owned();
    LoggedIn {
        cookie: format!("Cookie: sessionid={session}; csrftoken={csrf}"),
        csrf,
    }
}

/// `GET /api/example/` with these cookies, a few times (the demo runs several workers).
pub fn example_statuses(addr: &str, cookie: &str) -> Vec<u16> {
    (0..4)
        .map(|_| request(addr, "GET", "/api/example/", &[cookie.to_owned()], "").status)
        .collect()
}
