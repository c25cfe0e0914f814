//! Verifying the tokens of our own [`KeyRing`]: the key is chosen by the token's `kid` among
//! the ring's current and previous keys, and must be of the token's algorithm.

use super::config::signature_only;
use super::core::{JwtCore, RingKey};
use super::error::JwtConfigError;
use super::jose::{header, header_buf};
use super::keyring::KeyRing;
use super::{JwtAuth, NoLoader};

impl JwtCore {
    /// The ring key `token` names: its header read on the stack (an asymmetric `alg`, a
    /// `kid`), then the key with that `kid` and algorithm. Allocates nothing.
    pub(super) fn ring_key(&self, token: &str) -> Option<&RingKey> {
        let mut buf = header_buf();
        let head = header(token, &mut buf)?;
        let kid = head.kid?;
        self.ring
            .iter()
            .find(|key| &*key.kid == kid && key.alg == head.alg)
    }
}

impl JwtAuth<NoLoader> {
    /// Verifies the tokens of `ring` (what a [`JwtIssuer`](super::JwtIssuer) built with
    /// [`key_ring`](super::JwtIssuer::key_ring) signs): the token's `kid` picks the key among
    /// the current and the previous ones, and the token's `alg` must be that key's. A token
    /// without `kid`, or naming a key no longer in the ring, is a 401.
    ///
    /// The ring is read when the auth is built: after a rotation, build the auth from the
    /// rotated ring (keep the old key in it until its longest token has expired).
    ///
    /// ```
    /// # #[cfg(feature = "jwt-asymmetric")] { // (the example needs the `jwt-asymmetric` feature)
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::{Algorithm, JwtAuth, JwtToken, KeyRing, SigningKey};
    ///
    /// let rsa = || SigningKey::rsa_pem("rsa-1", Algorithm::RS256, include_str!("../../../../tests/keys/rsa_private.pem")).unwrap();
    /// let ed = SigningKey::ed_pem("ed-2", include_str!("../../../../tests/keys/ed_private.pem")).unwrap();
    /// let before = KeyRing::new(rsa());
    /// let old = before.sign(&JwtToken::new("42", Duration::from_secs(60))).unwrap();
    /// let after = before.rotate(ed);
    /// let auth = JwtAuth::key_ring(&after).unwrap();
    /// assert_eq!(auth.decode(&old).unwrap().sub, "42"); // still accepted after the rotation
    /// let removed = JwtAuth::key_ring(&after.remove("rsa-1")).unwrap();
    /// assert!(removed.decode(&old).is_err());
    /// # }
    /// ```
    pub fn key_ring(ring: &KeyRing) -> Result<Self, JwtConfigError> {
        let current = ring.current();
        let mut auth = Self::build(current.alg(), current.public().key.clone(), false)?;
        auth.core.ring = ring
            .verification_keys()
            .map(|key| RingKey {
                kid: key.kid.clone(),
                alg: key.alg,
                key: key.key.clone(),
                validation: signature_only(key.alg),
            })
            .collect();
        Ok(auth)
    }
}
