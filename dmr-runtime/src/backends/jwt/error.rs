//! What can be wrong with a [`JwtAuth`](super::JwtAuth) configuration.

use std::fmt;

use jsonwebtoken::{Algorithm, AlgorithmFamily};

/// Why a [`JwtAuth`](super::JwtAuth) cannot be built. It is reported when the API is built
/// (an `auth = [..]` entry may be a `Result`), never per request.
///
/// ```
/// use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError};
///
/// let err = JwtAuth::hs256("short").unwrap_err();
/// assert!(matches!(err, JwtConfigError::ShortSecret { len: 5, min: 32, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwtConfigError {
    /// An HMAC secret shorter than the hash output (32, 48, 64 bytes for HS256, HS384,
    /// HS512). See
    /// [`JwtAuth::hmac_allow_short_secret`](super::JwtAuth::hmac_allow_short_secret).
    ShortSecret {
        /// The algorithm.
        alg: Algorithm,
        /// The secret's length in bytes.
        len: usize,
        /// The minimum length in bytes.
        min: usize,
    },
    /// The key belongs to another algorithm family than the configured algorithm.
    KeyMismatch {
        /// The configured algorithm.
        alg: Algorithm,
        /// The family of the key.
        key: AlgorithmFamily,
    },
    /// The key cannot be read, or cannot verify the configured algorithm.
    InvalidKey(String),
    /// `strict_audience(true)` needs exactly one accepted audience.
    StrictAudience {
        /// How many accepted audiences are configured.
        count: usize,
    },
    /// [`JwtIssuer::rotate_refresh_tokens`](super::JwtIssuer::rotate_refresh_tokens) without
    /// a blocklist: rotated refresh tokens would stay valid.
    RotationWithoutBlocklist,
    /// `jsonwebtoken` has no crypto provider (its `rust_crypto` and `aws_lc_rs` features are
    /// both on or both off, and none was installed).
    NoCryptoProvider,
    /// An RSA, ECDSA or EdDSA algorithm in a build without dmr-runtime's `jwt-asymmetric`
    /// feature (only the HMAC algorithms are compiled in).
    AsymmetricDisabled {
        /// The algorithm configured.
        alg: Algorithm,
    },
}

impl fmt::Display for JwtConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ShortSecret { alg, len, min } => write!(
                f,
                "the {alg:?} secret is {len} bytes long, shorter than the {min} bytes of its \
                 hash; use a longer random secret"
            ),
            Self::KeyMismatch { alg, key } => {
                write!(f, "a {key:?} key cannot verify {alg:?} tokens")
            }
            Self::InvalidKey(why) => write!(f, "invalid jwt key: {why}"),
            Self::StrictAudience { count } => write!(
                f,
                "strict audience checking needs exactly one accepted audience, \
                 {count} are configured"
            ),
            Self::RotationWithoutBlocklist => f.write_str(
                "refresh rotation needs a blocklist to revoke rotated tokens: call \
                 `JwtIssuer::blocklist` before `rotate_refresh_tokens`",
            ),
            Self::NoCryptoProvider => f.write_str(
                "jsonwebtoken has no crypto provider: enable exactly one of its \
                 `rust_crypto` and `aws_lc_rs` features",
            ),
            Self::AsymmetricDisabled { alg } => write!(
                f,
                "the {alg:?} algorithm needs dmr-runtime's `jwt-asymmetric` feature (this build has the HMAC \
                 algorithms only): add `features = [\"jwt-asymmetric\"]` to dmr-runtime in \
                 Cargo.toml, or use HS256"
            ),
        }
    }
}

impl std::error::Error for JwtConfigError {}
