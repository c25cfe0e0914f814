//! One fetch of a provider's keys: the discovery document (for its `jwks_uri`) and the JWKS,
//! with connect and read timeouts, no redirects and a size limit on every body.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use super::jwks::{JwksError, KeySet};
use super::settings::{CacheSettings, max_age};

/// Why a fetch brought no key set; for the logs, never for a client.
#[derive(Debug)]
pub(super) enum FetchError {
    /// Connect, timeout, TLS or a body over the limit.
    Transport(String),
    /// Not a 200.
    Status(u16),
    /// A discovery document that is not JSON, has no `jwks_uri`, or names another issuer.
    Discovery(&'static str),
    /// The JWKS document.
    Jwks(JwksError),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(e) => write!(f, "fetch failed: {e}"),
            Self::Status(s) => write!(f, "the provider answered {s}"),
            Self::Discovery(why) => write!(f, "discovery document refused: {why}"),
            Self::Jwks(e) => write!(f, "{e}"),
        }
    }
}

/// A key set and how long the provider says it may be cached.
pub(super) struct Fetched {
    pub(super) keys: KeySet,
    pub(super) max_age: Option<Duration>,
}

/// The HTTP side of the key cache.
pub(super) struct Fetcher {
    agent: ureq::Agent,
    max_body: u64,
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

impl Fetcher {
    pub(super) fn new(settings: &CacheSettings) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(settings.connect_timeout))
            .timeout_global(Some(settings.connect_timeout + settings.read_timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent("dmr-oidc")
            .build()
            .new_agent();
        Self {
            agent,
            max_body: settings.max_body,
        }
    }

    /// The body of a `GET url` and its `Cache-Control` value.
    fn get(&self, url: &str) -> Result<(Vec<u8>, Option<String>), FetchError> {
        let mut resp = self
            .agent
            .get(url)
            .header("accept", "application/json")
            .call()
            .map_err(|e| FetchError::Transport(e.to_string()))?;
        if resp.status() != 200 {
            return Err(FetchError::Status(resp.status().as_u16()));
        }
        let cache = resp
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = resp
            .body_mut()
            .with_config()
            .limit(self.max_body)
            .read_to_vec()
            .map_err(|e| FetchError::Transport(e.to_string()))?;
        Ok((body, cache))
    }

    /// The `jwks_uri` of `issuer`'s discovery document, which must name `issuer` exactly.
    pub(super) fn discover(&self, issuer: &str) -> Result<String, FetchError> {
        let url = discovery_url(issuer);
        let (body, _) = self.get(&url)?;
        let doc: Discovery = serde_json::from_slice(&body)
            .map_err(|_| FetchError::Discovery("no `issuer` and `jwks_uri` strings"))?;
        if doc.issuer != issuer {
            return Err(FetchError::Discovery("it names another issuer"));
        }
        Ok(doc.jwks_uri)
    }

    /// The key set at `url`.
    pub(super) fn jwks(&self, url: &str) -> Result<Fetched, FetchError> {
        let (body, cache) = self.get(url)?;
        let keys = KeySet::parse(&body).map_err(FetchError::Jwks)?;
        Ok(Fetched {
            keys,
            max_age: cache.as_deref().and_then(max_age),
        })
    }
}

/// `<issuer>/.well-known/openid-configuration` (one slash between them).
pub(super) fn discovery_url(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    )
}
