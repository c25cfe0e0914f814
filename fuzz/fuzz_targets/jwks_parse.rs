//! A JWKS document of arbitrary bytes: read without a panic into at most `MAX_KEYS` keys, none
//! of them symmetric, each verifying only algorithms its kind fits; and the look-up by `kid`
//! never panics.
#![no_main]

use dmr_runtime::backends::jwt::Algorithm;
use dmr_runtime::backends::oidc::{KeySet, MAX_KEYS};
use libfuzzer_sys::fuzz_target;

const ALGS: [Algorithm; 12] = [
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

fuzz_target!(|data: &[u8]| {
    let Ok(set) = KeySet::parse(data) else {
        return;
    };
    assert!(!set.is_empty() && set.len() <= MAX_KEYS);
    for key in set.keys() {
        for alg in ALGS {
            if key.accepts(alg) {
                assert!(!matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512));
                assert!(key.kind().fits(alg));
            }
            let found = set.find(key.kid(), alg);
            assert!(found.is_none_or(|k| k.accepts(alg)));
        }
    }
});
