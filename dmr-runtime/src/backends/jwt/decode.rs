//! Decoding a token with PyJWT's claim rules, as django-modern-rest does.
//!
//! `jsonwebtoken` checks the signature and the algorithm only; every claim rule is applied
//! here, so the boundaries are PyJWT's (`exp <= now - leeway` is expired, `jsonwebtoken` uses
//! `<`) and no arithmetic can overflow.
//!
//! The payload is read by [`claims::Payload`] straight into the claims the model names, with
//! exactly the values `serde_json::Value` would give (no `Map` of the whole object is built).
//! `jsonwebtoken::decode` parses the payload a second time, into its own
//! `ClaimsForValidation`, even with all its checks off; that parse refuses a repeated `exp`,
//! `nbf`, `sub`, `iss` or `aud`, a non-empty array or object in `exp` or `nbf` and any array
//! or object in `sub` (a 401 here). jsonwebtoken 12 has no public entry point that verifies
//! the signature and hands back the payload without that parse.

mod claims;

use serde_json::{Number, Value};

use self::claims::{Payload, Raw, RawClaims};
use super::config::JwtCore;
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

type Checked<T> = Result<T, JwtError>;

impl JwtCore {
    /// Verifies `token`'s signature and algorithm, then its claims as of `now` (Unix seconds).
    pub(super) fn decode_at(&self, token: &str, now: i64) -> Checked<JwtToken> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(JwtError::Invalid("token too long"));
        }
        // `Payload` reads exactly what `Value` would (see `claims`), without the `Map`.
        let data =
            jsonwebtoken::decode::<Payload>(token, &self.key, &self.validation).map_err(|_| {
                JwtError::Invalid("malformed token, bad signature or another algorithm")
            })?;
        match data.claims.0 {
            Some(claims) => check_claims(claims, &self.rules, now),
            None => Err(JwtError::Invalid("claims are not a json object")),
        }
    }
}

/// Applies the claim rules and builds the token model.
fn check_claims(claims: RawClaims, rules: &ClaimRules, now: i64) -> Checked<JwtToken> {
    if rules.require_claims.iter().any(|name| !claims.has(name)) {
        return Err(JwtError::Invalid("a required claim is missing"));
    }

    let exp = timestamp(claims.exp.as_ref())
        .ok_or(JwtError::Invalid("exp is missing or not a timestamp"))?;
    if rules.verify_exp && exp <= now.saturating_sub(rules.leeway) {
        return Err(JwtError::Invalid("token expired"));
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
    const MALFORMED: JwtError = JwtError::Invalid("aud is not a string or a list of strings");
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
