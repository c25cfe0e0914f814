//! One token taken apart without allocating (its JOSE header read from a stack buffer, the
//! key looked up by `kid`) and its signature checked with `jsonwebtoken`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use serde::Deserialize;

/// The longest token read (as the JWT auth's).
pub(super) const MAX_TOKEN_LEN: usize = 8 * 1024;
/// The longest JOSE header read, decoded.
const MAX_HEADER: usize = 1024;

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

#[derive(Deserialize)]
struct RawHeader<'a> {
    alg: &'a str,
    #[serde(default, borrow)]
    kid: Option<&'a str>,
    #[serde(default, borrow)]
    typ: Option<&'a str>,
    #[serde(default)]
    crit: Option<serde::de::IgnoredAny>,
}

/// What the verifier reads from the header.
pub(super) struct Header<'b> {
    pub(super) alg: Algorithm,
    pub(super) kid: Option<&'b str>,
    pub(super) typ: Option<&'b str>,
}

/// The asymmetric algorithms a provider's key may verify; `none` and HMAC never.
pub(super) fn algorithm(name: &str) -> Option<Algorithm> {
    Some(match name {
        "RS256" => Algorithm::RS256,
        "RS384" => Algorithm::RS384,
        "RS512" => Algorithm::RS512,
        "PS256" => Algorithm::PS256,
        "PS384" => Algorithm::PS384,
        "PS512" => Algorithm::PS512,
        "ES256" => Algorithm::ES256,
        "ES384" => Algorithm::ES384,
        "EdDSA" => Algorithm::EdDSA,
        _ => return None,
    })
}

/// Reads the header of `token` into `buf`: `None` for a malformed one, an algorithm that is
/// not asymmetric, escaped strings, or any `crit` extension.
pub(super) fn header<'b>(token: &str, buf: &'b mut [u8; MAX_HEADER]) -> Option<Header<'b>> {
    let (encoded, _) = token.split_once('.')?;
    let len = URL_SAFE_NO_PAD.decode_slice(encoded, buf).ok()?;
    let raw: RawHeader<'b> = serde_json::from_slice(&buf[..len]).ok()?;
    if raw.crit.is_some() {
        return None;
    }
    Some(Header {
        alg: algorithm(raw.alg)?,
        kid: raw.kid,
        typ: raw.typ,
    })
}

/// A buffer for [`header`].
pub(super) fn header_buf() -> [u8; MAX_HEADER] {
    [0; MAX_HEADER]
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
    fn headers_are_read_and_refused() {
        let enc = |json: &str| format!("{}.e30.sig", URL_SAFE_NO_PAD.encode(json));
        let mut buf = header_buf();
        let token = enc(r#"{"alg":"ES256","kid":"k1","typ":"at+jwt"}"#);
        let h = header(&token, &mut buf).unwrap();
        assert_eq!(
            (h.alg, h.kid, h.typ),
            (Algorithm::ES256, Some("k1"), Some("at+jwt"))
        );
        for bad in [
            r#"{"alg":"none"}"#,
            r#"{"alg":"HS256","kid":"k1"}"#,
            r#"{"alg":"RS256","crit":["exp"]}"#,
            r#"{"kid":"k1"}"#,
            r#"{"alg":"RS256","kid":"k\u0031"}"#,
        ] {
            assert!(header(&enc(bad), &mut header_buf()).is_none(), "{bad}");
        }
        let long = format!(r#"{{"alg":"RS256","kid":"{}"}}"#, "k".repeat(2000));
        assert!(header(&enc(&long), &mut header_buf()).is_none());
        assert!(split("a.b").is_none() && split("a.b.c.d").is_none());
        assert!(is_access_token_type(Some("application/AT+JWT")));
        assert!(!is_access_token_type(Some("JWT")) && !is_access_token_type(None));
    }
}
