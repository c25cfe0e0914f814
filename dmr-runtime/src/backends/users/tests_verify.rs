//! `verify_password` (hand-parsed PHC, optionally in a gate slot's memory) agrees with the
//! argon2 crate's own verifier for every algorithm, version and output length.

use argon2::password_hash::PasswordVerifier as _;
use argon2::{Algorithm, Argon2, Block, Params, PasswordHasher as _, Version};

use super::{verify_password, with_slot_memory};

/// PHC strings of `pw` made by the argon2 crate with varied settings.
fn hashes(pw: &str) -> Vec<String> {
    let mut out = Vec::new();
    for alg in [Algorithm::Argon2id, Algorithm::Argon2i, Algorithm::Argon2d] {
        for version in [Version::V0x13, Version::V0x10] {
            for (m, t, p, len) in [(8, 1, 1, None), (64, 3, 2, Some(16)), (256, 1, 4, Some(64))] {
                let params = Params::new(m, t, p, len).expect("valid params");
                let phc = Argon2::new(alg, version, params)
                    .hash_password_with_salt(pw.as_bytes(), b"0123456789abcdef")
                    .expect("hashes")
                    .to_string();
                out.push(phc);
            }
        }
    }
    out
}

#[test]
fn agrees_with_the_argon2_verifier() {
    let mut slot: Vec<Block> = Vec::new();
    for phc in hashes("correct horse") {
        for (pw, expected) in [
            ("correct horse", true),
            ("correct hors", false),
            ("", false),
        ] {
            let reference = Argon2::default()
                .verify_password(pw.as_bytes(), phc.as_str())
                .is_ok();
            assert_eq!(reference, expected, "{phc}");
            assert_eq!(verify_password(pw, &phc), expected, "{phc}");
            // in a reused slot buffer, whatever size it had before
            let lent = with_slot_memory(&mut slot, || verify_password(pw, &phc));
            assert_eq!(lent, expected, "{phc} (slot)");
        }
    }
    // the slot grew to the largest cost seen and was given back
    assert_eq!(slot.len(), 256);
}

#[test]
fn malformed_hashes_never_match() {
    let good = &hashes("pw")[0];
    let cases = [
        String::new(),
        "not a hash".to_owned(),
        "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ".to_owned(),
        good.replace("argon2id", "argon2x"),
        good.replace("v=19", "v=18"),
        good.replace("m=8", "m=1"),
        format!("{good}AAAA"),
        good[..good.len() - 4].to_owned(),
    ];
    for phc in cases {
        assert!(!verify_password("pw", &phc), "{phc}");
    }
}
