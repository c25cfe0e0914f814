//! Our own issuer's rotating keys, verified by another service as it verifies an identity
//! provider's: service A signs with a [`KeyRing`] and serves its JWKS, service B verifies with
//! `OidcConfig::jwks` pointed at it. Real servers on loopback, no Node needed.

mod jwt_support;

use std::time::Duration;

use actix_web::App;
use dmr_runtime::backends::jwt::{Algorithm, JwtToken, KeyRing, SigningKey};
use dmr_runtime::backends::oidc::{OidcAuth, OidcConfig, OidcToken};
use dmr_runtime::prelude::*;
use dmr_tests::{TestServer, get, serve};
use jwt_support::me;

const ISSUER: &str = "https://a.example";
const RSA: &str = include_str!("../keys/rsa_private.pem");
const ED: &str = include_str!("../keys/ed_private.pem");

fn token(ring: &KeyRing, sub: &str) -> String {
    let claims = JwtToken::new(sub, Duration::from_secs(300))
        .with_issuer(ISSUER)
        .with_audience("api");
    ring.sign(&claims).expect("signs")
}

/// Service A: the JWKS of `ring` at `/.well-known/jwks.json`.
fn issuer(ring: &KeyRing) -> TestServer {
    let ring = ring.clone();
    actix_test::start(move || App::new().configure(ring.serve("/.well-known/jwks.json")))
}

struct Verifier {
    auth: OidcAuth,
}

struct Me;

#[controller(path = "/me", auth = [|v: &Verifier| v.auth.clone()])]
impl Me {
    #[endpoint(get, path = "/")]
    async fn me(token: Authed<OidcToken>) -> String {
        token.sub.clone()
    }
}

/// Service B, verifying A's tokens with A's JWKS.
fn verifier(a: &TestServer) -> TestServer {
    let auth = OidcConfig::jwks(ISSUER, a.url("/.well-known/jwks.json"))
        .audience("api")
        .refetch_interval(Duration::from_millis(200))
        .build()
        .expect("auth builds");
    let api = Api::new()
        .state(Verifier { auth })
        .controller::<Me>()
        .build()
        .unwrap();
    serve(api)
}

#[actix_rt::test]
async fn the_jwks_has_public_halves_only_and_caching_headers() {
    let old = SigningKey::rsa_pem("rsa-1", Algorithm::RS256, RSA).unwrap();
    let ring = KeyRing::new(SigningKey::ed_pem("ed-2", ED).unwrap()).retire(old);
    let a = issuer(&ring);
    let seen = get(&a, "/.well-known/jwks.json", &[]).await;
    assert_eq!(seen.status, 200);
    assert_eq!(
        seen.header("content-type"),
        Some("application/jwk-set+json")
    );
    assert_eq!(seen.header("cache-control"), Some("public, max-age=300"));
    let jwks = seen.json();
    let keys = jwks["keys"].as_array().unwrap();
    let kids: Vec<&str> = keys.iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert_eq!(kids, ["ed-2", "rsa-1"]);
    for key in keys {
        for private in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            assert!(key.get(private).is_none(), "{private} in {key}");
        }
        assert_eq!(key["use"], "sig");
    }
    assert_eq!(keys[0]["kty"], "OKP");
    assert_eq!(keys[1]["alg"], "RS256");
}

#[actix_rt::test]
async fn one_service_issues_another_verifies_through_a_rotation() {
    let rsa = || SigningKey::rsa_pem("rsa-1", Algorithm::RS256, RSA).unwrap();
    let before = KeyRing::new(rsa());
    let after = KeyRing::new(SigningKey::ed_pem("ed-2", ED).unwrap()).retire(rsa());
    // A publishes the rotated ring: the new key signs, the old one still verifies
    let a = issuer(&after);
    let b = verifier(&a);
    assert_eq!(me(&b, &token(&after, "new")).await, (200, "new".into()));
    assert_eq!(me(&b, &token(&before, "old")).await, (200, "old".into()));
    // a key that is no longer published verifies nothing
    let removed = KeyRing::new(SigningKey::rsa_pem("rsa-0", Algorithm::RS256, RSA).unwrap());
    actix_rt::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(me(&b, &token(&removed, "gone")).await.0, 401);
}
