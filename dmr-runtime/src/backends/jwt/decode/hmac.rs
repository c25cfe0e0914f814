//! The HMAC key state of an auth, computed once when the auth is built.
//!
//! `jsonwebtoken::decode` keys a new `Hmac` (two hash blocks of key setup) on every call;
//! here the keyed state is cloned instead, and the signature is decoded onto the stack and
//! compared in constant time.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use jsonwebtoken::{Algorithm, DecodingKey};
use sha2::{Sha256, Sha384, Sha512};

use super::base64url;

/// A keyed HMAC for one of the three algorithms.
#[derive(Clone)]
pub(in crate::backends::jwt) enum HmacKey {
    Sha256(Hmac<Sha256>),
    Sha384(Hmac<Sha384>),
    Sha512(Hmac<Sha512>),
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacKey(..)")
    }
}

impl HmacKey {
    /// The keyed state for `alg`, or `None` for another family (or a key that is not a
    /// secret).
    pub(super) fn new(alg: Algorithm, key: &DecodingKey) -> Option<Self> {
        let secret = key.try_get_as_bytes().ok()?;
        Some(match alg {
            Algorithm::HS256 => Self::Sha256(KeyInit::new_from_slice(secret).ok()?),
            Algorithm::HS384 => Self::Sha384(KeyInit::new_from_slice(secret).ok()?),
            Algorithm::HS512 => Self::Sha512(KeyInit::new_from_slice(secret).ok()?),
            _ => return None,
        })
    }

    /// Whether `signature` (base64url without padding, as `jsonwebtoken` reads it) is this
    /// key's MAC of `message`.
    pub(super) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        // 86 characters hold a 64-byte MAC (HS512); longer text is no MAC of ours
        const LONGEST: usize = 86;
        let mut buf = [0u8; base64url::capacity(LONGEST)];
        if signature.len() > LONGEST {
            return false;
        }
        let Some(tag) = base64url::decode_into(signature, &mut buf) else {
            return false;
        };
        // `verify_slice` checks the length, then compares in constant time
        match self {
            Self::Sha256(mac) => keyed(mac, message).verify_slice(tag).is_ok(),
            Self::Sha384(mac) => keyed(mac, message).verify_slice(tag).is_ok(),
            Self::Sha512(mac) => keyed(mac, message).verify_slice(tag).is_ok(),
        }
    }
}

fn keyed<M: Mac + Clone>(mac: &M, message: &[u8]) -> M {
    let mut mac = mac.clone();
    mac.update(message);
    mac
}
