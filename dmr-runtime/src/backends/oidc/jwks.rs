//! A JWKS document read into the keys a token may be verified with.
//!
//! Each key is read on its own: one the verifier cannot use (encryption keys, symmetric
//! `oct` keys, an unknown `kty` or `alg`, `none` or an HMAC `alg`, a `key_ops` without
//! `verify`, a curve other than P-256, P-384 and Ed25519, malformed material) is left out, and
//! the others still serve. Only the document's shape is an error: not JSON, no `keys` array,
//! more than [`MAX_KEYS`] keys, or no usable key at all.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyOperations, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::token::algorithm;

/// The most keys a document may hold: providers publish a handful (current, next, previous).
pub const MAX_KEYS: usize = 64;

/// The kind of public key, which decides the algorithms it can verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA: `RS256`..`RS512`, `PS256`..`PS512`.
    Rsa,
    /// EC P-256: `ES256`.
    P256,
    /// EC P-384: `ES384`.
    P384,
    /// OKP Ed25519: `EdDSA`.
    Ed25519,
}

impl KeyKind {
    /// Whether a key of this kind verifies `alg`.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::Algorithm;
    /// use dmr_runtime::backends::oidc::KeyKind;
    ///
    /// assert!(KeyKind::Rsa.fits(Algorithm::PS384));
    /// assert!(!KeyKind::P256.fits(Algorithm::ES384));
    /// assert!(!KeyKind::Rsa.fits(Algorithm::HS256));
    /// ```
    pub fn fits(self, alg: Algorithm) -> bool {
        use Algorithm::*;
        matches!(
            (self, alg),
            (Self::Rsa, RS256 | RS384 | RS512 | PS256 | PS384 | PS512)
                | (Self::P256, ES256)
                | (Self::P384, ES384)
                | (Self::Ed25519, EdDSA)
        )
    }

    /// An algorithm this kind verifies (to check a key once when it is read).
    fn probe(self) -> Algorithm {
        match self {
            Self::Rsa => Algorithm::RS256,
            Self::P256 => Algorithm::ES256,
            Self::P384 => Algorithm::ES384,
            Self::Ed25519 => Algorithm::EdDSA,
        }
    }
}

/// One verification key of a [`KeySet`].
#[derive(Debug, Clone)]
pub struct Key {
    kid: Option<Box<str>>,
    alg: Option<Algorithm>,
    kind: KeyKind,
    key: DecodingKey,
}

impl Key {
    /// The key's `kid`, if it has one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The key's `alg`: when set, the only algorithm it verifies.
    pub fn alg(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The kind of key.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// The key for `jsonwebtoken`.
    pub fn decoding_key(&self) -> &DecodingKey {
        &self.key
    }

    /// Whether this key may verify a token signed with `alg`: its kind fits, and its `alg`,
    /// when it has one, is that algorithm.
    pub fn accepts(&self, alg: Algorithm) -> bool {
        self.kind.fits(alg) && self.alg.is_none_or(|own| own == alg)
    }
}

/// Why a JWKS document was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksError {
    /// Not a JSON object with a `keys` array.
    Malformed,
    /// More keys than [`MAX_KEYS`].
    TooManyKeys,
    /// Not one key the verifier can use.
    NoUsableKey,
}

impl std::fmt::Display for JwksError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Malformed => "the JWKS document is not a JSON object with a `keys` array",
            Self::TooManyKeys => "the JWKS document has more than 64 keys",
            Self::NoUsableKey => "the JWKS document has no signature key this verifier can use",
        })
    }
}

impl std::error::Error for JwksError {}

/// The usable verification keys of a JWKS document, looked up by `kid` without allocating.
///
/// ```
/// use dmr_runtime::backends::jwt::Algorithm;
/// use dmr_runtime::backends::oidc::KeySet;
///
/// let doc = br#"{"keys":[
///   {"kty":"OKP","crv":"Ed25519","kid":"ed1","x":"8wx5FBGNXmszZziAbrui1wOxLGz74TydJo57Y-zAApk"},
///   {"kty":"oct","kid":"secret","k":"c2VjcmV0"}
/// ]}"#;
/// let set = KeySet::parse(doc).unwrap();
/// assert_eq!(set.len(), 1); // the symmetric key is never used
/// assert!(set.find(Some("ed1"), Algorithm::EdDSA).is_some());
/// assert!(set.find(Some("ed1"), Algorithm::RS256).is_none());
/// assert!(set.find(Some("secret"), Algorithm::HS256).is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    keys: Vec<Key>,
}

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(borrow)]
    keys: Vec<&'a RawValue>,
}

impl KeySet {
    /// Reads a JWKS document, leaving out the keys that cannot be used (see the module docs).
    pub fn parse(body: &[u8]) -> Result<Self, JwksError> {
        let doc: Document<'_> = serde_json::from_slice(body).map_err(|_| JwksError::Malformed)?;
        if doc.keys.len() > MAX_KEYS {
            return Err(JwksError::TooManyKeys);
        }
        let keys: Vec<Key> = doc
            .keys
            .iter()
            .filter_map(|raw| read_key(raw.get()))
            .collect();
        if keys.is_empty() {
            return Err(JwksError::NoUsableKey);
        }
        Ok(Self { keys })
    }

    /// The key for a token with header `kid` and `alg`: the key with that `kid` that accepts
    /// `alg`; for a token without `kid`, the only key that accepts `alg` (none if several do).
    pub fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<&Key> {
        match kid {
            Some(kid) => self
                .keys
                .iter()
                .find(|k| k.kid.as_deref() == Some(kid) && k.accepts(alg)),
            None => {
                let mut fitting = self.keys.iter().filter(|k| k.accepts(alg));
                let first = fitting.next()?;
                fitting.next().is_none().then_some(first)
            }
        }
    }

    /// Whether a key with this `kid` is in the set (whatever its algorithm).
    pub fn has_kid(&self, kid: &str) -> bool {
        self.keys.iter().any(|k| k.kid.as_deref() == Some(kid))
    }

    /// The keys.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// How many keys the set holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// One key of the document, or `None` if the verifier cannot use it.
fn read_key(raw: &str) -> Option<Key> {
    let jwk: Jwk = serde_json::from_str(raw).ok()?;
    let common = &jwk.common;
    if matches!(
        common.public_key_use,
        Some(PublicKeyUse::Encryption | PublicKeyUse::Other(_))
    ) {
        return None;
    }
    if let Some(ops) = &common.key_operations
        && !ops.iter().any(|op| matches!(op, KeyOperations::Verify))
    {
        return None;
    }
    let kind = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => KeyKind::Rsa,
        AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
            EllipticCurve::P256 => KeyKind::P256,
            EllipticCurve::P384 => KeyKind::P384,
            _ => return None,
        },
        // jsonwebtoken slices the first 32 bytes of an Ed25519 key without checking (a
        // shorter `x` would panic): exactly 32 bytes or the key is left out
        AlgorithmParameters::OctetKeyPair(okp)
            if okp.curve == EllipticCurve::Ed25519
                && URL_SAFE_NO_PAD.decode(&okp.x).is_ok_and(|x| x.len() == 32) =>
        {
            KeyKind::Ed25519
        }
        _ => return None,
    };
    let alg = match common.key_algorithm {
        None => None,
        // `none`, HMAC and encryption algorithms are no signature key of a provider
        Some(alg) => Some(algorithm(&alg.to_string())?),
    };
    if alg.is_some_and(|alg| !kind.fits(alg)) {
        return None;
    }
    let key = DecodingKey::from_jwk(&jwk).ok()?;
    // Builds the verifier once: material the algorithm cannot use (a point off the curve, an
    // Ed25519 key of the wrong length) is left out here rather than failing every token.
    jsonwebtoken::crypto::verify("", b"", &key, alg.unwrap_or(kind.probe())).ok()?;
    Some(Key {
        kid: common.key_id.as_deref().map(Box::from),
        alg,
        kind,
        key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED: &str =
        r#"{"kty":"OKP","crv":"Ed25519","x":"8wx5FBGNXmszZziAbrui1wOxLGz74TydJo57Y-zAApk""#;

    fn one(extra: &str) -> Result<KeySet, JwksError> {
        KeySet::parse(format!(r#"{{"keys":[{ED}{extra}}}]}}"#).as_bytes())
    }

    #[test]
    fn keys_that_cannot_verify_are_left_out() {
        assert!(one(r#","use":"sig""#).is_ok());
        assert_eq!(one(r#","use":"enc""#).unwrap_err(), JwksError::NoUsableKey);
        assert_eq!(
            one(r#","alg":"RS256""#).unwrap_err(),
            JwksError::NoUsableKey
        );
        assert_eq!(
            one(r#","alg":"HS256""#).unwrap_err(),
            JwksError::NoUsableKey
        );
        assert_eq!(one(r#","alg":"none""#).unwrap_err(), JwksError::NoUsableKey);
        assert_eq!(
            one(r#","key_ops":["sign"]"#).unwrap_err(),
            JwksError::NoUsableKey
        );
        assert!(one(r#","key_ops":["verify"]"#).is_ok());
    }

    #[test]
    fn an_ed25519_key_of_the_wrong_length_is_left_out() {
        // found by the `jwks_parse` fuzz target: a short `x` panicked inside jsonwebtoken
        let short = br#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed1","use":"sig","x":"8wx5FBGNXmszZziAbrui1wOxLG57Y-zAApk"}]}"#;
        assert_eq!(KeySet::parse(short).unwrap_err(), JwksError::NoUsableKey);
        let long = format!(
            r#"{{"keys":[{{"kty":"OKP","crv":"Ed25519","x":"{}"}}]}}"#,
            "A".repeat(60)
        );
        assert_eq!(
            KeySet::parse(long.as_bytes()).unwrap_err(),
            JwksError::NoUsableKey
        );
    }

    #[test]
    fn documents_of_the_wrong_shape_are_refused() {
        assert_eq!(KeySet::parse(b"[]").unwrap_err(), JwksError::Malformed);
        assert_eq!(
            KeySet::parse(b"{\"keys\":{}}").unwrap_err(),
            JwksError::Malformed
        );
        let many = format!(r#"{{"keys":[{}]}}"#, vec!["{}"; MAX_KEYS + 1].join(","));
        assert_eq!(
            KeySet::parse(many.as_bytes()).unwrap_err(),
            JwksError::TooManyKeys
        );
    }

    #[test]
    fn a_token_without_kid_needs_exactly_one_fitting_key() {
        let doc = format!(r#"{{"keys":[{ED},"kid":"a"}},{ED},"kid":"b"}}]}}"#);
        let set = KeySet::parse(doc.as_bytes()).unwrap();
        assert!(set.find(None, Algorithm::EdDSA).is_none());
        assert_eq!(
            set.find(Some("b"), Algorithm::EdDSA).unwrap().kid(),
            Some("b")
        );
        let set = one("").unwrap();
        assert!(set.find(None, Algorithm::EdDSA).is_some());
    }
}
