//! The demo's settings, read once from the environment.

use std::sync::OnceLock;

use dmr_runtime::backends::session::session_key_from_base64;

/// Everything the demo reads from the environment.
#[derive(Clone)]
pub struct DemoConfig {
    /// `DMR_DEMO_ADDR`, default `127.0.0.1:8000`.
    pub addr: String,
    /// The demo user's name (`admin`).
    pub user: String,
    /// `DMR_DEMO_PASSWORD`, default `pass`.
    pub password: String,
    /// `DMR_DEMO_JWT_SECRET`, default [`DEFAULT_JWT_SECRET`] (HS256).
    pub jwt_secret: String,
    /// The private key (PEM: Ed25519 for EdDSA, RSA for RS256) in the file `DMR_DEMO_JWT_KEY`
    /// names; without it the demo signs HS256 with [`jwt_secret`](Self::jwt_secret).
    pub jwt_key: Option<String>,
    /// `DMR_DEMO_JWT_KID`, default `demo-1`: the `kid` of that key.
    pub jwt_kid: String,
    /// `DMR_DEMO_TOKEN_SECRET`, default [`DEFAULT_TOKEN_SECRET`]: the HMAC key of stored API
    /// token hashes.
    pub token_secret: String,
    /// `DMR_DEMO_ALLOW_DEFAULT_SECRETS=1`: listen beyond loopback with the built-in secrets.
    pub allow_default_secrets: bool,
    /// `DMR_DEMO_REQUEST_TIMEOUT_SECS`, default 15: the deadline of a whole request.
    pub request_timeout: std::time::Duration,
    /// `DMR_DEMO_REDIS_URL`: the Redis of the sessions, the throttles' counters and the JWT
    /// blocklist; unset, all three live in the process's memory.
    pub redis_url: Option<String>,
    /// `DMR_DEMO_REDIS_PREFIX`, default `dmr-demo:`: the prefix of the demo's Redis keys.
    pub redis_prefix: String,
    /// `DMR_DEMO_SESSION_KEY`: the session cookie key (64+ bytes, base64), the same on every
    /// server that shares the Redis sessions; unset, one is drawn at startup.
    pub session_key: Option<actix_web::cookie::Key>,
}

/// The documented default password of the demo user.
pub const DEFAULT_PASSWORD: &str = "pass";

/// The documented default HS256 secret: 43 bytes, above the 32 HS256 needs. Set
/// `DMR_DEMO_JWT_SECRET` for anything but a local demo.
pub const DEFAULT_JWT_SECRET: &str = "dmr-demo-secret-change-me-0123456789abcdef";

/// The documented default token secret; set `DMR_DEMO_TOKEN_SECRET` for anything but a demo.
pub const DEFAULT_TOKEN_SECRET: &str = "dmr-demo-token-secret-change-me";

/// Without the secrets: the password, the JWT secret and key, the token secret and the
/// session key are never printed.
impl std::fmt::Debug for DemoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoConfig")
            .field("addr", &self.addr)
            .field("user", &self.user)
            .field("jwt_kid", &self.jwt_kid)
            .field("allow_default_secrets", &self.allow_default_secrets)
            .field("request_timeout", &self.request_timeout)
            .field("redis_prefix", &self.redis_prefix)
            .finish_non_exhaustive()
    }
}

static CONFIG: OnceLock<DemoConfig> = OnceLock::new();

/// An environment variable whose value the demo cannot use.
#[derive(Debug)]
pub struct ConfigError {
    var: &'static str,
    value: String,
    expected: &'static str,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is `{}`, expected {}; fix or unset it",
            self.var, self.value, self.expected
        )
    }
}

impl std::error::Error for ConfigError {}

impl DemoConfig {
    fn from_env() -> Result<Self, ConfigError> {
        let var =
            |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        let timeout = var("DMR_DEMO_REQUEST_TIMEOUT_SECS", "15");
        let request_timeout = match timeout.parse::<u64>() {
            Ok(secs) if secs > 0 => std::time::Duration::from_secs(secs),
            _ => {
                return Err(ConfigError {
                    var: "DMR_DEMO_REQUEST_TIMEOUT_SECS",
                    value: timeout,
                    expected: "a whole number of seconds above 0",
                });
            }
        };
        let jwt_key = match std::env::var("DMR_DEMO_JWT_KEY") {
            Ok(path) => Some(std::fs::read_to_string(&path).map_err(|_| ConfigError {
                var: "DMR_DEMO_JWT_KEY",
                value: path,
                expected: "a readable file holding an Ed25519 or RSA private key in PEM",
            })?),
            Err(_) => None,
        };
        let session_key = match std::env::var("DMR_DEMO_SESSION_KEY") {
            // the value is a secret: the error names the variable only
            Ok(b64) => Some(session_key_from_base64(&b64).map_err(|_| ConfigError {
                var: "DMR_DEMO_SESSION_KEY",
                value: "(not shown)".to_owned(),
                expected: "at least 64 bytes in base64 (`openssl rand -base64 64`)",
            })?),
            Err(_) => None,
        };
        Ok(Self {
            addr: var("DMR_DEMO_ADDR", "127.0.0.1:8000"),
            user: "admin".to_owned(),
            password: var("DMR_DEMO_PASSWORD", DEFAULT_PASSWORD),
            jwt_secret: var("DMR_DEMO_JWT_SECRET", DEFAULT_JWT_SECRET),
            jwt_key,
            jwt_kid: var("DMR_DEMO_JWT_KID", "demo-1"),
            token_secret: var("DMR_DEMO_TOKEN_SECRET", DEFAULT_TOKEN_SECRET),
            allow_default_secrets: var("DMR_DEMO_ALLOW_DEFAULT_SECRETS", "") == "1",
            request_timeout,
            redis_url: std::env::var("DMR_DEMO_REDIS_URL").ok(),
            redis_prefix: var("DMR_DEMO_REDIS_PREFIX", "dmr-demo:"),
            session_key,
        })
    }

    /// Reads the configuration from the environment, once, at startup.
    pub fn load() -> Result<&'static Self, ConfigError> {
        if let Some(cfg) = CONFIG.get() {
            return Ok(cfg);
        }
        let cfg = Self::from_env()?;
        Ok(CONFIG.get_or_init(|| cfg))
    }

    /// The process-wide configuration, read by [`DemoConfig::load`] at startup.
    pub fn get() -> &'static Self {
        CONFIG
            .get()
            .expect("`DemoConfig::load` runs first thing in `main`")
    }
}
