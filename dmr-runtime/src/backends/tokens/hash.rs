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
/// The derived key is computed once; the secret itself is not kept, and `Debug` shows neither.
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
    salt: String,
    algorithm: TokenAlgorithm,
    key: Vec<u8>,
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
            salt: DEFAULT_SALT.to_owned(),
            algorithm: TokenAlgorithm::Sha256,
            key: Vec::new(),
        };
        hasher.derive();
        hasher
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
        self.key = match self.algorithm {
            TokenAlgorithm::Sha256 => sha2::Sha256::new()
                .chain_update(self.salt.as_bytes())
                .chain_update(&self.secret)
                .finalize()
                .to_vec(),
            TokenAlgorithm::Sha512 => sha2::Sha512::new()
                .chain_update(self.salt.as_bytes())
                .chain_update(&self.secret)
                .finalize()
                .to_vec(),
        };
    }

    /// The stored form of `raw`: the salted HMAC as lowercase hex.
    pub fn hash(&self, raw: &str) -> String {
        let digest =
            match self.algorithm {
                TokenAlgorithm::Sha256 => hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.key)
                    .map(|m| {
                        m.chain_update(raw.as_bytes())
                            .finalize()
                            .into_bytes()
                            .to_vec()
                    }),
                TokenAlgorithm::Sha512 => hmac::Hmac::<sha2::Sha512>::new_from_slice(&self.key)
                    .map(|m| {
                        m.chain_update(raw.as_bytes())
                            .finalize()
                            .into_bytes()
                            .to_vec()
                    }),
            }
            // HMAC takes keys of any length
            .unwrap_or_default();
        lower_hex(&digest)
    }
}

fn lower_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    hex
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
