//! How raw tokens are made and hashed: random bytes from the OS as URL-safe base64, and
//! Django's `salted_hmac` of the raw token as the stored value.

use base64::Engine as _;
use hmac::{KeyInit as _, Mac as _};
use sha2::Digest as _;

/// The reference's default salt (`token_salt`).
pub const DEFAULT_SALT: &str = "dmr.security.token";

/// The reference's default raw token size in bytes (43 characters once encoded).
pub const DEFAULT_TOKEN_SIZE: usize = 32;

/// Raw tokens shorter than this many random bytes are refused when issuing (guessable).
pub const MIN_TOKEN_SIZE: usize = 16;

/// The digest of the salted HMAC (`token_algorithm`): `sha256` (64 hex characters, the
/// default) or `sha512` (128).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenAlgorithm {
    /// HMAC-SHA-256 under a SHA-256 derived key.
    #[default]
    Sha256,
    /// HMAC-SHA-512 under a SHA-512 derived key.
    Sha512,
}

impl TokenAlgorithm {
    /// The name Django's `salted_hmac` takes (`"sha256"`, `"sha512"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha512 => "sha512",
        }
    }
}

/// Hashes raw tokens exactly as django-modern-rest stores them: Django's
/// `salted_hmac(salt, raw, secret=secret, algorithm=..).hexdigest()`, that is
/// `HMAC-H(key = H(salt || secret), raw)` in lowercase hex. A token table written by a Django
/// deployment of the reference verifies the same tokens here, given the same secret
/// (Django's `SECRET_KEY` by default there), salt and algorithm.
///
/// The derived key is computed and the HMAC keyed with it once, when the hasher is configured:
/// hashing a presented token clones the keyed state. `Debug` shows neither key nor secret.
///
/// Rotation ([`fallback_secrets`](Self::fallback_secrets)): new tokens are hashed with the
/// current secret; a presented token is looked up by its hash under the current secret and
/// under each fallback secret at once ([`TokenStore::find_by_any_hash`](super::TokenStore::find_by_any_hash):
/// one round trip on the built-in stores), so each fallback costs one HMAC per request.
///
/// ```
/// use dmr_runtime::backends::tokens::{TokenAlgorithm, TokenHasher};
///
/// let hasher = TokenHasher::new("django-secret-key");
/// assert_eq!(hasher.hash("raw-token").len(), 64);
/// let long = TokenHasher::new("django-secret-key").algorithm(TokenAlgorithm::Sha512);
/// assert_eq!(long.hash("raw-token").len(), 128);
/// assert_ne!(hasher.hash("raw-token"), TokenHasher::new("other").hash("raw-token"));
/// ```
#[derive(Clone)]
pub struct TokenHasher {
    secret: Vec<u8>,
    fallback_secrets: Vec<Vec<u8>>,
    salt: String,
    algorithm: TokenAlgorithm,
    /// The keyed HMAC of the current secret, then of each fallback secret.
    keyed: Vec<Keyed>,
}

/// An HMAC keyed with a derived key, cloned for each hash.
#[derive(Clone)]
enum Keyed {
    Sha256(hmac::Hmac<sha2::Sha256>),
    Sha512(hmac::Hmac<sha2::Sha512>),
}

impl Keyed {
    /// Keyed with `H(salt || secret)`.
    fn new(algorithm: TokenAlgorithm, salt: &str, secret: &[u8]) -> Self {
        let key = derive_key(algorithm, salt, secret);
        // HMAC takes keys of any length
        let keyed = match algorithm {
            TokenAlgorithm::Sha256 => hmac::Hmac::new_from_slice(&key).map(Self::Sha256),
            TokenAlgorithm::Sha512 => hmac::Hmac::new_from_slice(&key).map(Self::Sha512),
        };
        keyed.expect("HMAC takes keys of any length")
    }

    /// `HMAC-H(key, raw)` as lowercase hex.
    fn hex(&self, raw: &str) -> String {
        match self {
            Self::Sha256(mac) => lower_hex(&mac.clone().chain_update(raw).finalize().into_bytes()),
            Self::Sha512(mac) => lower_hex(&mac.clone().chain_update(raw).finalize().into_bytes()),
        }
    }
}

impl std::fmt::Debug for TokenHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenHasher")
            .field("salt", &self.salt)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl TokenHasher {
    /// Hashes with `secret`, the default salt `dmr.security.token` and SHA-256.
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        let mut hasher = Self {
            secret: secret.as_ref().to_vec(),
            fallback_secrets: Vec::new(),
            salt: DEFAULT_SALT.to_owned(),
            algorithm: TokenAlgorithm::Sha256,
            keyed: Vec::new(),
        };
        hasher.derive();
        hasher
    }

    /// Previous secrets whose tokens still authenticate (the reference framework's
    /// `SECRET_KEY_FALLBACKS`), tried in order after the current secret; new tokens are hashed
    /// with the current one only. Rotation: make the new secret current and the old one a
    /// fallback; drop it once its tokens may go, and they are refused from then on.
    ///
    /// ```
    /// use dmr_runtime::backends::tokens::TokenHasher;
    ///
    /// let old = TokenHasher::new("old secret");
    /// let rotated = TokenHasher::new("new secret").fallback_secrets(["old secret"]);
    /// let hashes: Vec<String> = rotated.hashes("raw-token").collect();
    /// assert_eq!(hashes.len(), 2);
    /// assert_eq!(hashes[1], old.hash("raw-token")); // the old row is still found
    /// assert_eq!(rotated.hash("raw-token"), hashes[0]); // new rows: the new secret
    /// ```
    pub fn fallback_secrets<I, S>(mut self, secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        self.fallback_secrets = secrets.into_iter().map(|s| s.as_ref().to_vec()).collect();
        self.derive();
        self
    }

    /// Another salt (`token_salt`).
    pub fn salt(mut self, salt: impl Into<String>) -> Self {
        self.salt = salt.into();
        self.derive();
        self
    }

    /// Another digest (`token_algorithm`).
    pub fn algorithm(mut self, algorithm: TokenAlgorithm) -> Self {
        self.algorithm = algorithm;
        self.derive();
        self
    }

    /// The digest in use.
    pub fn get_algorithm(&self) -> TokenAlgorithm {
        self.algorithm
    }

    fn derive(&mut self) {
        self.keyed = std::iter::once(&self.secret)
            .chain(&self.fallback_secrets)
            .map(|secret| Keyed::new(self.algorithm, &self.salt, secret))
            .collect();
    }

    /// The stored form of `raw`: the salted HMAC as lowercase hex.
    pub fn hash(&self, raw: &str) -> String {
        self.keyed[0].hex(raw)
    }

    /// The forms `raw` may be stored in: its hash under the current secret, then under each
    /// fallback secret, each computed when the previous one was not found.
    pub fn hashes<'h>(&'h self, raw: &'h str) -> impl Iterator<Item = String> + 'h {
        self.keyed.iter().map(move |keyed| keyed.hex(raw))
    }
}

/// Django's `salted_hmac` key: `H(salt || secret)`.
fn derive_key(algorithm: TokenAlgorithm, salt: &str, secret: &[u8]) -> Vec<u8> {
    match algorithm {
        TokenAlgorithm::Sha256 => sha2::Sha256::new()
            .chain_update(salt.as_bytes())
            .chain_update(secret)
            .finalize()
            .to_vec(),
        TokenAlgorithm::Sha512 => sha2::Sha512::new()
            .chain_update(salt.as_bytes())
            .chain_update(secret)
            .finalize()
            .to_vec(),
    }
}

fn lower_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // two bytes per input byte, then one check of the whole (ASCII) buffer: cheaper than a
    // `char` push (with its capacity check and UTF-8 encoding) per digit
    let mut hex = vec![0; bytes.len() * 2];
    for (pair, b) in hex.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 0xf)];
    }
    String::from_utf8(hex).unwrap_or_default()
}

/// A new raw token: `size` bytes from the OS's CSPRNG as URL-safe base64 without padding
/// (32 bytes -> 43 characters, 24 -> 32, 20 -> 27, 64 -> 86), as the reference makes them.
///
/// ```
/// use dmr_runtime::backends::tokens::generate_raw_token;
///
/// let raw = generate_raw_token(32).unwrap();
/// assert_eq!(raw.len(), 43);
/// assert!(raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
/// assert_ne!(raw, generate_raw_token(32).unwrap());
/// ```
pub fn generate_raw_token(size: usize) -> Result<String, getrandom::Error> {
    let mut bytes = vec![0u8; size];
    getrandom::fill(&mut bytes)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// A token name: 32 lowercase hex characters of fresh randomness (the reference's
/// `uuid4().hex` has the same shape).
pub(crate) fn generate_name() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(lower_hex(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_the_reference() {
        for (size, len) in [(32, 43), (24, 32), (20, 27), (64, 86)] {
            assert_eq!(generate_raw_token(size).unwrap().len(), len);
        }
    }

    #[test]
    fn names_are_32_hex() {
        let n = generate_name().unwrap();
        assert_eq!(n.len(), 32);
        assert!(
            n.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }

    #[test]
    fn salt_and_algorithm_change_the_hash() {
        let base = TokenHasher::new("s");
        assert_ne!(base.hash("t"), base.clone().salt("x").hash("t"));
        assert_ne!(
            base.hash("t"),
            base.clone().algorithm(TokenAlgorithm::Sha512).hash("t")[..64]
        );
    }
}
