//! A Basic `Authorization` header value of arbitrary bytes: parsed without a panic, with the
//! same answer as the allocating parser it replaced (the oracle), and what parses is bounded
//! by the input.
#![no_main]

use dmr_runtime::backends::basic::{parse_credentials, parse_credentials_oracle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = parse_credentials(data);
    assert_eq!(parsed, parse_credentials_oracle(data));
    if let Some((user, pass)) = parsed {
        // base64 shrinks, percent-decoding shrinks: never more than the input
        assert!(user.len() + pass.len() <= data.len());
    }
});
