//! Building a [`JwtAuth`]: keys, options, and the configuration errors found at build time
//! rather than on every request (reference quirks 4 and 5).

use actix_web::http::header::{self, HeaderName};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, Validation};

use super::blocklist::NoBlocklist;
use super::cookie::CookieSource;
use super::core::JwtCore;
use super::decode::{ClaimRules, FastHmac};
use super::error::JwtConfigError;
use super::{JwtAuth, NoLoader};
use crate::backends::csrf::CsrfConfig;

/// The minimum HMAC secret length: the hash output size (PyJWT's `enforce_minimum_key_length`).
fn min_secret_len(alg: Algorithm) -> usize {
    match alg {
        Algorithm::HS384 => 48,
        Algorithm::HS512 => 64,
        _ => 32,
    }
}

fn invalid_key(err: jsonwebtoken::errors::Error) -> JwtConfigError {
    JwtConfigError::InvalidKey(err.to_string())
}

impl JwtAuth<NoLoader> {
    /// HMAC-SHA256 with a shared secret of at least 32 bytes: the reference's default.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::JwtAuth;
    ///
    /// let auth = JwtAuth::hs256("0123456789abcdef0123456789abcdef").unwrap();
    /// # let _ = auth;
    /// assert!(JwtAuth::hs256("too short").is_err());
    /// ```
    pub fn hs256(secret: impl AsRef<[u8]>) -> Result<Self, JwtConfigError> {
        Self::hmac(Algorithm::HS256, secret)
    }

    /// An HMAC algorithm (`HS256`, `HS384`, `HS512`) with a secret at least as long as the
    /// hash output (32, 48, 64 bytes).
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::{Algorithm, JwtAuth};
    ///
    /// let auth = JwtAuth::hmac(Algorithm::HS512, [7u8; 64]).unwrap();
    /// # let _ = auth;
    /// assert!(JwtAuth::hmac(Algorithm::HS512, [7u8; 32]).is_err());
    /// assert!(JwtAuth::hmac(Algorithm::RS256, [7u8; 64]).is_err());
    /// ```
    pub fn hmac(alg: Algorithm, secret: impl AsRef<[u8]>) -> Result<Self, JwtConfigError> {
        Self::build(
            alg,
            DecodingKey::from_secret(secret.as_ref()).map_err(invalid_key)?,
            false,
        )
    }

    /// Like [`JwtAuth::hmac`], but accepts a secret shorter than the hash output (not an empty
    /// one). Only for interoperating with an issuer whose secret you cannot change: a short
    /// secret can be brute-forced offline from any token.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::{Algorithm, JwtAuth};
    ///
    /// let auth = JwtAuth::hmac_allow_short_secret(Algorithm::HS256, "legacy").unwrap();
    /// # let _ = auth;
    /// ```
    pub fn hmac_allow_short_secret(
        alg: Algorithm,
        secret: impl AsRef<[u8]>,
    ) -> Result<Self, JwtConfigError> {
        Self::build(
            alg,
            DecodingKey::from_secret(secret.as_ref()).map_err(invalid_key)?,
            true,
        )
    }

    #[cfg(feature = "jwt-asymmetric")]
    #[cfg_attr(docsrs, doc(cfg(feature = "jwt-asymmetric")))]
    /// An RSA algorithm (`RS256`..`RS512`, `PS256`..`PS512`) with the issuer's public key in
    /// PEM (`BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`). A private key is refused: give the
    /// auth only what it needs.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::{Algorithm, JwtAuth};
    ///
    /// const PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
    /// MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA7w8hPq/eDiNBz3CTpSQ+
    /// mjvUIuIwLO7p2E3xUpXiQgxUAUFhok4L0DHhtQyTTwhDOzUnZmBVyNMKMIf96EXq
    /// pwApcVDh6vsxuAgxTbKD4a7tmEo53l/ZltLffcA9O7N9oMcHunfq6TF34kM3oyYf
    /// QSAEF+ramFcaIv8gBBUsHKFAVNwct21s7qfL/BzN5EYwwrmA2Agjiq7MYC5Bbn9I
    /// w0PUJD01qh/xVaI9lGuKaLuQI4fMmjh+cWKUFaY74S4L9J2iLXrRT5ViipqOh4Sa
    /// IS7yrzB1fkG3G8OzbABe0GBMnYzrVuYCgH1q+GkKOUpCllAXGB5CCybHOPk6Ttbd
    /// vwIDAQAB
    /// -----END PUBLIC KEY-----";
    ///
    /// let auth = JwtAuth::rsa_pem(Algorithm::RS256, PUBLIC).unwrap();
    /// # let _ = auth;
    /// assert!(JwtAuth::rsa_pem(Algorithm::ES256, PUBLIC).is_err());
    /// ```
    pub fn rsa_pem(alg: Algorithm, pem: impl AsRef<[u8]>) -> Result<Self, JwtConfigError> {
        let pem = pem.as_ref();
        if pem
            .windows(b"PRIVATE KEY".len())
            .any(|w| w == b"PRIVATE KEY")
        {
            return Err(JwtConfigError::InvalidKey(
                "expected a public key, got a private key".into(),
            ));
        }
        Self::build(
            alg,
            DecodingKey::from_rsa_pem(pem).map_err(invalid_key)?,
            false,
        )
    }

    #[cfg(feature = "jwt-asymmetric")]
    #[cfg_attr(docsrs, doc(cfg(feature = "jwt-asymmetric")))]
    /// An ECDSA algorithm (`ES256` with a P-256 key, `ES384` with a P-384 key) with the
    /// issuer's public key in PEM (`BEGIN PUBLIC KEY`).
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::{Algorithm, JwtAuth};
    ///
    /// const PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
    /// MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9zAjxdqqGw+OL61+/051mef9lQTi
    /// wLkXiQomWdfqs6fHhTxkSU3yVTKosw+bVRX/CmXP8a65v4aawO9bvb4HHQ==
    /// -----END PUBLIC KEY-----";
    ///
    /// let auth = JwtAuth::ec_pem(Algorithm::ES256, PUBLIC).unwrap();
    /// # let _ = auth;
    /// assert!(JwtAuth::ec_pem(Algorithm::ES384, PUBLIC).is_err()); // a P-256 key
    /// ```
    pub fn ec_pem(alg: Algorithm, pem: impl AsRef<[u8]>) -> Result<Self, JwtConfigError> {
        Self::build(
            alg,
            DecodingKey::from_ec_pem(pem.as_ref()).map_err(invalid_key)?,
            false,
        )
    }

    #[cfg(feature = "jwt-asymmetric")]
    #[cfg_attr(docsrs, doc(cfg(feature = "jwt-asymmetric")))]
    /// `EdDSA` (Ed25519) with the issuer's public key in PEM (`BEGIN PUBLIC KEY`).
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::JwtAuth;
    ///
    /// const PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
    /// MCowBQYDK2VwAyEA8wx5FBGNXmszZziAbrui1wOxLGz74TydJo57Y+zAApk=
    /// -----END PUBLIC KEY-----";
    ///
    /// let auth = JwtAuth::ed_pem(PUBLIC).unwrap();
    /// # let _ = auth;
    /// ```
    pub fn ed_pem(pem: impl AsRef<[u8]>) -> Result<Self, JwtConfigError> {
        Self::build(
            Algorithm::EdDSA,
            DecodingKey::from_ed_pem(pem.as_ref()).map_err(invalid_key)?,
            false,
        )
    }

    /// Any algorithm with a [`DecodingKey`] built another way (DER, JWK, RSA components). The
    /// same checks apply: the key must fit the algorithm and an HMAC secret must be at least
    /// as long as the hash output.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::{Algorithm, DecodingKey, JwtAuth};
    ///
    /// let b64 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    /// let key = DecodingKey::from_base64_secret(b64).unwrap();
    /// let auth = JwtAuth::new(Algorithm::HS256, key).unwrap();
    /// # let _ = auth;
    /// ```
    pub fn new(alg: Algorithm, key: DecodingKey) -> Result<Self, JwtConfigError> {
        Self::build(alg, key, false)
    }

    pub(super) fn build(
        alg: Algorithm,
        key: DecodingKey,
        allow_short: bool,
    ) -> Result<Self, JwtConfigError> {
        super::crypto::check(alg)?;
        if key.family() != alg.family() {
            return Err(JwtConfigError::KeyMismatch {
                alg,
                key: key.family(),
            });
        }
        let len = key.try_get_as_bytes().map_or(usize::MAX, <[u8]>::len);
        match key.family() {
            AlgorithmFamily::Hmac if len < min_secret_len(alg) && !allow_short => {
                return Err(JwtConfigError::ShortSecret {
                    alg,
                    len,
                    min: min_secret_len(alg),
                });
            }
            // jsonwebtoken slices the first 32 bytes of an Ed25519 key without checking.
            AlgorithmFamily::Ed if len < 32 => {
                return Err(JwtConfigError::InvalidKey(
                    "an Ed25519 public key has 32 bytes".into(),
                ));
            }
            _ => {}
        }
        // Builds the verifier once, so a key the algorithm cannot use fails here.
        jsonwebtoken::crypto::verify("", b"", &key, alg).map_err(invalid_key)?;

        let core = JwtCore {
            alg,
            fast: FastHmac::new(alg, &key),
            key,
            validation: signature_only(alg),
            header: header::AUTHORIZATION,
            auth_scheme: "Bearer".to_owned(),
            scheme_name: HEADER_SCHEME_NAME.to_owned(),
            rules: ClaimRules::default(),
            accept_refresh: false,
            cookie: None,
            fallbacks: Vec::new(),
            ring: Vec::new(),
        };
        Ok(Self {
            core,
            loader: NoLoader,
            revocation: NoBlocklist,
        })
    }
}

/// `jsonwebtoken`'s checks of the signature and algorithm only: every claim rule lives in
/// [`ClaimRules`].
pub(super) fn signature_only(alg: Algorithm) -> Validation {
    let mut validation = Validation::new(alg);
    validation.required_spec_claims.clear();
    validation.leeway = 0;
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation
}

/// The default scheme name of a header JWT, the reference's.
const HEADER_SCHEME_NAME: &str = "jwt";
/// The default scheme name of a cookie JWT (the reference's is `jwt` too).
const COOKIE_SCHEME_NAME: &str = "jwt_cookie";

impl<L, B> JwtAuth<L, B> {
    /// Reads the token from the `access_token` cookie instead of a header, with Django's CSRF
    /// check ([`CsrfConfig::new`]) on unsafe methods, as the reference's cookie JWT does:
    ///
    /// 1. no cookie, or an empty one: skip (a header auth later in the chain can run);
    /// 2. otherwise the CSRF check runs first, before the token is looked at: a failure is a
    ///    403 `CSRF Failed: <reason>` that stops the chain (a garbage cookie on a `POST`
    ///    without a CSRF token is a 403, never a decode error);
    /// 3. the cookie's value is the raw token (no `Bearer` word), checked as in a header.
    ///
    /// Documented as an `apiKey` scheme in a cookie, named `jwt_cookie` unless
    /// [`scheme_name`](Self::scheme_name) gives another name, so that it and a header JWT
    /// (`jwt`) can share a chain (the reference's recommended "cookie, then header"); it adds
    /// 403 to the operation's responses and sends no `WWW-Authenticate` challenge.
    ///
    /// ```
    /// use actix_web::test::TestRequest;
    /// use actix_web::cookie::Cookie;
    /// use dmr_runtime::auth::{AuthRequest, InlineAuth};
    /// use dmr_runtime::backends::jwt::JwtAuth;
    ///
    /// let auth = JwtAuth::hs256("0123456789abcdef0123456789abcdef").unwrap().from_cookie();
    /// let garbage = TestRequest::post().cookie(Cookie::new("access_token", "x")).to_http_request();
    /// let err = auth.authenticate_inline(&AuthRequest::live(&garbage)).unwrap_err();
    /// assert_eq!(err.status().as_u16(), 403); // CSRF first
    /// let empty = TestRequest::post().cookie(Cookie::new("access_token", "")).to_http_request();
    /// assert!(auth.authenticate_inline(&AuthRequest::live(&empty)).unwrap().is_none()); // skip
    /// ```
    pub fn from_cookie(mut self) -> Self {
        if self.core.cookie.is_none() {
            self.core.cookie = Some(CookieSource::new("access_token", CsrfConfig::new()));
            if self.core.scheme_name == HEADER_SCHEME_NAME {
                COOKIE_SCHEME_NAME.clone_into(&mut self.core.scheme_name);
            }
        }
        self
    }

    /// The cookie the token is read from (default `access_token`); turns the cookie transport
    /// on ([`from_cookie`](Self::from_cookie)).
    pub fn cookie_name(self, name: impl Into<String>) -> Self {
        let mut this = self.from_cookie();
        if let Some(c) = &mut this.core.cookie {
            c.name = name.into();
        }
        this
    }

    /// The CSRF settings of the cookie transport (default [`CsrfConfig::new`]); turns the
    /// cookie transport on ([`from_cookie`](Self::from_cookie)). Logs a warning if
    /// enforcement is off.
    pub fn csrf(self, csrf: CsrfConfig) -> Self {
        csrf.warn_if_not_enforced();
        let mut this = self.from_cookie();
        if let Some(c) = &mut this.core.cookie {
            c.csrf = csrf;
        }
        this
    }

    /// Reads the token from another header (default `Authorization`). Any other header is
    /// documented as an `apiKey` scheme and sends no `WWW-Authenticate` challenge.
    ///
    /// # Panics
    ///
    /// If `name` is not a valid header name (a programming error, found at startup).
    pub fn header(mut self, name: &str) -> Self {
        self.core.header =
            HeaderName::try_from(name).expect("`JwtAuth::header` needs a valid header name");
        self
    }

    /// The word before the token (default `Bearer`), compared case-sensitively: `bearer x`
    /// is not ours and skips.
    ///
    /// # Panics
    ///
    /// If `word` is empty or is not a single word of visible ASCII (a programming error).
    pub fn auth_scheme(mut self, word: impl Into<String>) -> Self {
        let word = word.into();
        assert!(
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_graphic()),
            "`JwtAuth::auth_scheme` needs a single word of visible ascii"
        );
        self.core.auth_scheme = word;
        self
    }

    /// The OpenAPI security scheme name (default `jwt`, `jwt_cookie` for the cookie
    /// transport).
    pub fn scheme_name(mut self, name: impl Into<String>) -> Self {
        self.core.scheme_name = name.into();
        self
    }

    /// Seconds of clock skew allowed for `exp`, `nbf` and `iat` (default 0).
    pub fn leeway(mut self, secs: u64) -> Self {
        self.core.rules.leeway = i64::try_from(secs).unwrap_or(i64::MAX);
        self
    }

    /// Checks `aud`: the token must carry an audience and at least one must be in this list.
    /// An empty list (the default) ignores `aud`.
    ///
    /// Call it before [`strict_audience`](Self::strict_audience), which checks there is
    /// exactly one; if strict mode is on and the list no longer has exactly one entry, every
    /// token is refused.
    pub fn accepted_audiences<I, S>(mut self, audiences: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.core.rules.audiences = audiences.into_iter().map(Into::into).collect();
        self
    }

    /// Checks `iss`: the token must carry an issuer from this list. An empty list (the
    /// default) ignores `iss`.
    pub fn accepted_issuers<I, S>(mut self, issuers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.core.rules.issuers = issuers.into_iter().map(Into::into).collect();
        self
    }

    /// Strict audience (default off): the token's `aud` must be exactly the single accepted
    /// audience, as a string (a one-element list does not match).
    ///
    /// Fails unless exactly one audience is accepted, where the reference answers every
    /// request with a 500 (quirk 5).
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::JwtAuth;
    ///
    /// let secret = "0123456789abcdef0123456789abcdef";
    /// let one = JwtAuth::hs256(secret).unwrap().accepted_audiences(["api"]);
    /// assert!(one.strict_audience(true).is_ok());
    /// let two = JwtAuth::hs256(secret).unwrap().accepted_audiences(["a", "b"]);
    /// assert!(two.strict_audience(true).is_err());
    /// ```
    pub fn strict_audience(mut self, strict: bool) -> Result<Self, JwtConfigError> {
        let count = self.core.rules.audiences.len();
        if strict && count != 1 {
            return Err(JwtConfigError::StrictAudience { count });
        }
        self.core.rules.strict_audience = strict;
        Ok(self)
    }

    /// Claims that must be present and not `null` (`jti` with a blocklist, `iss`, ..).
    pub fn require_claims<I, S>(mut self, claims: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.core.rules.require_claims = claims.into_iter().map(Into::into).collect();
        self
    }

    /// Whether an expired token is refused (default on). `exp` must be present either way.
    pub fn verify_exp(mut self, on: bool) -> Self {
        self.core.rules.verify_exp = on;
        self
    }

    /// Whether a token issued in the future (beyond the leeway) is refused (default on).
    /// `iat` must be present either way.
    pub fn verify_iat(mut self, on: bool) -> Self {
        self.core.rules.verify_iat = on;
        self
    }

    /// Whether a `jti` must be a string (default on). Off, a numeric `jti` is kept as its
    /// decimal text and `null` as absent.
    pub fn verify_jti(mut self, on: bool) -> Self {
        self.core.rules.verify_jti = on;
        self
    }

    /// Whether an `nbf` (not before) in the future beyond the leeway is refused (default on).
    pub fn verify_nbf(mut self, on: bool) -> Self {
        self.core.rules.verify_nbf = on;
        self
    }

    /// Whether `sub` must be a string (default on). Off, a numeric `sub` is kept as its
    /// decimal text. `sub` must be present and non-empty either way.
    pub fn verify_sub(mut self, on: bool) -> Self {
        self.core.rules.verify_sub = on;
        self
    }

    /// Whether a refresh token (`extras.type == "refresh"`) is accepted where an access token
    /// is expected (default off: refused with a 401). The reference accepts them (quirk 6).
    pub fn accept_refresh_tokens(mut self, on: bool) -> Self {
        self.core.accept_refresh = on;
        self
    }

    /// The algorithm this auth accepts.
    pub fn algorithm(&self) -> Algorithm {
        self.core.alg
    }
}
