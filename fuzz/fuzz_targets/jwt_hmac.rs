//! The HMAC path of `JwtAuth` against `jsonwebtoken::decode` with the same rules: the same
//! answer (token or refusal, reason included) for every input.
//!
//! The input's first byte picks what the rest is:
//! - even: a whole token, as the `Authorization` header would carry it;
//! - odd: a JOSE header and a payload (split at the first `\n`), base64url-encoded and
//!   signed with the auth's key, so the header and claims checks are what decides (the
//!   top bits pick the algorithm and the rule set).

#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dmr_runtime::backends::jwt::{Algorithm, EncodingKey, JwtAuth};
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const NOW: i64 = 1_800_000_000;
const ALGS: [Algorithm; 3] = [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];

fn auth(alg: Algorithm, rules: u8) -> JwtAuth {
    let auth = JwtAuth::hmac(alg, SECRET).expect("a 64-byte secret fits every HMAC");
    match rules % 4 {
        0 => auth,
        1 => auth
            .verify_exp(false)
            .verify_iat(false)
            .verify_jti(false)
            .verify_nbf(false)
            .verify_sub(false),
        2 => auth
            .leeway(400)
            .accepted_audiences(["api"])
            .strict_audience(true)
            .expect("one audience"),
        _ => auth
            .accepted_issuers(["i"])
            .accepted_audiences(["api", "x"])
            .require_claims(["jti", "nbf"]),
    }
}

fn signed(alg: Algorithm, header: &[u8], payload: &[u8]) -> Option<String> {
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let key = EncodingKey::from_secret(SECRET).ok()?;
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, alg).ok()?;
    Some(format!("{message}.{signature}"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let alg = ALGS[usize::from(mode >> 1) % 3];
    let auth = auth(alg, mode >> 3);
    let token = if mode & 1 == 0 {
        let Ok(token) = std::str::from_utf8(rest) else {
            return;
        };
        token.to_owned()
    } else {
        let split = rest.iter().position(|&b| b == b'\n').unwrap_or(0);
        let (header, payload) = rest.split_at(split);
        let payload = payload.strip_prefix(b"\n").unwrap_or(payload);
        match signed(alg, header, payload) {
            Some(token) => token,
            None => return,
        }
    };
    let (fast, reference) = auth.fuzz_decode_both(&token, NOW);
    assert_eq!(fast, reference, "token {token:?}");
});
