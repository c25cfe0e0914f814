//! Our own signing keys, rotating: one current key that signs (every token names it by `kid`)
//! and the previous keys whose tokens still verify, published as a JWKS document that holds
//! only public halves.
//!
//! Rotation: make a new key current and [`retire`](KeyRing::retire) the old one into the
//! ring; remove it once the longest token it signed has expired. Verifiers reading the JWKS
//! ([`OidcConfig::jwks`](crate::backends::oidc::OidcConfig::jwks) with the `oidc` feature)
//! pick the key by `kid`, so no token is refused during a rotation.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};

use super::error::JwtConfigError;
use super::token::{JwtError, JwtToken};

/// A private key that signs, with its `kid` and algorithm (RS256..RS512, PS256..PS512,
/// ES256/ES384 or EdDSA).
#[derive(Clone)]
pub struct SigningKey {
    public: PublicKey,
    key: EncodingKey,
}

/// The public half of a ring key: what verifies its tokens, and its JWK.
#[derive(Clone)]
pub(super) struct PublicKey {
    pub(super) kid: Box<str>,
    pub(super) alg: Algorithm,
    pub(super) key: DecodingKey,
    /// The JWK (`kid`, `alg`, `use: sig`; no private member).
    jwk: serde_json::Value,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.public.kid)
            .field("alg", &self.public.alg)
            .finish_non_exhaustive()
    }
}

// (a signing key is built from PEM, with `jwt-asymmetric`)
#[cfg_attr(not(feature = "jwt-asymmetric"), allow(dead_code))]
fn invalid(err: impl std::fmt::Display) -> JwtConfigError {
    JwtConfigError::InvalidKey(err.to_string())
}

impl SigningKey {
    #[cfg(feature = "jwt-asymmetric")]
    #[cfg_attr(docsrs, doc(cfg(feature = "jwt-asymmetric")))]
    /// An RSA private key in PEM for `alg` (`RS256`..`RS512`, `PS256`..`PS512`).
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::{Algorithm, SigningKey};
    ///
    /// let pem = include_str!("../../../../tests/keys/rsa_private.pem");
    /// let key = SigningKey::rsa_pem("2026-12", Algorithm::RS256, pem).unwrap();
    /// assert_eq!(key.kid(), "2026-12");
    /// assert!(SigningKey::rsa_pem("k", Algorithm::ES256, pem).is_err());
    /// ```
    pub fn rsa_pem(
        kid: impl Into<String>,
        alg: Algorithm,
        pem: impl AsRef<[u8]>,
    ) -> Result<Self, JwtConfigError> {
        Self::from_pem(kid, alg, pem.as_ref(), EncodingKey::from_rsa_pem)
    }

    #[cfg(feature = "jwt-asymmetric")]
    #[cfg_attr(docsrs, doc(cfg(feature = "jwt-asymmetric")))]
    /// An EC private key in PEM (PKCS#8) for `ES256` (P-256) or `ES384` (P-384).
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::{Algorithm, SigningKey};
    ///
    /// let rsa = include_str!("../../../../tests/keys/rsa_private.pem");
    /// assert!(SigningKey::ec_pem("k", Algorithm::ES256, rsa).is_err()); // not an EC key
    /// ```
    pub fn ec_pem(
        kid: impl Into<String>,
        alg: Algorithm,
        pem: impl AsRef<[u8]>,
    ) -> Result<Self, JwtConfigError> {
        Self::from_pem(kid, alg, pem.as_ref(), EncodingKey::from_ec_pem)
    }

    #[cfg(feature = "jwt-asymmetric")]
    #[cfg_attr(docsrs, doc(cfg(feature = "jwt-asymmetric")))]
    /// An Ed25519 private key in PEM (PKCS#8) for `EdDSA`.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::SigningKey;
    ///
    /// let pem = include_str!("../../../../tests/keys/ed_private.pem");
    /// let key = SigningKey::ed_pem("ed-1", pem).unwrap();
    /// assert_eq!(key.public_jwk()["crv"], "Ed25519");
    /// assert!(key.public_jwk().get("d").is_none()); // never the private part
    /// ```
    pub fn ed_pem(kid: impl Into<String>, pem: impl AsRef<[u8]>) -> Result<Self, JwtConfigError> {
        Self::from_pem(
            kid,
            Algorithm::EdDSA,
            pem.as_ref(),
            EncodingKey::from_ed_pem,
        )
    }

    #[cfg(feature = "jwt-asymmetric")]
    /// A key read from `pem` by `read` (one of `EncodingKey`'s PEM readers).
    fn from_pem(
        kid: impl Into<String>,
        alg: Algorithm,
        pem: &[u8],
        read: fn(&[u8]) -> jsonwebtoken::errors::Result<EncodingKey>,
    ) -> Result<Self, JwtConfigError> {
        Self::new(kid, alg, read(pem).map_err(invalid)?)
    }

    #[cfg_attr(not(feature = "jwt-asymmetric"), allow(dead_code))]
    fn new(
        kid: impl Into<String>,
        alg: Algorithm,
        key: EncodingKey,
    ) -> Result<Self, JwtConfigError> {
        super::crypto::check(alg)?;
        if alg.family() == AlgorithmFamily::Hmac || key.family() != alg.family() {
            return Err(JwtConfigError::KeyMismatch {
                alg,
                key: key.family(),
            });
        }
        let kid: String = kid.into();
        let mut jwk = Jwk::from_encoding_key(&key, alg).map_err(invalid)?;
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        let verify = DecodingKey::from_jwk(&jwk).map_err(invalid)?;
        // the key must sign with `alg` (a P-384 key for ES256 fails here, not per token)
        jsonwebtoken::crypto::sign(b"probe", &key, alg).map_err(invalid)?;
        Ok(Self {
            public: PublicKey {
                kid: kid.into(),
                alg,
                key: verify,
                jwk: serde_json::to_value(&jwk).map_err(invalid)?,
            },
            key,
        })
    }

    /// The key's `kid`.
    pub fn kid(&self) -> &str {
        &self.public.kid
    }

    /// The key's algorithm.
    pub fn alg(&self) -> Algorithm {
        self.public.alg
    }

    /// The public half as a JWK.
    pub fn public_jwk(&self) -> &serde_json::Value {
        &self.public.jwk
    }

    /// The public half.
    pub(super) fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The private key, for `jsonwebtoken`.
    // (signs in the issuer, in the `session` feature)
    #[cfg_attr(
        not(all(feature = "jwt-asymmetric", feature = "session")),
        allow(dead_code)
    )]
    pub(in crate::backends::jwt) fn encoding_key(&self) -> &EncodingKey {
        &self.key
    }
}

/// The current signing key and the previous keys still published for verification.
///
/// Rotation: make a new key current and [`retire`](KeyRing::retire) the old one into the
/// ring; remove it once the longest token it signed has expired. Verifiers reading the JWKS
/// ([`OidcConfig::jwks`](crate::backends::oidc::OidcConfig::jwks) with the `oidc` feature)
/// pick the key by `kid`, so no token is refused during a rotation.
///
/// ```
/// # #[cfg(feature = "jwt-asymmetric")] { // (the example needs the `jwt-asymmetric` feature)
/// use std::time::Duration;
/// use dmr_runtime::backends::jwt::{Algorithm, JwtToken, KeyRing, SigningKey};
///
/// let old = SigningKey::rsa_pem("old", Algorithm::RS256, include_str!("../../../../tests/keys/rsa_private.pem")).unwrap();
/// let new = SigningKey::ed_pem("new", include_str!("../../../../tests/keys/ed_private.pem")).unwrap();
/// let ring = KeyRing::new(new).retire(old);
/// let jwt = ring.sign(&JwtToken::new("42", Duration::from_secs(60))).unwrap();
/// assert_eq!(jsonwebtoken::decode_header(&jwt).unwrap().kid.as_deref(), Some("new"));
/// let jwks: serde_json::Value = serde_json::from_str(ring.jwks_json()).unwrap();
/// assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct KeyRing {
    current: SigningKey,
    previous: Vec<PublicKey>,
    jwks: Arc<str>,
    max_age: u32,
}

impl KeyRing {
    /// A ring of one key.
    pub fn new(current: SigningKey) -> Self {
        let mut ring = Self {
            current,
            previous: Vec::new(),
            jwks: Arc::from(""),
            max_age: 300,
        };
        ring.render();
        ring
    }

    /// Keeps `previous`'s public half in the JWKS, so that its tokens still verify (its
    /// private half is dropped: it signs no more).
    pub fn retire(mut self, previous: SigningKey) -> Self {
        self.previous.push(previous.public);
        self.render();
        self
    }

    /// One rotation step: `next` becomes the current key and the current one is
    /// [retired](Self::retire) (its tokens still verify).
    ///
    /// ```
    /// # #[cfg(feature = "jwt-asymmetric")] { // (the example needs the `jwt-asymmetric` feature)
    /// use dmr_runtime::backends::jwt::{Algorithm, KeyRing, SigningKey};
    ///
    /// let rsa = SigningKey::rsa_pem("rsa-1", Algorithm::RS256, include_str!("../../../../tests/keys/rsa_private.pem")).unwrap();
    /// let ed = SigningKey::ed_pem("ed-2", include_str!("../../../../tests/keys/ed_private.pem")).unwrap();
    /// let ring = KeyRing::new(rsa).rotate(ed);
    /// assert_eq!(ring.current().kid(), "ed-2");
    /// assert_eq!(ring.kids().collect::<Vec<_>>(), ["ed-2", "rsa-1"]);
    /// # }
    /// ```
    pub fn rotate(mut self, next: SigningKey) -> Self {
        let old = std::mem::replace(&mut self.current, next);
        self.retire(old)
    }

    /// Drops the previous key `kid` (once the longest token it signed has expired): its
    /// tokens are refused from then on. The current key stays.
    ///
    /// ```
    /// # #[cfg(feature = "jwt-asymmetric")] { // (the example needs the `jwt-asymmetric` feature)
    /// use dmr_runtime::backends::jwt::{Algorithm, KeyRing, SigningKey};
    ///
    /// let rsa = SigningKey::rsa_pem("rsa-1", Algorithm::RS256, include_str!("../../../../tests/keys/rsa_private.pem")).unwrap();
    /// let ed = SigningKey::ed_pem("ed-2", include_str!("../../../../tests/keys/ed_private.pem")).unwrap();
    /// let ring = KeyRing::new(rsa).rotate(ed).remove("rsa-1").remove("ed-2");
    /// assert_eq!(ring.kids().collect::<Vec<_>>(), ["ed-2"]);
    /// # }
    /// ```
    pub fn remove(mut self, kid: &str) -> Self {
        self.previous.retain(|key| &*key.kid != kid);
        self.render();
        self
    }

    /// The `kid`s of the keys that verify, current first.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.verification_keys().map(|key| &*key.kid)
    }

    /// The keys that verify: the current key's public half, then the previous keys.
    pub(super) fn verification_keys(&self) -> impl Iterator<Item = &PublicKey> {
        std::iter::once(&self.current.public).chain(&self.previous)
    }

    /// The `Cache-Control: max-age` of the JWKS document (default 300 s): how long a
    /// verifier may wait before it sees a new key without a token naming it.
    pub fn max_age(mut self, seconds: u32) -> Self {
        self.max_age = seconds;
        self
    }

    fn render(&mut self) {
        let keys: Vec<&serde_json::Value> = self.verification_keys().map(|k| &k.jwk).collect();
        self.jwks = Arc::from(serde_json::json!({ "keys": keys }).to_string());
    }

    /// The current key.
    pub fn current(&self) -> &SigningKey {
        &self.current
    }

    /// Signs `token` with the current key, its `kid` in the header.
    pub fn sign(&self, token: &JwtToken) -> Result<String, JwtError> {
        let mut headers = serde_json::Map::new();
        headers.insert("kid".into(), self.current.kid().into());
        token.encode_with_headers(&self.current.key, self.current.alg(), &headers)
    }

    /// The JWKS document: the public halves, current key first.
    pub fn jwks_json(&self) -> &str {
        &self.jwks
    }

    /// Mounts the JWKS document at `path` (conventionally `/.well-known/jwks.json`):
    /// `GET` answers `200` `application/jwk-set+json` with `Cache-Control: public,
    /// max-age=<max_age>`. For `App::configure`.
    ///
    /// ```
    /// # #[cfg(feature = "jwt-asymmetric")] { // (the example needs the `jwt-asymmetric` feature)
    /// use actix_web::{App, test};
    /// use dmr_runtime::backends::jwt::{KeyRing, SigningKey};
    ///
    /// # actix_web::rt::System::new().block_on(async {
    /// let key = SigningKey::ed_pem("ed-1", include_str!("../../../../tests/keys/ed_private.pem")).unwrap();
    /// let ring = KeyRing::new(key);
    /// let app = test::init_service(App::new().configure(ring.serve("/.well-known/jwks.json"))).await;
    /// let resp = test::call_service(&app, test::TestRequest::get().uri("/.well-known/jwks.json").to_request()).await;
    /// assert_eq!(resp.headers().get("cache-control").unwrap(), "public, max-age=300");
    /// # });
    /// # }
    /// ```
    pub fn serve(&self, path: &str) -> impl FnOnce(&mut web::ServiceConfig) + Clone + use<> {
        let body = self.jwks.clone();
        let cache = format!("public, max-age={}", self.max_age);
        let path = path.to_owned();
        move |cfg: &mut web::ServiceConfig| {
            cfg.route(
                &path,
                web::get().to(move || {
                    let body = body.clone();
                    let cache = cache.clone();
                    async move {
                        HttpResponse::Ok()
                            .content_type("application/jwk-set+json")
                            .insert_header((header::CACHE_CONTROL, cache))
                            .body(body.to_string())
                    }
                }),
            );
        }
    }
}
