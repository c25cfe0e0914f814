//! RS256 and EdDSA verification (issue 20): dmr's [`JwtAuth`] over a [`KeyRing`] (the key
//! chosen by the token's `kid` among three) against the same `jsonwebtoken::decode` written
//! inline by hand with the key already parsed, and a one-key `JwtAuth` (no look-up) for the
//! allocation count. Every case decodes the same token and checks `sub`.

use std::time::{Duration, Instant};

use dmr_runtime::backends::jwt::{Algorithm, DecodingKey, JwtAuth, JwtToken, KeyRing, SigningKey};
use serde::Deserialize;

const RSA_PRIVATE: &str = include_str!("../../tests/keys/rsa_private.pem");
const RSA_PUBLIC: &str = include_str!("../../tests/keys/rsa_public.pem");
const ED_PRIVATE: &str = include_str!("../../tests/keys/ed_private.pem");
const ED_PUBLIC: &str = include_str!("../../tests/keys/ed_public.pem");

/// One verification case: `run(n)` decodes the token `n` times.
pub struct VerifyCase {
    /// Short id (`port-rs256`), the argument of the `verify` binary.
    pub id: &'static str,
    /// What it measures.
    pub label: String,
    build: Build,
}

/// Builds a case's decode (once): each call decodes the token and says whether it verified.
type Build = Box<dyn Fn() -> Box<dyn FnMut() -> bool>>;

impl VerifyCase {
    /// Builds the verifier once (checking one decode); the runner then decodes `n` times.
    pub fn runner(&self) -> Box<dyn FnMut(u64) -> Duration> {
        let mut decode = (self.build)();
        assert!(decode(), "{}: the token does not verify", self.id);
        Box::new(move |n| {
            let start = Instant::now();
            for _ in 0..n {
                assert!(std::hint::black_box(decode()));
            }
            start.elapsed()
        })
    }
}

fn rsa(kid: &str) -> SigningKey {
    SigningKey::rsa_pem(kid, Algorithm::RS256, RSA_PRIVATE).expect("rsa key")
}

fn ed(kid: &str) -> SigningKey {
    SigningKey::ed_pem(kid, ED_PRIVATE).expect("ed key")
}

/// A ring of three keys whose current one is `current`, and a token it signed.
fn ring_token(current: SigningKey) -> (KeyRing, String) {
    let ring = KeyRing::new(rsa("old-1"))
        .rotate(ed("old-2"))
        .rotate(current);
    let claims = JwtToken::new("admin", Duration::from_secs(24 * 3600))
        .with_jti("0123456789abcdef0123456789abcdef")
        .with_type("access");
    let token = ring.sign(&claims).expect("sign");
    (ring, token)
}

fn port(current: SigningKey) -> Box<dyn FnMut() -> bool> {
    let (ring, token) = ring_token(current);
    let auth = JwtAuth::key_ring(&ring).expect("auth");
    Box::new(move || auth.decode(&token).is_ok_and(|t| t.sub == "admin"))
}

fn one_key(current: SigningKey, auth: JwtAuth) -> Box<dyn FnMut() -> bool> {
    let (_, token) = ring_token(current);
    Box::new(move || auth.decode(&token).is_ok_and(|t| t.sub == "admin"))
}

/// The verification key of `key`'s published JWK, as the ring holds it.
fn from_jwk(key: &SigningKey) -> DecodingKey {
    let jwk: jsonwebtoken::jwk::Jwk =
        serde_json::from_value(key.public_jwk().clone()).expect("a JWK");
    DecodingKey::from_jwk(&jwk).expect("a key")
}

/// The claims a hand-written verifier reads.
#[derive(Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    jti: String,
}

fn inline(current: SigningKey, key: DecodingKey) -> Box<dyn FnMut() -> bool> {
    let alg = current.alg();
    let (_, token) = ring_token(current);
    let mut validation = jsonwebtoken::Validation::new(alg);
    validation.validate_aud = false;
    Box::new(move || {
        jsonwebtoken::decode::<Claims>(&token, &key, &validation).is_ok_and(|data| {
            data.claims.sub == "admin" && data.claims.iat > 0 && !data.claims.jti.is_empty()
        })
    })
}

/// The four cases of one algorithm (`ids`: port, inline from PEM, inline from the JWK, one
/// key): `key` makes the ring's current key, `pem` reads its public half from PEM.
fn cases_of(
    name: &str,
    ids: [&'static str; 4],
    key: fn() -> SigningKey,
    pem: fn() -> DecodingKey,
) -> [VerifyCase; 4] {
    let case = |id, what: &str, build: Build| VerifyCase {
        id,
        label: format!("{name}, {what}"),
        build,
    };
    let [port_id, inline_id, jwk_id, one_id] = ids;
    [
        case(
            port_id,
            "dmr JwtAuth::key_ring (kid look-up among 3 keys)",
            Box::new(move || port(key())),
        ),
        case(
            inline_id,
            "jsonwebtoken::decode inline, key parsed from PEM",
            Box::new(move || inline(key(), pem())),
        ),
        case(
            jwk_id,
            "jsonwebtoken::decode inline, key parsed from the ring's JWK",
            Box::new(move || inline(key(), from_jwk(&key()))),
        ),
        case(
            one_id,
            "dmr JwtAuth::new with the ring's JWK (one key, no look-up)",
            Box::new(move || {
                let current = key();
                let auth = JwtAuth::new(current.alg(), from_jwk(&current)).expect("auth");
                one_key(current, auth)
            }),
        ),
    ]
}

/// Every verification case.
pub fn verify_cases() -> Vec<VerifyCase> {
    let rsa_ids = [
        "port-rs256",
        "inline-rs256",
        "inline-jwk-rs256",
        "one-key-rs256",
    ];
    let ed_ids = ["port-ed", "inline-ed", "inline-jwk-ed", "one-key-ed"];
    let rsa_pem = || DecodingKey::from_rsa_pem(RSA_PUBLIC.as_bytes()).expect("key");
    let ed_pem = || DecodingKey::from_ed_pem(ED_PUBLIC.as_bytes()).expect("key");
    cases_of("RS256", rsa_ids, || rsa("cur"), rsa_pem)
        .into_iter()
        .chain(cases_of("EdDSA", ed_ids, || ed("cur"), ed_pem))
        .collect()
}
