//! Access tokens of a real OpenID provider (Node's `oidc-provider`, started by the test on a
//! spare port): discovery, every algorithm, key rotation at the provider (and a kid reused for
//! new material), a provider that is down, slow or answers a huge body, and a flood of unknown
//! `kid`s.
//!
//! Without Node or `npm ci` in tests/oidc-provider these tests print why and pass, unless
//! `DMR_REQUIRE_OIDC=1` (CI).

mod oidc_support;

use std::time::{Duration, Instant};

use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
use dmr_runtime::backends::oidc::{KEYS_UNAVAILABLE, OidcAuth, OidcConfig, OidcToken};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, TestServer, get, serve};
use oidc_support::*;

/// The provider's auth, from application state.
struct Providers {
    main: OidcAuth,
}

struct Me;

#[controller(path = "/me", auth = [|p: &Providers| p.main.clone()])]
impl Me {
    #[endpoint(get, path = "/")]
    async fn me(token: Authed<OidcToken>) -> String {
        format!("{} {}", token.sub, token.scope.join(","))
    }
}

struct MeSync;

#[controller(path = "/sync", auth = [|p: &Providers| p.main.clone()])]
impl MeSync {
    #[endpoint(get, path = "/")]
    fn me(token: Authed<OidcToken>) -> String {
        token.sub.clone()
    }
}

fn server(auth: OidcAuth) -> TestServer {
    let api = Api::new()
        .state(Providers { main: auth })
        .controller::<Me>()
        .controller::<MeSync>()
        .build()
        .expect("api builds");
    serve(api)
}

fn config(provider: &Provider) -> OidcConfig {
    OidcConfig::discover(provider.issuer())
        .audience("api")
        .require_access_token_type(true)
        .refetch_interval(Duration::from_millis(600))
        .timeouts(Duration::from_millis(500), Duration::from_millis(800))
}

async fn me(srv: &TestServer, path: &str, token: &str) -> (u16, String) {
    let seen = get(srv, path, &[("Authorization", &bearer(token))]).await;
    (seen.status.as_u16(), seen.text())
}

const KEYS: &[KeySpec<'static>] = &[
    ("r1", "rsa", None),
    ("e1", "p256", None),
    ("e3", "p384", None),
    ("d1", "ed25519", None),
];

#[actix_rt::test]
async fn discovery_and_every_algorithm() {
    if !provider_or_skip("discovery_and_every_algorithm") {
        return;
    }
    let mut provider = Provider::new();
    provider.start(KEYS);
    let auth: OidcAuth = config(&provider).build().expect("auth builds");
    let srv = server(auth);
    for alg in [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
    ] {
        let token = provider.token(alg);
        assert_eq!(
            me(&srv, "/me/", &token).await,
            (200, "svc read".into()),
            "{alg}"
        );
        assert_eq!(
            me(&srv, "/sync/", &token).await,
            (200, "svc".into()),
            "{alg}"
        );
    }
    // algorithm confusion: an RS256 token relabelled, `none`, HMAC with the public key
    let token = provider.token("RS256");
    for header in [
        r#"{"alg":"PS256","typ":"at+jwt","kid":"r1"}"#,
        r#"{"alg":"ES256","typ":"at+jwt","kid":"r1"}"#,
        r#"{"alg":"none","typ":"at+jwt","kid":"r1"}"#,
        r#"{"alg":"HS256","typ":"at+jwt","kid":"r1"}"#,
        r#"{"alg":"RS256","typ":"JWT","kid":"r1"}"#,
    ] {
        let seen = get(
            &srv,
            "/me/",
            &[("Authorization", &bearer(&with_header(&token, header)))],
        )
        .await;
        assert_eq!(seen.status, 401, "{header}");
        assert_eq!(seen.text(), NOT_AUTHENTICATED);
        assert_eq!(
            seen.header("www-authenticate"),
            Some(
                r#"Bearer error="invalid_token", error_description="The access token is invalid""#
            )
        );
    }
    assert_eq!(me(&srv, "/me/", "not-a-token").await.0, 401);
    let oversized = format!("{token}{}", "A".repeat(9 * 1024));
    assert_eq!(me(&srv, "/me/", &oversized).await.0, 401);
    let garbage = with_header(
        &token,
        &format!(r#"{{"alg":"RS256","kid":"{}"}}"#, "k".repeat(4000)),
    );
    assert_eq!(me(&srv, "/me/", &garbage).await.0, 401);
    assert_eq!(get(&srv, "/me/", &[]).await.status, 401);
}

#[actix_rt::test]
async fn openapi_documents_the_discovery_url() {
    if !provider_or_skip("openapi_documents_the_discovery_url") {
        return;
    }
    let mut provider = Provider::new();
    provider.start(KEYS);
    let auth: OidcAuth = config(&provider).build().expect("auth builds");
    let api = Api::new()
        .state(Providers { main: auth })
        .controller::<Me>()
        .build()
        .expect("api builds");
    let doc: serde_json::Value = serde_json::from_str(api.openapi_json()).unwrap();
    assert_eq!(
        doc["components"]["securitySchemes"]["oidc"],
        serde_json::json!({
            "type": "openIdConnect",
            "description": format!("Access tokens of {}", provider.issuer()),
            "openIdConnectUrl": format!("{}/.well-known/openid-configuration", provider.issuer()),
        })
    );
    assert_eq!(
        doc["paths"]["/me/"]["get"]["security"],
        serde_json::json!([{"oidc": []}])
    );
}

/// A token of the provider with a `kid` it never had.
fn random_kid(token: &str, i: u32) -> String {
    with_header(
        token,
        &format!(r#"{{"alg":"RS256","typ":"at+jwt","kid":"flood-{i}"}}"#),
    )
}

#[actix_rt::test]
async fn a_flood_of_unknown_kids_costs_one_fetch_per_interval() {
    if !provider_or_skip("a_flood_of_unknown_kids_costs_one_fetch_per_interval") {
        return;
    }
    let mut provider = Provider::new();
    provider.start(KEYS);
    let token = provider.token("RS256");
    // the default refetch interval (30 s), and a short one the burst spans many times over
    for interval in [Duration::from_secs(30), Duration::from_millis(250)] {
        let auth: OidcAuth = OidcConfig::discover(provider.issuer())
            .audience("api")
            .refetch_interval(interval)
            .build()
            .expect("auth builds");
        let srv = server(auth.clone());
        actix_rt::time::sleep(interval.min(Duration::from_secs(1))).await;
        let before = provider.jwks_requests();
        let started = Instant::now();
        let mut i = 0;
        while i < 10_000 {
            let batch: Vec<String> = (i..i + 100).map(|n| random_kid(&token, n)).collect();
            let seen =
                futures_util::future::join_all(batch.iter().map(|t| me(&srv, "/me/", t))).await;
            assert!(seen.iter().all(|(status, _)| *status == 401));
            i += 100;
        }
        let elapsed = started.elapsed();
        let fetched = provider.jwks_requests() - before;
        let intervals = (elapsed.as_millis() / interval.as_millis()) as u64 + 1;
        eprintln!(
            "refetch interval {interval:?}: 10000 requests with random kids in {elapsed:?}, \
             {fetched} JWKS fetch(es), at most {intervals} allowed"
        );
        assert!(
            fetched <= intervals,
            "{fetched} fetches in {intervals} interval(s)"
        );
        assert_eq!(
            auth.jwks_fetches(),
            1 + fetched,
            "the startup fetch and the burst's"
        );
        assert_eq!(
            me(&srv, "/me/", &token).await.0,
            200,
            "real tokens still pass"
        );
    }
}

#[actix_rt::test]
async fn key_rotation_at_the_provider() {
    if !provider_or_skip("key_rotation_at_the_provider") {
        return;
    }
    let mut provider = Provider::new();
    provider.start(&[("old", "rsa", None)]);
    let auth: OidcAuth = config(&provider)
        .refresh(
            Duration::from_secs(1),
            Duration::from_secs(1),
            Duration::from_secs(1),
        )
        .build()
        .expect("auth builds");
    let srv = server(auth);
    let old = provider.token("RS256");
    assert_eq!(me(&srv, "/me/", &old).await.0, 200);

    // a new signing key, the old one kept for verification
    provider.start(&[("new", "rsa", None), ("old", "rsa", None)]);
    let new = provider.token("RS256");
    assert!(new != old);
    tokio_sleep(700).await; // past the refetch interval of the startup fetch
    assert_eq!(
        me(&srv, "/me/", &new).await.0,
        200,
        "a new kid is fetched at once"
    );
    assert_eq!(
        me(&srv, "/me/", &old).await.0,
        200,
        "the old key still verifies"
    );

    // the old key removed: its tokens stop passing with the next refresh
    provider.start(&[("new", "rsa", None)]);
    tokio_sleep(2500).await;
    assert_eq!(me(&srv, "/me/", &old).await.0, 401);
    assert_eq!(me(&srv, "/me/", &new).await.0, 200);
}

#[actix_rt::test]
async fn a_kid_reused_for_new_material_is_refetched() {
    if !provider_or_skip("a_kid_reused_for_new_material_is_refetched") {
        return;
    }
    let mut provider = Provider::new();
    provider.start(&[("r1", "rsa", None)]);
    let auth: OidcAuth = config(&provider).build().unwrap();
    let srv = server(auth.clone());
    let before = provider.token("RS256");
    assert_eq!(me(&srv, "/me/", &before).await.0, 200);

    // the same kid, another key: the cached key fails the signature, one refetch brings the new
    provider.regenerate(&["r1"]).start(&[("r1", "rsa", None)]);
    let after = provider.token("RS256");
    tokio_sleep(700).await;
    let fetches = auth.jwks_fetches();
    // (the sync endpoint: the refetch is waited for on the blocking pool)
    assert_eq!(me(&srv, "/sync/", &after).await.0, 200);
    assert_eq!(auth.jwks_fetches(), fetches + 1);
    // the old material is gone: refused at once, without another fetch within the interval
    assert_eq!(me(&srv, "/me/", &before).await.0, 401);
    assert_eq!(me(&srv, "/me/", &before).await.0, 401);
    assert_eq!(auth.jwks_fetches(), fetches + 1);
}

async fn tokio_sleep(ms: u64) {
    actix_rt::time::sleep(Duration::from_millis(ms)).await;
}

#[actix_rt::test]
async fn provider_stopped_then_back() {
    if !provider_or_skip("provider_stopped_then_back") {
        return;
    }
    let mut provider = Provider::new();
    // (the provider signs its ID tokens with RS256: it needs an RSA key too)
    provider.start(&[("k1", "ed25519", None), ("r", "rsa", None)]);
    let auth: OidcAuth = config(&provider)
        .max_stale(Duration::from_secs(4))
        .build()
        .unwrap();
    let srv = server(auth);
    let token = provider.token("EdDSA");
    provider.stop();

    // cached keys serve; an unknown kid is a 401 at once, also when it causes a fetch
    assert_eq!(me(&srv, "/me/", &token).await.0, 200);
    tokio_sleep(700).await;
    for _ in 0..3 {
        let started = Instant::now();
        let unknown = with_header(&token, r#"{"alg":"EdDSA","typ":"at+jwt","kid":"k9"}"#);
        assert_eq!(me(&srv, "/me/", &unknown).await.0, 401);
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "{:?}",
            started.elapsed()
        );
    }
    assert_eq!(me(&srv, "/me/", &token).await.0, 200);

    // past the staleness: fail closed
    tokio_sleep(4200).await;
    let seen = get(&srv, "/me/", &[("Authorization", &bearer(&token))]).await;
    assert_eq!(seen.status, 503);
    assert_eq!(seen.header("retry-after"), Some("1"));
    assert_eq!(seen.json()["detail"][0]["msg"], KEYS_UNAVAILABLE);

    // back (with a rotated key): service resumes by itself
    provider.start(&[
        ("k2", "ed25519", None),
        ("k1", "ed25519", None),
        ("r", "rsa", None),
    ]);
    let fresh = provider.token("EdDSA");
    let mut status = 0;
    for _ in 0..30 {
        status = me(&srv, "/me/", &fresh).await.0;
        if status == 200 {
            break;
        }
        tokio_sleep(200).await;
    }
    assert_eq!(status, 200);
    assert_eq!(me(&srv, "/me/", &token).await.0, 200);
}

#[actix_rt::test]
async fn provider_down_at_startup() {
    if !provider_or_skip("provider_down_at_startup") {
        return;
    }
    let mut provider = Provider::new();
    let started = Instant::now();
    let auth: OidcAuth = config(&provider)
        .startup_wait(Duration::from_millis(300))
        .build()
        .expect("builds while the provider is down");
    assert!(started.elapsed() < Duration::from_secs(2));
    let srv = server(auth);
    let seen = get(&srv, "/me/", &[("Authorization", "Bearer a.b.c")]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.header("retry-after")),
        (503, Some("1"))
    );

    provider.start(KEYS);
    let token = provider.token("ES256");
    let mut seen = (0, String::new());
    for _ in 0..30 {
        seen = me(&srv, "/me/", &token).await;
        if seen.0 != 503 {
            break;
        }
        tokio_sleep(200).await;
    }
    assert_eq!(seen, (200, "svc read".into()));
}

#[actix_rt::test]
async fn slow_and_huge_answers_are_cut_off() {
    if !provider_or_skip("slow_and_huge_answers_are_cut_off") {
        return;
    }
    let mut provider = Provider::new();
    provider.start(KEYS);
    for mode in ["slow", "huge"] {
        provider.mode(mode);
        let started = Instant::now();
        let auth: OidcAuth = config(&provider)
            .startup_wait(Duration::from_secs(10))
            .build()
            .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{mode}: {:?}",
            started.elapsed()
        );
        let srv = server(auth);
        let token = provider.token("RS256");
        let started = Instant::now();
        assert_eq!(me(&srv, "/me/", &token).await.0, 503, "{mode}");
        assert!(started.elapsed() < Duration::from_secs(2), "{mode}");
        provider.mode("normal");
        let mut status = 0;
        for _ in 0..40 {
            status = me(&srv, "/me/", &token).await.0;
            if status == 200 {
                break;
            }
            tokio_sleep(200).await;
        }
        assert_eq!(status, 200, "{mode}: recovers");
    }
}

/// Tokens of another issuer skip, so the next auth of the chain tries them.
struct Chain;

#[controller(path = "/chain", auth = [|p: &Providers| p.main.clone(), JwtAuth::hs256(SECRET)])]
impl Chain {
    #[endpoint(get, path = "/")]
    async fn who(info: AuthInfo) -> String {
        info.scheme().to_owned()
    }
}

const SECRET: &str = "0123456789abcdef0123456789abcdef";

#[actix_rt::test]
async fn another_issuer_skips_to_the_next_auth() {
    if !provider_or_skip("another_issuer_skips_to_the_next_auth") {
        return;
    }
    let mut provider = Provider::new();
    provider.start(KEYS);
    let auth: OidcAuth = config(&provider).build().unwrap();
    let fetches = auth.jwks_fetches();
    let api = Api::new()
        .state(Providers { main: auth.clone() })
        .controller::<Chain>()
        .build()
        .unwrap();
    let srv = serve(api);
    let own = JwtToken::new("7", Duration::from_secs(60)).with_issuer("https://us.example");
    let own = own.encode_hs256(SECRET).unwrap();
    assert_eq!(me(&srv, "/chain/", &own).await, (200, "jwt".into()));
    assert_eq!(
        me(&srv, "/chain/", &provider.token("ES384")).await,
        (200, "oidc".into())
    );
    assert_eq!(
        auth.jwks_fetches(),
        fetches,
        "a token of another issuer causes no fetch"
    );
}
