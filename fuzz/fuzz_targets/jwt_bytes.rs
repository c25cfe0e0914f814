//! A JWT of arbitrary bytes: decoded without a panic, and never accepted (the fuzzer cannot
//! forge the HMAC).
#![no_main]

use std::sync::LazyLock;

use dmr_runtime::backends::jwt::JwtAuth;
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "dmr-fuzz-secret-0123456789abcdef0123456789";

static AUTH: LazyLock<JwtAuth> = LazyLock::new(|| JwtAuth::hs256(SECRET).expect("valid secret"));

fuzz_target!(|data: &[u8]| {
    let token = String::from_utf8_lossy(data);
    assert!(
        AUTH.decode(&token).is_err(),
        "a token no one signed was accepted"
    );
});
