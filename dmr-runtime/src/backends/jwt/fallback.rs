//! Rotating an HMAC secret without logging anybody out: previous secrets that still verify
//! (the reference framework's `SECRET_KEY_FALLBACKS`), while the configured one alone signs.

use jsonwebtoken::{AlgorithmFamily, DecodingKey};

use super::JwtAuth;
use super::core::Fallback;
use super::decode::FastHmac;
use super::error::JwtConfigError;

impl<L, B> JwtAuth<L, B> {
    /// Previous HMAC secrets that still verify tokens (tried in order after the configured
    /// secret fails the signature); each at least as long as the hash output. Rotation: make
    /// the new secret the configured one and the old one a fallback; drop the fallback once
    /// its longest token has expired, and what it signed is refused from then on.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
    ///
    /// let old = "0123456789abcdef0123456789abcdef";
    /// let new = "fedcba9876543210fedcba9876543210";
    /// let jwt = JwtToken::new("42", Duration::from_secs(60)).encode_hs256(old).unwrap();
    /// assert!(JwtAuth::hs256(new).unwrap().decode(&jwt).is_err());
    /// let rotated = JwtAuth::hs256(new).unwrap().fallback_secrets([old]).unwrap();
    /// assert_eq!(rotated.decode(&jwt).unwrap().sub, "42");
    /// assert!(JwtAuth::hs256(new).unwrap().fallback_secrets(["short"]).is_err());
    /// ```
    pub fn fallback_secrets<I, S>(mut self, secrets: I) -> Result<Self, JwtConfigError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let alg = self.core.alg;
        if alg.family() != AlgorithmFamily::Hmac {
            return Err(JwtConfigError::KeyMismatch {
                alg,
                key: AlgorithmFamily::Hmac,
            });
        }
        for secret in secrets {
            let secret = secret.as_ref();
            let min = match alg {
                jsonwebtoken::Algorithm::HS384 => 48,
                jsonwebtoken::Algorithm::HS512 => 64,
                _ => 32,
            };
            if secret.len() < min {
                return Err(JwtConfigError::ShortSecret {
                    alg,
                    len: secret.len(),
                    min,
                });
            }
            let key = DecodingKey::from_secret(secret)
                .map_err(|e| JwtConfigError::InvalidKey(e.to_string()))?;
            self.core.fallbacks.push(Fallback {
                fast: FastHmac::new(alg, &key),
                key,
            });
        }
        Ok(self)
    }
}
