//! Building an [`OidcAuth`]: the provider, the claim rules and the key cache's timings.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::cache::{KeyCache, Source};
use super::claims::Rules;
use super::fetch::discovery_url;
use super::settings::CacheSettings;
use super::{Inner, OidcAuth};

/// Why an [`OidcAuth`] cannot be built; reported when the API is built.
///
/// ```
/// use dmr_runtime::backends::oidc::{OidcConfig, OidcConfigError};
///
/// let err = OidcConfig::discover("https://id.example.com").build::<()>().unwrap_err();
/// assert_eq!(err, OidcConfigError::NoAudience);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OidcConfigError {
    /// No accepted audience: a provider's tokens for other APIs would pass.
    NoAudience,
    /// The issuer or JWKS URL is not `http://` or `https://`.
    InvalidUrl(String),
    /// `jsonwebtoken` has no crypto provider.
    NoCryptoProvider,
    /// The key cache's thread could not be started.
    Thread(String),
}

impl fmt::Display for OidcConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoAudience => f.write_str(
                "an identity provider auth needs at least one accepted audience; call `.audience(..)`",
            ),
            Self::InvalidUrl(url) => write!(f, "`{url}` is not an http:// or https:// URL"),
            Self::NoCryptoProvider => f.write_str("jsonwebtoken has no crypto provider"),
            Self::Thread(e) => write!(f, "cannot start the key cache's thread: {e}"),
        }
    }
}

impl std::error::Error for OidcConfigError {}

/// The configuration of an [`OidcAuth`]: where the keys are, what the tokens must say, and
/// how the keys are cached.
///
/// ```no_run
/// use std::time::Duration;
/// use dmr_runtime::backends::oidc::{OidcAuth, OidcConfig};
///
/// let auth: OidcAuth = OidcConfig::discover("https://id.example.com")
///     .audience("https://api.example.com")
///     .leeway(30)
///     .require_access_token_type(true)
///     .refetch_interval(Duration::from_secs(30))
///     .build()
///     .unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct OidcConfig {
    issuer: String,
    source: Source,
    audiences: Vec<String>,
    leeway: i64,
    require_at_jwt: bool,
    scheme_name: String,
    settings: CacheSettings,
}

impl OidcConfig {
    fn new(issuer: String, source: Source) -> Self {
        Self {
            issuer,
            source,
            audiences: Vec::new(),
            leeway: 0,
            require_at_jwt: false,
            scheme_name: "oidc".to_owned(),
            settings: CacheSettings::default(),
        }
    }

    /// Keys found by OpenID Connect discovery: `<issuer>/.well-known/openid-configuration`,
    /// whose `issuer` must be `issuer` exactly, names the `jwks_uri`. Tokens must carry this
    /// `iss` exactly; a token of another issuer is skipped (the next auth of the chain tries).
    pub fn discover(issuer: impl Into<String>) -> Self {
        let issuer = issuer.into();
        Self::new(issuer.clone(), Source::Discovery(issuer))
    }

    /// Keys at a JWKS URL, for tokens whose `iss` is `issuer`.
    pub fn jwks(issuer: impl Into<String>, jwks_url: impl Into<String>) -> Self {
        Self::new(issuer.into(), Source::Jwks(jwks_url.into()))
    }

    /// Adds an accepted `aud` (at least one is required).
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audiences.push(audience.into());
        self
    }

    /// Seconds of clock skew allowed on `exp`, `nbf` and `iat` (default 0).
    pub fn leeway(mut self, seconds: u32) -> Self {
        self.leeway = i64::from(seconds);
        self
    }

    /// Requires the header `typ: at+jwt` of access tokens (RFC 9068), so that an ID token
    /// cannot be used as an access token (default off: not every provider sets it).
    pub fn require_access_token_type(mut self, on: bool) -> Self {
        self.require_at_jwt = on;
        self
    }

    /// The OpenAPI security scheme name (default `oidc`).
    pub fn scheme_name(mut self, name: impl Into<String>) -> Self {
        self.scheme_name = name.into();
        self
    }

    /// How long building the auth waits for the first key set (default 5 s). When the
    /// provider is down, the auth is built anyway and answers 503 with `Retry-After` until
    /// the keys arrive.
    pub fn startup_wait(mut self, wait: Duration) -> Self {
        self.settings.startup_wait = wait;
        self
    }

    /// The least time between two fetches caused by requests (an unknown `kid`, a cached key
    /// failing a signature); default 30 s.
    pub fn refetch_interval(mut self, interval: Duration) -> Self {
        self.settings.refetch_interval = interval;
        self
    }

    /// The background refresh: `default` without `Cache-Control: max-age` (15 min), and the
    /// bounds `max-age` is clamped into (1 min to 24 h).
    pub fn refresh(mut self, default: Duration, min: Duration, max: Duration) -> Self {
        self.settings.refresh = default;
        self.settings.min_refresh = min;
        self.settings.max_refresh = max;
        self
    }

    /// How long the last good key set keeps serving while the provider cannot be reached
    /// (default 24 h); after it, requests fail closed with 503.
    pub fn max_stale(mut self, max: Duration) -> Self {
        self.settings.max_stale = max;
        self
    }

    /// The connect timeout (default 2 s) and the response timeout (default 5 s) of a fetch.
    pub fn timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.settings.connect_timeout = connect;
        self.settings.read_timeout = read;
        self
    }

    /// The largest discovery or JWKS body read (default 256 KiB); a larger one is refused.
    pub fn max_body(mut self, bytes: u64) -> Self {
        self.settings.max_body = bytes;
        self
    }

    /// Starts the key cache (waiting at most [`startup_wait`](Self::startup_wait) for the
    /// first keys) and builds the auth; `C` reads the token's other claims.
    pub fn build<C>(self) -> Result<OidcAuth<C>, OidcConfigError> {
        if self.audiences.is_empty() {
            return Err(OidcConfigError::NoAudience);
        }
        let url = match &self.source {
            Source::Discovery(issuer) => issuer,
            Source::Jwks(url) => url,
        };
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(OidcConfigError::InvalidUrl(url.clone()));
        }
        if jsonwebtoken::crypto::CryptoProvider::try_get_default().is_none() {
            return Err(OidcConfigError::NoCryptoProvider);
        }
        let discovery = match &self.source {
            Source::Discovery(issuer) => Some(discovery_url(issuer)),
            Source::Jwks(_) => None,
        };
        let cache = KeyCache::start(self.source, self.settings)
            .map_err(|e| OidcConfigError::Thread(e.to_string()))?;
        Ok(OidcAuth {
            inner: Arc::new(Inner {
                issuer: self.issuer,
                rules: Rules {
                    audiences: self.audiences,
                    leeway: self.leeway,
                },
                require_at_jwt: self.require_at_jwt,
                scheme_name: self.scheme_name,
                discovery,
                cache,
            }),
            claims: PhantomData,
        })
    }
}
