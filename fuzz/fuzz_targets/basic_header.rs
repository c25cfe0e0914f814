//! A Basic `Authorization` header value of arbitrary bytes: parsed without a panic, and
//! what parses is bounded by the input.
#![no_main]

use dmr_runtime::backends::basic::parse_credentials;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((user, pass)) = parse_credentials(data) {
        // base64 shrinks, percent-decoding shrinks: never more than the input
        assert!(user.len() + pass.len() <= data.len());
    }
});
