//! One token taken apart without allocating (its JOSE header read from a stack buffer, the
//! key looked up by `kid`) and its signature checked with `jsonwebtoken`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub(super) use crate::backends::jwt::jose::{algorithm, header, header_buf};

/// The longest token read (as the JWT auth's).
pub(super) const MAX_TOKEN_LEN: usize = 8 * 1024;

/// The parts of a compact JWS.
pub(super) struct Parts<'t> {
    /// `header.payload`, what the signature covers.
    pub(super) signed: &'t str,
    pub(super) payload: &'t str,
    pub(super) signature: &'t str,
}

/// Splits `token` into exactly three parts.
pub(super) fn split(token: &str) -> Option<Parts<'_>> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let (signed, signature) = token.rsplit_once('.')?;
    let (_, payload) = signed.split_once('.')?;
    if payload.contains('.') {
        return None;
    }
    Some(Parts {
        signed,
        payload,
        signature,
    })
}

/// Whether a `typ` is RFC 9068's `at+jwt` (or `application/at+jwt`), case-insensitively.
pub(super) fn is_access_token_type(typ: Option<&str>) -> bool {
    typ.is_some_and(|t| {
        let t = t.strip_prefix("application/").unwrap_or(t);
        t.eq_ignore_ascii_case("at+jwt")
    })
}

/// The payload's JSON.
pub(super) fn payload(parts: &Parts<'_>) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(parts.payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_split_and_types_read() {
        assert!(split("a.b").is_none() && split("a.b.c.d").is_none());
        assert!(is_access_token_type(Some("application/AT+JWT")));
        assert!(!is_access_token_type(Some("JWT")) && !is_access_token_type(None));
    }
}
