//! Our own issuer signing with rotating keys through the real credential views: EdDSA and
//! RS256 tokens from obtain, refresh and verify, each naming its key by `kid`; a rotation
//! (new key current, old kept) refuses no token, and removing the old key refuses what it
//! signed. Each server is built from one ring, as a deployment of that ring would be.

mod jwt_support;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dmr_runtime::backends::jwt::{
    Algorithm, JwtAuth, JwtIssuer, JwtObtain, JwtObtainSync, JwtRefresh, JwtToken, JwtVerify,
    KeyRing, SigningKey,
};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, Seen, TestServer, get, send, serve_with};
use jwt_support::{Me, me};
use serde_json::{Value, json};

const PASS: &str = "correct horse";
const RSA: &str = include_str!("../keys/rsa_private.pem");
const ED: &str = include_str!("../keys/ed_private.pem");

fn rsa() -> SigningKey {
    SigningKey::rsa_pem("rsa-1", Algorithm::RS256, RSA).unwrap()
}

fn ed() -> SigningKey {
    SigningKey::ed_pem("ed-2", ED).unwrap()
}

/// The views, `/me` and the JWKS of `ring`.
fn server(ring: &KeyRing) -> TestServer {
    let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
    let users = MemoryUsers::with_params(cheap);
    users.add("1", "admin", PASS).unwrap();
    let issuer = JwtIssuer::key_ring(ring, users)
        .unwrap()
        .access_ttl(Duration::from_secs(600));
    let api = Api::new()
        .scope("/a", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtVerify>()
        })
        .scope("/s", |s| s.controller::<JwtObtainSync>())
        .scope("", |s| {
            s.auth(JwtAuth::key_ring(ring).unwrap()).controller::<Me>()
        })
        .build()
        .expect("api builds");
    let jwks = ring.serve("/.well-known/jwks.json");
    serve_with(api, move || {
        actix_web::App::new()
            .app_data(issuer.app_data())
            .configure(jwks.clone())
    })
}

async fn post(srv: &TestServer, path: &str, body: Value) -> Seen {
    let body = body.to_string();
    let headers: [(&str, &[u8]); 1] = [("Content-Type", b"application/json")];
    send(srv, "POST", path, &headers, Some(body.as_bytes())).await
}

/// `(access, refresh)` from the obtain view of `scope`.
async fn obtain(srv: &TestServer, scope: &str) -> (String, String) {
    let body = json!({"username": "admin", "password": PASS});
    let seen = post(srv, &format!("{scope}/obtain/"), body).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let json = seen.json();
    let token = |name: &str| json[name].as_str().unwrap().to_owned();
    (token("access_token"), token("refresh_token"))
}

async fn refresh(srv: &TestServer, token: &str) -> Seen {
    post(srv, "/a/refresh/", json!({ "refresh_token": token })).await
}

async fn verify(srv: &TestServer, token: &str) -> u16 {
    let seen = post(srv, "/a/verify/", json!({ "access_token": token })).await;
    seen.status.as_u16()
}

/// The token's JOSE header as a user decodes it.
fn header(token: &str) -> Value {
    let encoded = token.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(encoded).unwrap()).unwrap()
}

#[actix_rt::test]
async fn eddsa_and_rs256_tokens_through_obtain_refresh_and_verify() {
    for (key, alg) in [(ed(), "EdDSA"), (rsa(), "RS256")] {
        let kid = key.kid().to_owned();
        let srv = server(&KeyRing::new(key));
        for scope in ["/a", "/s"] {
            let (access, refresh_token) = obtain(&srv, scope).await;
            for token in [&access, &refresh_token] {
                let head = header(token);
                assert_eq!((&head["alg"], &head["kid"]), (&json!(alg), &json!(kid)));
            }
            assert_eq!(me(&srv, &access).await, (200, "1".into()));
            assert_eq!(verify(&srv, &access).await, 204);
            let seen = refresh(&srv, &refresh_token).await;
            assert_eq!(seen.status, 200, "{}", seen.text());
            let renewed = seen.json()["access_token"].as_str().unwrap().to_owned();
            assert_eq!(header(&renewed)["kid"], json!(kid));
            assert_eq!(me(&srv, &renewed).await, (200, "1".into()));
        }
        // a token of the right algorithm under a key the ring does not hold
        let stranger = KeyRing::new(SigningKey::ed_pem("ed-x", ED).unwrap());
        let forged = stranger.sign(&JwtToken::new("1", Duration::from_secs(60)));
        assert_eq!(me(&srv, &forged.unwrap()).await.0, 401);
    }
}

#[actix_rt::test]
async fn a_rotation_refuses_no_token_and_a_removed_key_refuses_its_own() {
    let before = KeyRing::new(rsa());
    let (old_access, old_refresh) = obtain(&server(&before), "/a").await;
    assert_eq!(header(&old_access)["kid"], "rsa-1");

    // rotation: the new key signs, the old one still verifies
    let rotated = before.rotate(ed());
    let srv = server(&rotated);
    assert_eq!(me(&srv, &old_access).await, (200, "1".into()));
    assert_eq!(verify(&srv, &old_access).await, 204);
    let seen = refresh(&srv, &old_refresh).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let renewed = seen.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(header(&renewed)["kid"], "ed-2");
    let (new_access, _) = obtain(&srv, "/a").await;
    assert_eq!(header(&new_access)["kid"], "ed-2");
    assert_eq!(header(&new_access)["alg"], "EdDSA");
    assert_eq!(me(&srv, &new_access).await, (200, "1".into()));
    let jwks = get(&srv, "/.well-known/jwks.json", &[]).await;
    assert_eq!(jwks.header("cache-control"), Some("public, max-age=300"));
    let kids: Vec<Value> = jwks.json()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].clone())
        .collect();
    assert_eq!(kids, [json!("ed-2"), json!("rsa-1")]);

    // the old key removed: what it signed is refused, the new key's tokens pass
    let srv = server(&rotated.remove("rsa-1"));
    assert_eq!(me(&srv, &old_access).await, (401, NOT_AUTHENTICATED.into()));
    assert_eq!(verify(&srv, &old_access).await, 401);
    assert_eq!(refresh(&srv, &old_refresh).await.status, 401);
    assert_eq!(me(&srv, &new_access).await, (200, "1".into()));
    assert_eq!(me(&srv, &renewed).await, (200, "1".into()));
}
