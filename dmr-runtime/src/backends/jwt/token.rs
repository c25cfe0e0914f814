//! The claims of a JWT (django-modern-rest's `JWToken` model) and how to sign them.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::crypto::CryptoProvider;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde::Serialize;
use serde_json::{Map, Value};

/// The checked claims of a JWT: the identity of a [`JwtAuth`](super::JwtAuth) without a user
/// loader, and what [`JwtToken::encode`] signs.
///
/// `sub`, `exp` and `iat` are required; `exp` and `iat` are Unix seconds. Every claim the
/// model does not name (including `nbf`, `email`, `type`) ends up in [`extras`](Self::extras):
/// a nested `extras` object in the payload is the base and unknown top-level claims are merged
/// into it (top-level wins), so `extras.type` can come from `{"extras":{"type":"refresh"}}` or
/// from a top-level `"type":"refresh"`. Encoding always writes `extras` as a nested object.
///
/// ```
/// use std::time::Duration;
/// use dmr_runtime::backends::jwt::JwtToken;
///
/// let token = JwtToken::new("42", Duration::from_secs(300))
///     .with_issuer("me")
///     .with_audience(vec!["dev".to_owned(), "qa".to_owned()])
///     .with_type("access");
/// assert_eq!(token.exp - token.iat, 300);
/// assert_eq!(token.token_type(), Some("access"));
/// let json = serde_json::to_value(&token).unwrap();
/// assert_eq!(json["aud"], serde_json::json!(["dev", "qa"]));
/// assert_eq!(json["extras"], serde_json::json!({"type": "access"}));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JwtToken {
    /// The subject (usually the user id); never empty in a checked token.
    pub sub: String,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Issue time, Unix seconds.
    pub iat: i64,
    /// The issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// The audience(s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
    /// The token id (what a blocklist keys on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// Every other claim.
    pub extras: Map<String, Value>,
}

/// The name of the claim in `extras` that holds a token's refresh family.
pub const FAMILY_CLAIM: &str = "fam";

/// Throttles keyed on the identity count a token by its `jti`, else its `sub`.
impl crate::throttle::ThrottleIdentity for JwtToken {
    fn throttle_key(&self) -> Option<String> {
        Some(self.jti.clone().unwrap_or_else(|| self.sub.clone()))
    }
}

/// The `aud` claim: one audience or a list.
///
/// ```
/// use dmr_runtime::backends::jwt::Audience;
///
/// let aud = Audience::from(vec!["dev", "qa"]);
/// assert!(aud.contains("qa"));
/// assert_eq!(serde_json::to_string(&Audience::from("api")).unwrap(), r#""api""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Audience {
    /// `"aud": "api"`.
    One(String),
    /// `"aud": ["api", "admin"]`.
    Many(Vec<String>),
}

impl Audience {
    /// Every audience named.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let (one, many): (Option<&String>, &[String]) = match self {
            Self::One(a) => (Some(a), &[]),
            Self::Many(list) => (None, list),
        };
        one.into_iter().chain(many).map(String::as_str)
    }

    /// Whether `aud` is one of them.
    pub fn contains(&self, aud: &str) -> bool {
        self.iter().any(|a| a == aud)
    }

    /// Whether the claim is empty (`""` or `[]`), which counts as absent when audiences are
    /// checked.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::One(a) => a.is_empty(),
            Self::Many(list) => list.is_empty(),
        }
    }
}

impl From<&str> for Audience {
    fn from(aud: &str) -> Self {
        Self::One(aud.to_owned())
    }
}

impl From<String> for Audience {
    fn from(aud: String) -> Self {
        Self::One(aud)
    }
}

impl From<Vec<String>> for Audience {
    fn from(list: Vec<String>) -> Self {
        Self::Many(list)
    }
}

impl From<Vec<&str>> for Audience {
    fn from(list: Vec<&str>) -> Self {
        Self::Many(list.into_iter().map(str::to_owned).collect())
    }
}

/// Why a token could not be signed, or why [`JwtAuth::decode`](super::JwtAuth::decode)
/// refused one.
///
/// ```
/// use dmr_runtime::backends::jwt::JwtError;
///
/// assert_eq!(JwtError::Invalid("token expired").to_string(), "invalid token: token expired");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwtError {
    /// Signing failed (an empty `sub`, a key of another family than the algorithm, an
    /// unusable key); the message says why. The reference answers these with a 500.
    Encode(String),
    /// The token was refused; the reason is for logs and tests, never for the client (who
    /// gets the plain 401).
    Invalid(&'static str),
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Encode(why) => write!(f, "failed to encode token: {why}"),
            Self::Invalid(why) => write!(f, "invalid token: {why}"),
        }
    }
}

impl std::error::Error for JwtError {}

/// The JOSE header every token gets, in the reference's key order, plus custom fields.
#[derive(Serialize)]
struct JoseHeader<'a> {
    alg: Algorithm,
    typ: &'static str,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

/// The reference's refusal of an empty `sub`.
const EMPTY_SUB: &str = "sub must be a string with a length greater than 0";

/// The current time in Unix seconds (0 if the clock is before 1970).
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl JwtToken {
    /// A token for `sub` issued now (`iat`) and expiring `ttl` later (`exp`), with no other
    /// claims.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::JwtToken;
    ///
    /// let token = JwtToken::new("42", Duration::from_secs(60));
    /// assert_eq!(token.sub, "42");
    /// assert!(token.extras.is_empty());
    /// ```
    pub fn new(sub: impl Into<String>, ttl: Duration) -> Self {
        let iat = unix_now();
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
        Self {
            sub: sub.into(),
            exp: iat.saturating_add(ttl),
            iat,
            iss: None,
            aud: None,
            jti: None,
            extras: Map::new(),
        }
    }

    /// Sets `iss`.
    pub fn with_issuer(mut self, iss: impl Into<String>) -> Self {
        self.iss = Some(iss.into());
        self
    }

    /// Sets `aud` (a string, or a `Vec` for a list).
    pub fn with_audience(mut self, aud: impl Into<Audience>) -> Self {
        self.aud = Some(aud.into());
        self
    }

    /// Sets `jti`.
    pub fn with_jti(mut self, jti: impl Into<String>) -> Self {
        self.jti = Some(jti.into());
        self
    }

    /// Sets one entry of `extras`.
    pub fn with_extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extras.insert(key.into(), value.into());
        self
    }

    /// Sets `extras.type` (`"access"`, `"refresh"`).
    pub fn with_type(self, kind: &str) -> Self {
        self.with_extra("type", kind)
    }

    /// `extras.type`, if it is a string.
    pub fn token_type(&self) -> Option<&str> {
        self.extras.get("type").and_then(Value::as_str)
    }

    /// Sets `extras.fam`, the refresh family (every token descending from one login).
    pub fn with_family(self, family: impl Into<String>) -> Self {
        self.with_extra(FAMILY_CLAIM, family.into())
    }

    /// `extras.fam`, if it is a string: the refresh family the token belongs to.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::JwtToken;
    ///
    /// let token = JwtToken::new("1", Duration::from_secs(60)).with_family("f1");
    /// assert_eq!(token.family(), Some("f1"));
    /// ```
    pub fn family(&self) -> Option<&str> {
        self.extras.get(FAMILY_CLAIM).and_then(Value::as_str)
    }

    /// Refuses claims no issuer should sign, with the reference's words (its `JWToken`
    /// construction rules, leeway 0): an empty `sub`, an `exp` before `now` (`exp value must be
    /// a datetime in the future, leeway is 0`), an `iat` after `now` (`iat must be a current
    /// or past time`). Every way to sign a token ([`encode`](Self::encode),
    /// [`encode_hs256`](Self::encode_hs256), `JwtIssuer::sign`) runs it first.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::JwtToken;
    ///
    /// let token = JwtToken::new("1", Duration::from_secs(60));
    /// assert!(token.check_issuable(token.iat).is_ok());
    /// assert!(token.check_issuable(token.exp).is_ok()); // expires at this very second
    /// let late = token.check_issuable(token.exp + 1).unwrap_err(); // expired by then
    /// assert!(late.to_string().contains("datetime in the future"));
    /// let early = token.check_issuable(token.iat - 1).unwrap_err(); // issued in the future
    /// assert!(early.to_string().contains("current or past time"));
    /// ```
    pub fn check_issuable(&self, now: i64) -> Result<(), JwtError> {
        if self.sub.is_empty() {
            return Err(JwtError::Encode(EMPTY_SUB.into()));
        }
        if self.exp < now {
            return Err(JwtError::Encode(
                "exp value must be a datetime in the future, leeway is 0".into(),
            ));
        }
        if self.iat > now {
            return Err(JwtError::Encode(
                "iat must be a current or past time".into(),
            ));
        }
        Ok(())
    }

    /// Signs the token: header `{"alg":<alg>,"typ":"JWT"}`, payload `sub`, `exp`, `iat`,
    /// `iss`, `aud`, `jti` (absent ones left out) and `extras` (always present).
    ///
    /// Fails with [`JwtError::Encode`] for claims [`check_issuable`](Self::check_issuable)
    /// refuses (an empty `sub`, an `exp` in the past, an `iat` in the future), a key of
    /// another family than `alg` (an HMAC secret with `RS256`, ..) or a key the algorithm
    /// cannot use.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::{Algorithm, EncodingKey, JwtToken};
    ///
    /// let key = EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef").unwrap();
    /// let token = JwtToken::new("42", Duration::from_secs(60));
    /// let jwt = token.encode(&key, Algorithm::HS384).unwrap();
    /// assert_eq!(jwt.split('.').count(), 3);
    /// assert!(JwtToken::new("", Duration::from_secs(60)).encode(&key, Algorithm::HS384).is_err());
    /// let mut expired = JwtToken::new("42", Duration::from_secs(60));
    /// expired.exp = expired.iat - 10;
    /// assert!(expired.encode(&key, Algorithm::HS384).is_err());
    /// ```
    pub fn encode(&self, key: &EncodingKey, alg: Algorithm) -> Result<String, JwtError> {
        self.encode_with_headers(key, alg, &Map::new())
    }

    /// [`encode`](Self::encode) with more JOSE header fields after `alg` and `typ` (a `kid`
    /// naming the key, ..); `alg` and `typ` themselves cannot be replaced.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::{Algorithm, EncodingKey, JwtToken};
    ///
    /// let key = EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef").unwrap();
    /// let mut headers = serde_json::Map::new();
    /// headers.insert("kid".into(), "2026-11".into());
    /// let token = JwtToken::new("42", Duration::from_secs(60));
    /// let jwt = token.encode_with_headers(&key, Algorithm::HS256, &headers).unwrap();
    /// let header = jsonwebtoken::decode_header(&jwt).unwrap();
    /// assert_eq!(header.kid.as_deref(), Some("2026-11"));
    /// headers.insert("alg".into(), "none".into());
    /// assert!(token.encode_with_headers(&key, Algorithm::HS256, &headers).is_err());
    /// ```
    pub fn encode_with_headers(
        &self,
        key: &EncodingKey,
        alg: Algorithm,
        headers: &Map<String, Value>,
    ) -> Result<String, JwtError> {
        self.check_issuable(unix_now())?;
        self.sign_at_any_time(key, alg, headers)
    }

    /// [`encode_with_headers`](Self::encode_with_headers) without the time rules of
    /// [`check_issuable`](Self::check_issuable): the testing minter's explicitly expired or
    /// future tokens (`JwtMinter::sign_at_any_time`). An empty `sub` is still refused.
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    pub(crate) fn sign_at_any_time(
        &self,
        key: &EncodingKey,
        alg: Algorithm,
        headers: &Map<String, Value>,
    ) -> Result<String, JwtError> {
        // installs the HMAC-only provider in a build without `jwt-asymmetric`, and refuses
        // an algorithm that build cannot sign
        super::crypto::check(alg).map_err(|e| JwtError::Encode(e.to_string()))?;
        if headers.contains_key("alg") || headers.contains_key("typ") {
            return Err(JwtError::Encode(
                "`alg` and `typ` are set by the signer; remove them from the custom headers".into(),
            ));
        }
        if self.sub.is_empty() {
            return Err(JwtError::Encode(EMPTY_SUB.into()));
        }
        if key.family() != alg.family() {
            return Err(JwtError::Encode(format!(
                "a {:?} key cannot sign {alg:?} tokens",
                key.family()
            )));
        }
        if CryptoProvider::try_get_default().is_none() {
            return Err(JwtError::Encode(
                "jsonwebtoken has no crypto provider".into(),
            ));
        }
        let header = serde_json::to_vec(&JoseHeader {
            alg,
            typ: "JWT",
            extra: headers,
        });
        let payload = serde_json::to_vec(self);
        let (header, payload) = match (header, payload) {
            (Ok(h), Ok(p)) => (h, p),
            (Err(e), _) | (_, Err(e)) => return Err(JwtError::Encode(e.to_string())),
        };
        let message = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let signature = jsonwebtoken::crypto::sign(message.as_bytes(), key, alg)
            .map_err(|e| JwtError::Encode(e.to_string()))?;
        Ok(format!("{message}.{signature}"))
    }

    /// Signs the token with `HS256` and `secret` (for tests and demos; the secret's length is
    /// not checked here, only by [`JwtAuth::hs256`](super::JwtAuth::hs256)); the claims are
    /// checked as by [`encode`](Self::encode).
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
    ///
    /// let secret = "0123456789abcdef0123456789abcdef";
    /// let jwt = JwtToken::new("42", Duration::from_secs(60)).encode_hs256(secret).unwrap();
    /// let auth = JwtAuth::hs256(secret).unwrap();
    /// assert_eq!(auth.decode(&jwt).unwrap().sub, "42");
    /// ```
    pub fn encode_hs256(&self, secret: impl AsRef<[u8]>) -> Result<String, JwtError> {
        let key = EncodingKey::from_secret(secret.as_ref())
            .map_err(|_| JwtError::Encode("the HS256 secret is empty".into()))?;
        self.encode(&key, Algorithm::HS256)
    }
}
