//! Rotating the HMAC secret of JWTs: tokens signed with a fallback secret still pass, the
//! current secret alone signs, and removing the fallback refuses what it signed.

use std::time::Duration;

use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, TestServer, get, serve};

const OLD: &str = "the old secret, thirty-two bytes long";
const NEW: &str = "the new secret, thirty-two bytes long";

struct Secrets {
    fallbacks: Vec<&'static str>,
}

struct Me;

#[controller(path = "/me", auth = [|s: &Secrets| JwtAuth::hs256(NEW)?.fallback_secrets(s.fallbacks.clone())])]
impl Me {
    #[endpoint(get, path = "/")]
    async fn me(token: Authed<JwtToken>) -> String {
        token.sub.clone()
    }
}

fn server(fallbacks: Vec<&'static str>) -> TestServer {
    let api = Api::new()
        .state(Secrets { fallbacks })
        .controller::<Me>()
        .build()
        .unwrap();
    serve(api)
}

async fn me(srv: &TestServer, secret: &str) -> (u16, String) {
    let jwt = JwtToken::new("ann", Duration::from_secs(60))
        .encode_hs256(secret)
        .unwrap();
    let seen = get(srv, "/me/", &[("Authorization", &format!("Bearer {jwt}"))]).await;
    (seen.status.as_u16(), seen.text())
}

#[actix_rt::test]
async fn a_fallback_secret_verifies_until_it_is_removed() {
    let rotating = server(vec![OLD]);
    assert_eq!(me(&rotating, NEW).await, (200, "ann".into()));
    assert_eq!(me(&rotating, OLD).await, (200, "ann".into()));
    let other = "another secret, thirty-two bytes long";
    assert_eq!(me(&rotating, other).await, (401, NOT_AUTHENTICATED.into()));

    let removed = server(vec![]);
    assert_eq!(me(&removed, NEW).await.0, 200);
    assert_eq!(me(&removed, OLD).await, (401, NOT_AUTHENTICATED.into()));
}
