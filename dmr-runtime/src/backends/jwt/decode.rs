//! Decoding a token with PyJWT's claim rules, as django-modern-rest does.
//!
//! The signature, the algorithm and the JOSE header are checked as `jsonwebtoken::decode`
//! checks them; every claim rule is applied here, so the boundaries are PyJWT's
//! (`exp <= now - leeway` is expired, `jsonwebtoken` uses `<`) and no arithmetic can overflow.
//!
//! Two paths give the same answer for every token:
//! - HMAC (`HS256`, `HS384`, `HS512`): [`FastHmac`], with the keyed HMAC state computed when
//!   the auth is built, the header compared against the ones the issuer emits (see
//!   [`header`]), the signature decoded onto the stack and compared in constant time, and
//!   the payload parsed once by [`claims::StrictPayload`], which also fails wherever
//!   `jsonwebtoken::decode`'s second, private parse of the payload would;
//! - every other algorithm: `jsonwebtoken::decode` itself, into [`claims::Payload`].
//!
//! Both read the payload straight into the claims the model names, with exactly the values
//! `serde_json::Value` would give (no `Map` of the whole object is built).
//! `jsonwebtoken::decode` parses the payload a second time, into its own
//! `ClaimsForValidation`, even with all its checks off; that parse refuses a repeated `exp`,
//! `nbf`, `sub`, `iss` or `aud`, a non-empty array or object in `exp` or `nbf` and any array
//! or object in `sub` (a 401 here, on both paths). The differential tests
//! (`decode/differential.rs`) and the fuzz target `jwt_hmac` hold the two paths to the same
//! answers.

mod base64url;
mod claims;
mod header;
mod hmac;
mod raw;

use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Number, Value};

use self::claims::StrictPayload;
pub(super) use self::claims::{Payload, RawClaims};
use self::header::KnownHeaders;
use self::hmac::HmacKey;
use self::raw::Raw;
use super::token::{Audience, JwtError, JwtToken};

/// Tokens longer than this are refused without being decoded.
pub(super) const MAX_TOKEN_LEN: usize = 8 * 1024;

/// The claim rules of one auth (the reference's `JWToken.decode` keyword arguments).
#[derive(Debug, Clone)]
pub(super) struct ClaimRules {
    pub(super) leeway: i64,
    pub(super) audiences: Vec<String>,
    pub(super) strict_audience: bool,
    pub(super) issuers: Vec<String>,
    pub(super) require_claims: Vec<String>,
    pub(super) verify_exp: bool,
    pub(super) verify_iat: bool,
    pub(super) verify_jti: bool,
    pub(super) verify_nbf: bool,
    pub(super) verify_sub: bool,
}

impl Default for ClaimRules {
    fn default() -> Self {
        Self {
            leeway: 0,
            audiences: Vec::new(),
            strict_audience: false,
            issuers: Vec::new(),
            require_claims: Vec::new(),
            verify_exp: true,
            verify_iat: true,
            verify_jti: true,
            verify_nbf: true,
            verify_sub: true,
        }
    }
}

pub(super) type Checked<T> = Result<T, JwtError>;

/// What every signature, algorithm, header and payload failure answers.
pub(super) const MALFORMED: JwtError =
    JwtError::Invalid("malformed token, bad signature or another algorithm");

/// An expired token (`exp <= now - leeway`): the one refusal the client is told apart from the
/// others (`error_description="The access token expired"`), so that it refreshes the token
/// instead of asking for a new login. It is decided after the signature was verified.
pub(super) const EXPIRED: JwtError = JwtError::Invalid("token expired");

/// Payloads up to this many base64url characters are decoded onto the stack.
const STACK_PAYLOAD: usize = 680;

/// The HMAC path's state, built once per auth.
#[derive(Debug, Clone)]
pub(super) struct FastHmac {
    key: HmacKey,
    headers: KnownHeaders,
}

impl FastHmac {
    /// The state for an HMAC `alg` and its secret; `None` for the other families.
    pub(super) fn new(alg: Algorithm, key: &DecodingKey) -> Option<Self> {
        Some(Self {
            key: HmacKey::new(alg, key)?,
            headers: KnownHeaders::new(alg),
        })
    }

    /// What `jsonwebtoken::decode::<Payload>` answers for `token`, in one pass: the claims,
    /// `None` for a payload that is valid JSON but not an object, or [`MALFORMED`].
    pub(super) fn payload(&self, token: &str, alg: Algorithm) -> Checked<Option<RawClaims>> {
        // `jsonwebtoken` splits at the last two dots, so a third dot fails the header's base64
        // decoding; here the header ends at the first dot (a short scan instead of one back
        // over the whole payload), so a third dot fails the payload's instead: the same tokens
        // are refused, and the signed message is the same bytes
        let bytes = token.as_bytes();
        let (message, signature) = split_last_dot(bytes).ok_or(MALFORMED)?;
        let dot = message.iter().position(|&b| b == b'.').ok_or(MALFORMED)?;
        let (header, payload) = (&message[..dot], &message[dot + 1..]);
        if !self.headers.accepts(header, token, alg) || !self.key.verify(message, signature) {
            return Err(MALFORMED);
        }
        let mut stack = [0u8; base64url::capacity(STACK_PAYLOAD)];
        let heap;
        let json = if payload.len() <= STACK_PAYLOAD {
            base64url::decode_into(payload, &mut stack).ok_or(MALFORMED)?
        } else {
            heap = base64url::decode_to_vec(payload).ok_or(MALFORMED)?;
            &heap[..]
        };
        // UTF-8 checked once for the whole payload, not again for every string in it (what
        // `from_slice` does); a payload that is not UTF-8 fails `from_slice` as well
        let json = std::str::from_utf8(json).map_err(|_| MALFORMED)?;
        serde_json::from_str::<StrictPayload>(json)
            .map(|p| p.0)
            .map_err(|_| MALFORMED)
    }
}

/// `bytes` before and after its last `.`.
fn split_last_dot(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let dot = bytes.iter().rposition(|&b| b == b'.')?;
    Some((&bytes[..dot], &bytes[dot + 1..]))
}

/// The entry point of the fuzz target `jwt_hmac` (`fuzz/`, built with `--cfg fuzzing`).
#[cfg(fuzzing)]
impl<L> super::JwtAuth<L> {
    /// The answers of the HMAC path (or `jsonwebtoken` for another algorithm) and of
    /// `jsonwebtoken::decode`, with this auth's rules, for `token` at `now`.
    #[doc(hidden)]
    pub fn fuzz_decode_both(
        &self,
        token: &str,
        now: i64,
    ) -> (Checked<JwtToken>, Checked<JwtToken>) {
        (
            self.core.decode_at(token, now),
            self.core.decode_with_jsonwebtoken_at(token, now),
        )
    }
}

#[cfg(test)]
mod differential;

/// Applies the claim rules and builds the token model.
pub(super) fn check_claims(claims: RawClaims, rules: &ClaimRules, now: i64) -> Checked<JwtToken> {
    if rules.require_claims.iter().any(|name| !claims.has(name)) {
        return Err(JwtError::Invalid("a required claim is missing"));
    }

    let exp = timestamp(claims.exp.as_ref())
        .ok_or(JwtError::Invalid("exp is missing or not a timestamp"))?;
    if rules.verify_exp && exp <= now.saturating_sub(rules.leeway) {
        return Err(EXPIRED);
    }
    let iat = timestamp(claims.iat.as_ref())
        .ok_or(JwtError::Invalid("iat is missing or not a timestamp"))?;
    if rules.verify_iat && iat > now.saturating_add(rules.leeway) {
        return Err(JwtError::Invalid("token issued in the future"));
    }
    if rules.verify_nbf
        && let Some(nbf) = claims.rest.get("nbf")
    {
        let nbf = nbf
            .as_number()
            .and_then(number_timestamp)
            .ok_or(JwtError::Invalid("nbf is not a timestamp"))?;
        if nbf > now.saturating_add(rules.leeway) {
            return Err(JwtError::Invalid("token not valid yet"));
        }
    }

    let sub = claims
        .sub
        .and_then(|v| text(v, rules.verify_sub))
        .ok_or(JwtError::Invalid("sub is missing or not a string"))?;
    if sub.is_empty() {
        return Err(JwtError::Invalid("sub is empty"));
    }
    let jti = match claims.jti {
        None => None,
        Some(Raw::Null) if !rules.verify_jti => None,
        Some(v) => Some(text(v, rules.verify_jti).ok_or(JwtError::Invalid("jti is not a string"))?),
    };
    let iss = match claims.iss {
        None | Some(Raw::Null) => None,
        Some(Raw::Str(s)) => Some(s),
        Some(_) => return Err(JwtError::Invalid("iss is not a string")),
    };
    if !rules.issuers.is_empty() && !iss.as_ref().is_some_and(|i| rules.issuers.contains(i)) {
        return Err(JwtError::Invalid("issuer not accepted"));
    }
    let aud = audience(claims.aud)?;
    check_audience(aud.as_ref(), rules)?;

    // The nested object is the base; every other top-level claim is merged over it.
    let extras = match claims.extras {
        None | Some(Value::Null) => claims.rest,
        Some(Value::Object(mut nested)) => {
            nested.extend(claims.rest);
            nested
        }
        Some(_) => return Err(JwtError::Invalid("extras is not a json object")),
    };
    Ok(JwtToken {
        sub,
        exp,
        iat,
        iss,
        aud,
        jti,
        extras,
    })
}

/// `exp` or `iat`: a number, see [`number_timestamp`].
fn timestamp(value: Option<&Raw>) -> Option<i64> {
    match value? {
        Raw::Num(n) => number_timestamp(n),
        _ => None,
    }
}

/// A NumericDate as PyJWT reads it (`int(value)`): an integer, or a finite float truncated
/// toward zero; anything else (strings, booleans, out of range) is not a timestamp.
fn number_timestamp(n: &Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    if n.is_u64() {
        return None;
    }
    let f = n.as_f64()?.trunc();
    // `i64::MAX as f64` rounds up to 2^63, which is out of range.
    (f.is_finite() && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
}

/// `sub` or `jti`: a string; with `strict` off, a number is kept as its decimal text.
fn text(value: Raw, strict: bool) -> Option<String> {
    match value {
        Raw::Str(s) => Some(s),
        Raw::Num(n) if !strict => Some(n.to_string()),
        _ => None,
    }
}

fn audience(value: Option<Raw>) -> Checked<Option<Audience>> {
    pub(super) const MALFORMED: JwtError =
        JwtError::Invalid("aud is not a string or a list of strings");
    Ok(match value {
        None | Some(Raw::Null) => None,
        Some(Raw::Str(one)) => Some(Audience::One(one)),
        Some(Raw::Strs(list)) => Some(Audience::Many(list)),
        Some(Raw::Other(Value::Array(items))) => Some(Audience::Many(
            items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    _ => Err(MALFORMED),
                })
                .collect::<Checked<_>>()?,
        )),
        Some(_) => return Err(MALFORMED),
    })
}

/// PyJWT's `_validate_aud`: checked only when audiences are accepted; an empty `aud` counts
/// as missing; strict mode wants exactly the one accepted audience as a string.
pub(super) fn check_audience(aud: Option<&Audience>, rules: &ClaimRules) -> Checked<()> {
    if rules.audiences.is_empty() && !rules.strict_audience {
        return Ok(());
    }
    let Some(aud) = aud.filter(|a| !a.is_empty()) else {
        return Err(JwtError::Invalid("aud is missing"));
    };
    let accepted = if rules.strict_audience {
        // A strict rule without exactly one audience (only reachable by changing the list
        // after `strict_audience(true)`) refuses every token.
        matches!((aud, rules.audiences.as_slice()), (Audience::One(a), [only]) if a == only)
    } else {
        aud.iter().any(|a| rules.audiences.iter().any(|ok| ok == a))
    };
    if accepted {
        Ok(())
    } else {
        Err(JwtError::Invalid("audience not accepted"))
    }
}
