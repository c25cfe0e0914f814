//! The cryptography `jsonwebtoken` signs and verifies with.
//!
//! With the `jwt-asymmetric` feature it is `jsonwebtoken`'s RustCrypto provider: every
//! algorithm (HMAC, RSA, RSA-PSS, ECDSA, Ed25519) and keys in PEM. Without it, dmr installs a
//! provider of its own for the HMAC algorithms only (`HS256`, `HS384`, `HS512`), built on the
//! `hmac` and `sha2` crates dmr uses anyway, so that a service signing its own tokens with a
//! secret compiles none of the RSA, elliptic-curve and Ed25519 crates. A configuration naming
//! another algorithm is then refused when it is built
//! ([`JwtConfigError::AsymmetricDisabled`]).
//!
//! The provider is installed by the first JWT configuration dmr builds, and only when
//! `jsonwebtoken` has none (a provider installed by the application, or one selected by
//! `jsonwebtoken`'s own features, is left alone).

use hmac::{Hmac, KeyInit, Mac};
use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{ErrorKind, Result};
use jsonwebtoken::jwk::ThumbprintHash;
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::error::JwtConfigError;

/// The HMAC-only provider: every other algorithm is `UnsupportedAlgorithm`.
static HMAC_ONLY: CryptoProvider = CryptoProvider {
    signer_factory: signer,
    verifier_factory: verifier,
    key_utils: KeyUtils {
        rsa_pub_components_from_private_key: |_| Err(ErrorKind::UnsupportedAlgorithm.into()),
        rsa_pub_components_from_public_key: |_| Err(ErrorKind::UnsupportedAlgorithm.into()),
        ec_pub_components_from_private_key: |_, _| Err(ErrorKind::UnsupportedAlgorithm.into()),
        ed_pub_components_from_private_key: |_, _| Err(ErrorKind::UnsupportedAlgorithm.into()),
        compute_digest: digest,
    },
};

/// The provider `jsonwebtoken` will use, installing the HMAC-only one when it has none; `None`
/// when none can be had (both of `jsonwebtoken`'s provider features on, nothing installed).
fn provider() -> Option<&'static CryptoProvider> {
    if let Some(provider) = CryptoProvider::try_get_default() {
        return Some(provider);
    }
    // `Err` here means another thread installed one first: use that.
    let _ = HMAC_ONLY.install_default();
    CryptoProvider::try_get_default()
}

/// Checks that `alg` can be signed and verified in this build, installing the provider first.
pub(super) fn check(alg: Algorithm) -> std::result::Result<(), JwtConfigError> {
    let provider = provider().ok_or(JwtConfigError::NoCryptoProvider)?;
    if alg.family() != AlgorithmFamily::Hmac && std::ptr::eq(provider, &HMAC_ONLY) {
        return Err(JwtConfigError::AsymmetricDisabled { alg });
    }
    Ok(())
}

/// A keyed MAC for one algorithm: signs, and verifies in constant time.
enum Keyed {
    Hs256(Hmac<Sha256>),
    Hs384(Hmac<Sha384>),
    Hs512(Hmac<Sha512>),
}

impl Keyed {
    fn new(alg: Algorithm, secret: &[u8]) -> Result<Self> {
        let invalid = |_| ErrorKind::InvalidKeyFormat;
        Ok(match alg {
            Algorithm::HS256 => Self::Hs256(KeyInit::new_from_slice(secret).map_err(invalid)?),
            Algorithm::HS384 => Self::Hs384(KeyInit::new_from_slice(secret).map_err(invalid)?),
            Algorithm::HS512 => Self::Hs512(KeyInit::new_from_slice(secret).map_err(invalid)?),
            _ => return Err(ErrorKind::UnsupportedAlgorithm.into()),
        })
    }

    fn alg(&self) -> Algorithm {
        match self {
            Self::Hs256(_) => Algorithm::HS256,
            Self::Hs384(_) => Algorithm::HS384,
            Self::Hs512(_) => Algorithm::HS512,
        }
    }

    fn mac(&self, msg: &[u8]) -> Vec<u8> {
        fn run<M: Mac + Clone>(mac: &M, msg: &[u8]) -> Vec<u8> {
            let mut mac = mac.clone();
            mac.update(msg);
            mac.finalize().into_bytes().to_vec()
        }
        match self {
            Self::Hs256(mac) => run(mac, msg),
            Self::Hs384(mac) => run(mac, msg),
            Self::Hs512(mac) => run(mac, msg),
        }
    }

    fn verify(&self, msg: &[u8], tag: &[u8]) -> bool {
        // `verify_slice` checks the length, then compares in constant time
        fn run<M: Mac + Clone>(mac: &M, msg: &[u8], tag: &[u8]) -> bool {
            let mut mac = mac.clone();
            mac.update(msg);
            mac.verify_slice(tag).is_ok()
        }
        match self {
            Self::Hs256(mac) => run(mac, msg, tag),
            Self::Hs384(mac) => run(mac, msg, tag),
            Self::Hs512(mac) => run(mac, msg, tag),
        }
    }
}

impl signature::Signer<Vec<u8>> for Keyed {
    fn try_sign(&self, msg: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        Ok(self.mac(msg))
    }
}

impl signature::Verifier<Vec<u8>> for Keyed {
    fn verify(&self, msg: &[u8], tag: &Vec<u8>) -> std::result::Result<(), signature::Error> {
        if Keyed::verify(self, msg, tag) {
            Ok(())
        } else {
            Err(signature::Error::new())
        }
    }
}

impl JwtSigner for Keyed {
    fn algorithm(&self) -> Algorithm {
        self.alg()
    }
}

impl JwtVerifier for Keyed {
    fn algorithm(&self) -> Algorithm {
        self.alg()
    }
}

fn signer(alg: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    if key.family() != AlgorithmFamily::Hmac {
        return Err(ErrorKind::InvalidKeyFormat.into());
    }
    Ok(Box::new(Keyed::new(*alg, key.as_bytes())?))
}

fn verifier(alg: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
    if key.family() != AlgorithmFamily::Hmac {
        return Err(ErrorKind::InvalidKeyFormat.into());
    }
    Ok(Box::new(Keyed::new(*alg, key.try_get_as_bytes()?)?))
}

fn digest(data: &[u8], hash: ThumbprintHash) -> Result<Vec<u8>> {
    Ok(match hash {
        ThumbprintHash::SHA256 => Sha256::digest(data).to_vec(),
        ThumbprintHash::SHA384 => Sha384::digest(data).to_vec(),
        ThumbprintHash::SHA512 => Sha512::digest(data).to_vec(),
        _ => return Err(ErrorKind::UnsupportedAlgorithm.into()),
    })
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::{Header, Validation};

    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// The HMAC-only provider's MACs have their algorithm's length and verify; a changed
    /// byte, a shorter tag or another message is refused.
    #[test]
    fn the_hmac_provider_signs_and_verifies_every_hmac_algorithm() {
        for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let key = Keyed::new(alg, SECRET).unwrap();
            let tag = key.mac(b"header.payload");
            assert_eq!(tag.len(), alg_len(alg));
            assert!(key.verify(b"header.payload", &tag));
            let mut bad = tag.clone();
            bad[0] ^= 1;
            assert!(!key.verify(b"header.payload", &bad));
            assert!(!key.verify(b"header.payload", &tag[..tag.len() - 1]));
            assert!(!key.verify(b"header.payloaD", &tag));
        }
        assert!(Keyed::new(Algorithm::RS256, SECRET).is_err());
    }

    fn alg_len(alg: Algorithm) -> usize {
        match alg {
            Algorithm::HS256 => 32,
            Algorithm::HS384 => 48,
            _ => 64,
        }
    }

    /// RFC 4231 test case 2 (HMAC-SHA-256, key "Jefe").
    #[test]
    fn hs256_matches_rfc_4231() {
        let tag = Keyed::new(Algorithm::HS256, b"Jefe")
            .unwrap()
            .mac(b"what do ya want for nothing?");
        let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// Whatever provider this build has, a token round-trips through `jsonwebtoken` once a
    /// configuration was checked; without `jwt-asymmetric` RSA is refused with the feature
    /// named.
    #[test]
    fn a_checked_build_encodes_and_decodes() {
        check(Algorithm::HS512).unwrap();
        let claims = serde_json::json!({"sub": "42", "exp": 4_000_000_000u64});
        let jwt = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(SECRET).unwrap(),
        )
        .unwrap();
        let back = jsonwebtoken::decode::<serde_json::Value>(
            &jwt,
            &DecodingKey::from_secret(SECRET).unwrap(),
            &Validation::new(Algorithm::HS512),
        )
        .unwrap();
        assert_eq!(back.claims["sub"], "42");
        let rsa = check(Algorithm::RS256);
        if std::ptr::eq(provider().unwrap(), &HMAC_ONLY) {
            let err = rsa.unwrap_err().to_string();
            assert!(err.contains("`jwt-asymmetric`"), "{err}");
        } else {
            rsa.unwrap();
        }
    }
}
