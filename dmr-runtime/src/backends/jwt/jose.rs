//! The JOSE header's `alg`, `kid` and `typ` of an asymmetric token, read without allocating
//! (decoded into a stack buffer, the strings borrowed from it): how a key is looked up by
//! `kid`, in our [`KeyRing`](super::KeyRing) and in a provider's key set.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use serde::Deserialize;

/// The longest JOSE header read, decoded.
const MAX_HEADER: usize = 1024;

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

/// What a verifier reads from the header.
pub(crate) struct Header<'b> {
    pub(crate) alg: Algorithm,
    pub(crate) kid: Option<&'b str>,
    /// Read by the `oidc` verifier only (RFC 9068's `at+jwt`).
    #[cfg_attr(not(any(feature = "oidc", test)), expect(dead_code))]
    pub(crate) typ: Option<&'b str>,
}

/// The asymmetric algorithms a public key may verify; `none` and HMAC never.
pub(crate) fn algorithm(name: &str) -> Option<Algorithm> {
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
pub(crate) fn header<'b>(token: &str, buf: &'b mut [u8; MAX_HEADER]) -> Option<Header<'b>> {
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
pub(crate) fn header_buf() -> [u8; MAX_HEADER] {
    [0; MAX_HEADER]
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
    }
}
