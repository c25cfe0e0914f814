//! A key ring's verification: the key chosen by `kid` and algorithm. (That the look-up
//! allocates nothing is counted by the bench crate's `allocs`, `port-*` against `one-key-*`:
//! the workspace forbids the `unsafe` of a counting allocator.)

use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header};

use super::keys::{EC_PRIVATE, ED_PRIVATE, RSA_PRIVATE};
use crate::backends::jwt::{JwtAuth, JwtToken, KeyRing, SigningKey};

fn ring() -> KeyRing {
    let rsa = SigningKey::rsa_pem("rsa-1", Algorithm::RS256, RSA_PRIVATE).unwrap();
    let ec = SigningKey::ec_pem("ec-2", Algorithm::ES256, EC_PRIVATE).unwrap();
    let ed = SigningKey::ed_pem("ed-3", ED_PRIVATE).unwrap();
    KeyRing::new(rsa).rotate(ec).rotate(ed)
}

fn claims() -> JwtToken {
    JwtToken::new("42", Duration::from_secs(60))
}

#[test]
fn the_key_is_looked_up_by_kid_and_algorithm() {
    let ring = ring();
    let auth = JwtAuth::key_ring(&ring).unwrap();
    let tokens: Vec<(&str, String)> = [("rsa-1", RSA_PRIVATE), ("ec-2", EC_PRIVATE)]
        .into_iter()
        .map(|(kid, pem)| {
            let (alg, key) = if kid == "rsa-1" {
                (Algorithm::RS256, EncodingKey::from_rsa_pem(pem.as_bytes()))
            } else {
                (Algorithm::ES256, EncodingKey::from_ec_pem(pem.as_bytes()))
            };
            let mut header = Header::new(alg);
            header.kid = Some(kid.into());
            (
                kid,
                jsonwebtoken::encode(&header, &claims(), &key.unwrap()).unwrap(),
            )
        })
        .chain([("ed-3", ring.sign(&claims()).unwrap())])
        .collect();
    for (kid, token) in &tokens {
        assert_eq!(auth.core.ring_key(token).map(|k| &*k.kid), Some(*kid));
        assert_eq!(auth.decode(token).unwrap().sub, "42");
    }
}

#[test]
fn a_token_must_name_a_ring_key_of_its_own_algorithm() {
    let auth = JwtAuth::key_ring(&ring()).unwrap();
    let sign = |alg, kid: Option<&str>, key: EncodingKey| {
        let mut header = Header::new(alg);
        header.kid = kid.map(Into::into);
        jsonwebtoken::encode(&header, &claims(), &key).unwrap()
    };
    let rsa = || EncodingKey::from_rsa_pem(RSA_PRIVATE.as_bytes()).unwrap();
    // no kid, an unknown kid, another key's kid, HMAC under a ring kid: all refused
    let refused = [
        sign(Algorithm::RS256, None, rsa()),
        sign(Algorithm::RS256, Some("rsa-0"), rsa()),
        sign(Algorithm::RS256, Some("ed-3"), rsa()),
        sign(Algorithm::PS256, Some("rsa-1"), rsa()),
        sign(
            Algorithm::HS256,
            Some("rsa-1"),
            EncodingKey::from_secret(&[7; 32]).unwrap(),
        ),
    ];
    for token in &refused {
        assert!(auth.decode(token).is_err(), "{token}");
    }
    assert_eq!(
        auth.decode(&sign(Algorithm::RS256, Some("rsa-1"), rsa()))
            .unwrap()
            .sub,
        "42"
    );
    // removing the key refuses what it signed
    let removed = JwtAuth::key_ring(&ring().remove("rsa-1")).unwrap();
    assert!(
        removed
            .decode(&sign(Algorithm::RS256, Some("rsa-1"), rsa()))
            .is_err()
    );
}
