//! Validly signed (HS256) tokens whose claims are arbitrary bytes: decoded without a panic;
//! an accepted token has a subject.
#![no_main]

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dmr_runtime::backends::jwt::{Algorithm, EncodingKey, JwtAuth};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "dmr-fuzz-secret-0123456789abcdef0123456789";

static AUTH: LazyLock<JwtAuth> = LazyLock::new(|| JwtAuth::hs256(SECRET).expect("valid secret"));
static KEY: LazyLock<EncodingKey> =
    LazyLock::new(|| EncodingKey::from_secret(SECRET.as_bytes()).expect("an HMAC key"));

fuzz_target!(|claims: &[u8]| {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let message = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims));
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &KEY, Algorithm::HS256)
        .expect("HMAC signs anything");
    if let Ok(token) = AUTH.decode(&format!("{message}.{signature}")) {
        assert!(!token.sub.is_empty(), "accepted without a subject");
    }
});
