//! The verification core of a [`JwtAuth`](super::JwtAuth): its key, algorithm, claim rules and
//! where it reads the token, and the decode of one token with them.

use actix_web::http::header::HeaderName;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use super::cookie::CookieSource;
use super::decode::{
    Checked, ClaimRules, FastHmac, MALFORMED, MAX_TOKEN_LEN, Payload, RawClaims, check_claims,
};
use super::token::{JwtError, JwtToken};

/// Everything a [`JwtAuth`] checks, shared by every loader kind.
#[derive(Debug, Clone)]
pub(super) struct JwtCore {
    pub(super) alg: Algorithm,
    pub(super) key: DecodingKey,
    /// Signature and algorithm only: every claim rule lives in [`ClaimRules`].
    pub(super) validation: Validation,
    pub(super) header: HeaderName,
    pub(super) auth_scheme: String,
    pub(super) scheme_name: String,
    pub(super) rules: ClaimRules,
    pub(super) accept_refresh: bool,
    /// The HMAC path's key state (HMAC algorithms only), built once here.
    pub(super) fast: Option<FastHmac>,
    /// `Some`: the token is read from this cookie (after CSRF), not from the header.
    pub(super) cookie: Option<CookieSource>,
    /// Previous HMAC secrets that still verify (secret rotation), tried after `key` fails.
    pub(super) fallbacks: Vec<Fallback>,
    /// A key ring's verification keys, chosen by `kid`; empty: `key` verifies.
    pub(super) ring: Vec<RingKey>,
}

/// One verification key of a key ring (see `ring`), with the checks of its algorithm.
#[derive(Debug, Clone)]
pub(super) struct RingKey {
    pub(super) kid: Box<str>,
    pub(super) alg: Algorithm,
    pub(super) key: DecodingKey,
    pub(super) validation: Validation,
}

/// One previous HMAC secret: its key and its HMAC path.
#[derive(Debug, Clone)]
pub(super) struct Fallback {
    pub(super) key: DecodingKey,
    pub(super) fast: Option<FastHmac>,
}

impl JwtCore {
    /// Verifies `token`'s signature and algorithm, then its claims as of `now` (Unix seconds).
    pub(super) fn decode_at(&self, token: &str, now: i64) -> Checked<JwtToken> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(JwtError::Invalid("token too long"));
        }
        let payload = if !self.ring.is_empty() {
            let key = self.ring_key(token).ok_or(MALFORMED)?;
            self.payload_with(&key.key, None, &key.validation, token)?
        } else {
            self.verified_payload(token)?
        };
        match payload {
            Some(claims) => check_claims(claims, &self.rules, now),
            None => Err(JwtError::Invalid("claims are not a json object")),
        }
    }

    /// The payload verified by the configured key or, if it fails, by a fallback secret.
    fn verified_payload(&self, token: &str) -> Checked<Option<RawClaims>> {
        match self.payload_with(&self.key, self.fast.as_ref(), &self.validation, token) {
            Ok(payload) => Ok(payload),
            Err(refused) => self
                .fallbacks
                .iter()
                .find_map(|f| {
                    self.payload_with(&f.key, f.fast.as_ref(), &self.validation, token)
                        .ok()
                })
                .ok_or(refused),
        }
    }

    /// [`decode_at`](Self::decode_at) through `jsonwebtoken::decode` whatever the algorithm:
    /// what the HMAC path is held to.
    #[cfg(any(test, fuzzing))]
    pub(super) fn decode_with_jsonwebtoken_at(&self, token: &str, now: i64) -> Checked<JwtToken> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(JwtError::Invalid("token too long"));
        }
        match self.jsonwebtoken_payload(token)? {
            Some(claims) => check_claims(claims, &self.rules, now),
            None => Err(JwtError::Invalid("claims are not a json object")),
        }
    }

    /// The verified payload with one key: the HMAC path when there is one, else
    /// `jsonwebtoken::decode`.
    fn payload_with(
        &self,
        key: &DecodingKey,
        fast: Option<&FastHmac>,
        validation: &Validation,
        token: &str,
    ) -> Checked<Option<RawClaims>> {
        match fast {
            Some(fast) => fast.payload(token, self.alg),
            None => jsonwebtoken::decode::<Payload>(token, key, validation)
                .map(|data| data.claims.0)
                .map_err(|_| MALFORMED),
        }
    }

    /// `jsonwebtoken::decode` into a [`Payload`], which reads exactly what `Value` would (see
    /// `claims`) without the `Map`.
    #[cfg(any(test, fuzzing))]
    fn jsonwebtoken_payload(&self, token: &str) -> Checked<Option<RawClaims>> {
        self.payload_with(&self.key, None, &self.validation, token)
    }
}
