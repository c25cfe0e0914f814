//! The JOSE header of a token, checked as `jsonwebtoken::decode` checks it.
//!
//! The headers the configured issuer emits (dmr's [`JwtToken::encode`](super::super::JwtToken::encode)
//! writes `{"alg":..,"typ":"JWT"}`, `jsonwebtoken::encode` with `Header::new` writes
//! `{"typ":"JWT","alg":..}`) are compared byte for byte in their base64url form: base64url
//! without padding has one encoding per byte string that `jsonwebtoken` accepts (it refuses
//! padding and non-zero trailing bits), so equal text is an equal header, one that parses
//! with the configured `alg` and no `crit` or `b64`. Any other header is parsed by
//! `jsonwebtoken`'s own `Header` (every registered field typed as it types it), then held to
//! the checks `jsonwebtoken::decode` adds: `b64` a boolean and not `false`, `crit` exactly
//! `["b64"]` with `b64` present, and the configured `alg`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use serde::Serialize;

/// The base64url texts of the headers the configured issuer emits.
#[derive(Debug, Clone)]
pub(in crate::backends::jwt) struct KnownHeaders {
    encoded: [String; 2],
}

#[derive(Serialize)]
struct AlgFirst {
    alg: Algorithm,
    typ: &'static str,
}

#[derive(Serialize)]
struct TypFirst {
    typ: &'static str,
    alg: Algorithm,
}

impl KnownHeaders {
    /// The headers of `alg` tokens signed by dmr and by `jsonwebtoken::encode`.
    pub(super) fn new(alg: Algorithm) -> Self {
        let encode = |json: serde_json::Result<Vec<u8>>| {
            URL_SAFE_NO_PAD.encode(json.expect("a header of two plain fields serializes"))
        };
        Self {
            encoded: [
                encode(serde_json::to_vec(&AlgFirst { alg, typ: "JWT" })),
                encode(serde_json::to_vec(&TypFirst { typ: "JWT", alg })),
            ],
        }
    }

    /// Whether the header part of `token` (`encoded`) is one `jsonwebtoken::decode` accepts
    /// for `alg`.
    pub(super) fn accepts(&self, encoded: &[u8], token: &str, alg: Algorithm) -> bool {
        if self.encoded.iter().any(|known| known.as_bytes() == encoded) {
            return true;
        }
        // `decode_header` splits `token` the way `decode` does and parses the same `Header`
        let Ok(header) = jsonwebtoken::decode_header(token) else {
            return false;
        };
        let Ok(b64) = header.extras.get::<bool>("b64") else {
            return false;
        };
        if b64 == Some(false) {
            return false;
        }
        if let Some(crit) = &header.crit
            && (b64.is_none() || crit.len() != 1 || crit[0] != "b64")
        {
            return false;
        }
        header.alg == alg
    }
}
