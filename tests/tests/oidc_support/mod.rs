//! A real OpenID provider for the tests: Node's `oidc-provider` (tests/oidc-provider/), on a
//! spare loopback port with a generated config. Without Node or its `npm ci` the tests print
//! why and pass, unless `DMR_REQUIRE_OIDC=1` (CI).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("oidc-provider")
}

/// Whether to run: Node and the harness's packages are there, or they are not and
/// `DMR_REQUIRE_OIDC` is unset (skip, with the reason printed).
pub fn provider_or_skip(test: &str) -> bool {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let installed = harness()
        .join("node_modules/oidc-provider/package.json")
        .exists();
    let why = match (node, installed) {
        (true, true) => return true,
        (false, _) => "no `node` on PATH",
        (true, false) => "tests/oidc-provider has no node_modules (run `npm ci` there)",
    };
    dmr_runtime::testing::unavailable(test, why, "DMR_REQUIRE_OIDC");
    false
}

/// A running provider; stopped when dropped. Its generated keys live in a file of its own
/// directory, so a restart with another list of kids is a key rotation.
pub struct Provider {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
    agent: ureq::Agent,
    /// Kids given new material at the next start.
    regenerate: Vec<String>,
}

/// A key of the provider: kid, kind (`rsa`, `p256`, `p384`, `ed25519`), optional JWK `alg`.
pub type KeySpec<'a> = (&'a str, &'a str, Option<&'a str>);

pub fn spare_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a spare port")
        .port()
}

impl Provider {
    /// A provider on a spare port, not started yet.
    pub fn new() -> Self {
        let port = spare_port();
        let dir = std::env::temp_dir().join(format!("dmr-oidc-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(20)))
            .http_status_as_error(false)
            .build()
            .new_agent();
        Self {
            port,
            dir,
            child: None,
            agent,
            regenerate: Vec::new(),
        }
    }

    /// Gives `kids` new key material at the next [`start`](Self::start).
    pub fn regenerate(&mut self, kids: &[&str]) -> &mut Self {
        self.regenerate = kids.iter().map(|k| (*k).to_owned()).collect();
        self
    }

    /// Starts (or restarts) the provider with `keys`, the first of each kind signing.
    pub fn start(&mut self, keys: &[KeySpec<'_>]) -> &mut Self {
        self.stop();
        let keys: Vec<_> = keys
            .iter()
            .map(|(kid, kind, alg)| serde_json::json!({"kid": kid, "kind": kind, "alg": alg}))
            .collect();
        let config = serde_json::json!({
            "port": self.port,
            "keyFile": self.dir.join("keys.json"),
            "keys": keys,
            "slowMs": 3000,
            "regenerate": std::mem::take(&mut self.regenerate),
        });
        let path = self.dir.join("config.json");
        std::fs::write(&path, config.to_string()).expect("config");
        let mut child = Command::new("node")
            .arg(harness().join("server.js"))
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("listening") {
                    let _ = tx.send(());
                }
            }
        });
        rx.recv_timeout(Duration::from_secs(30))
            .expect("the provider listens within 30 s");
        self.child = Some(child);
        self
    }

    /// Stops the provider (its port then refuses connections).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// An access token for resource `https://api.test/<alg>` (audience `api`, signed with
    /// `alg`), by the client-credentials grant.
    pub fn token(&self, alg: &str) -> String {
        let resource = format!("https://api.test/{alg}");
        let mut resp = self
            .agent
            .post(format!("{}/token", self.issuer()))
            .send_form([
                ("grant_type", "client_credentials"),
                ("client_id", "svc"),
                ("client_secret", "svc-secret"),
                ("scope", "read"),
                ("resource", resource.as_str()),
            ])
            .expect("token request");
        let body: serde_json::Value =
            serde_json::from_slice(&resp.body_mut().read_to_vec().expect("body")).expect("json");
        body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no access token: {body}"))
            .to_owned()
    }

    fn admin(&self, path: &str) -> serde_json::Value {
        let mut resp = self
            .agent
            .get(format!("{}/__admin/{path}", self.issuer()))
            .call()
            .expect("admin request");
        serde_json::from_slice(&resp.body_mut().read_to_vec().expect("body")).expect("json")
    }

    /// How many JWKS documents the provider served.
    pub fn jwks_requests(&self) -> u64 {
        self.admin("stats")["jwks"].as_u64().expect("count")
    }

    /// `normal`, `slow` (3 s before the JWKS) or `huge` (a JWKS body of 8 MB).
    pub fn mode(&self, mode: &str) {
        self.admin(&format!("mode?m={mode}"));
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `token` with its header replaced by `header` (the signature kept: it no longer matches).
pub fn with_header(token: &str, header: &str) -> String {
    use base64::Engine as _;
    let (_, rest) = token.split_once('.').expect("a JWT");
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(header);
    format!("{encoded}.{rest}")
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}
