//! JWT in a header, through a real server: options, user loaders, and the attack set.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dmr_runtime::auth::AuthError;
use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError, JwtToken, JwtUser};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, get, send, serve};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

const SECRET: &str = "integration-secret-0123456789abcdef0123";
const RSA_PRIVATE: &str = include_str!("../keys/rsa_private.pem");
const RSA_PUBLIC: &str = include_str!("../keys/rsa_public.pem");
const ED_PRIVATE: &str = include_str!("../keys/ed_private.pem");
const ED_PUBLIC: &str = include_str!("../keys/ed_public.pem");

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn hs() -> Result<JwtAuth, JwtConfigError> {
    JwtAuth::hs256(SECRET)
}

fn rs() -> Result<JwtAuth, JwtConfigError> {
    JwtAuth::rsa_pem(Algorithm::RS256, RSA_PUBLIC)
}

fn ed() -> Result<JwtAuth, JwtConfigError> {
    JwtAuth::ed_pem(ED_PUBLIC)
}

fn leeway() -> Result<JwtAuth, JwtConfigError> {
    Ok(JwtAuth::hs256(SECRET)?.leeway(30))
}

fn audience() -> Result<JwtAuth, JwtConfigError> {
    Ok(JwtAuth::hs256(SECRET)?
        .accepted_audiences(["dev", "qa"])
        .accepted_issuers(["me"]))
}

fn refresh_ok() -> Result<JwtAuth, JwtConfigError> {
    Ok(JwtAuth::hs256(SECRET)?.accept_refresh_tokens(true))
}

fn custom_header() -> Result<JwtAuth, JwtConfigError> {
    Ok(JwtAuth::hs256(SECRET)?
        .header("X-Api-Auth")
        .auth_scheme("JWT")
        .scheme_name("jwt_custom"))
}

#[derive(Clone, Debug)]
struct User {
    name: String,
}

fn load_user(token: &JwtToken) -> Result<Option<User>, AuthError> {
    match token.sub.as_str() {
        "banned" => Err(AuthError::not_authenticated_with("User is inactive")),
        "ghost" => Ok(None),
        name => Ok(Some(User {
            name: name.to_owned(),
        })),
    }
}

struct Tokens;

#[controller(path = "/jwt")]
impl Tokens {
    #[endpoint(get, path = "/hs", auth = [hs()])]
    async fn hs(token: Authed<JwtToken>) -> actix_web::web::Json<Value> {
        actix_web::web::Json(json!({"sub": token.sub, "extras": token.extras}))
    }
    #[endpoint(get, path = "/rs", auth = [rs()])]
    async fn rs(token: Authed<JwtToken>) -> String {
        token.sub.clone()
    }
    #[endpoint(get, path = "/ed", auth = [ed()])]
    async fn ed(token: Authed<JwtToken>) -> String {
        token.sub.clone()
    }
    #[endpoint(get, path = "/leeway", auth = [leeway()])]
    async fn leeway(token: Authed<JwtToken>) -> String {
        token.sub.clone()
    }
    #[endpoint(get, path = "/aud", auth = [audience()])]
    async fn aud(token: Authed<JwtToken>) -> String {
        token.sub.clone()
    }
    #[endpoint(get, path = "/refresh", auth = [refresh_ok()])]
    async fn refresh(token: Authed<JwtToken>) -> String {
        token.token_type().unwrap_or("none").to_owned()
    }
    #[endpoint(get, path = "/custom", auth = [custom_header()])]
    async fn custom(token: Authed<JwtToken>) -> String {
        token.sub.clone()
    }
    #[endpoint(get, path = "/async-user", auth = [hs().map(|a| a.with_async_user_loader(|t: JwtToken| async move { load_user(&t) }))])]
    async fn async_user(user: Authed<JwtUser<User>>) -> String {
        user.user.name.clone()
    }
}

struct SyncTokens;

#[controller(path = "/sync", auth = [hs().map(|a| a.with_user_loader(load_user))])]
impl SyncTokens {
    #[endpoint(get, path = "/user")]
    fn user(user: Authed<JwtUser<User>>) -> String {
        format!("{}:{}", user.user.name, user.token.sub)
    }
}

struct Short;

#[controller(path = "/short", auth = [JwtAuth::hs256("too-short")])]
impl Short {
    #[endpoint(get, path = "/")]
    async fn never() -> &'static str {
        "never"
    }
}

fn srv() -> dmr_tests::TestServer {
    serve(
        Api::new()
            .controller::<Tokens>()
            .controller::<SyncTokens>()
            .build()
            .unwrap(),
    )
}

fn sign(claims: &Value, alg: Algorithm, key: &EncodingKey) -> String {
    jsonwebtoken::encode(&Header::new(alg), claims, key).unwrap()
}

fn hs_sign(claims: &Value) -> String {
    sign(
        claims,
        Algorithm::HS256,
        &EncodingKey::from_secret(SECRET.as_bytes()).unwrap(),
    )
}

fn claims(sub: &str) -> Value {
    json!({"sub": sub, "exp": now() + 600, "iat": now() - 5})
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

async fn status(srv: &dmr_tests::TestServer, path: &str, token: &str) -> u16 {
    let seen = get(srv, path, &[("authorization", &bearer(token))]).await;
    if seen.status == 401 {
        assert_eq!(seen.text(), NOT_AUTHENTICATED, "{path}");
    }
    seen.status.as_u16()
}

#[actix_rt::test]
async fn valid_tokens_of_every_key_kind() {
    let srv = srv();
    let access = JwtToken::new("42", Duration::from_secs(600))
        .with_type("access")
        .with_extra("role", "admin");
    let token = access.encode_hs256(SECRET).unwrap();
    let seen = get(&srv, "/jwt/hs", &[("authorization", &bearer(&token))]).await;
    assert_eq!(
        seen.json(),
        json!({"sub": "42", "extras": {"type": "access", "role": "admin"}})
    );
    let rsa = sign(
        &claims("rsa"),
        Algorithm::RS256,
        &EncodingKey::from_rsa_pem(RSA_PRIVATE.as_bytes()).unwrap(),
    );
    assert_eq!(
        get(&srv, "/jwt/rs", &[("authorization", &bearer(&rsa))])
            .await
            .text(),
        "rsa"
    );
    let edt = sign(
        &claims("ed"),
        Algorithm::EdDSA,
        &EncodingKey::from_ed_pem(ED_PRIVATE.as_bytes()).unwrap(),
    );
    assert_eq!(
        get(&srv, "/jwt/ed", &[("authorization", &bearer(&edt))])
            .await
            .text(),
        "ed"
    );
}

#[actix_rt::test]
async fn algorithm_attacks_are_401() {
    let srv = srv();
    // alg: none, unsigned
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims("x").to_string());
    assert_eq!(
        status(&srv, "/jwt/hs", &format!("{header}.{payload}.")).await,
        401
    );
    // HS256 signed with the RSA public key, against the RS256 auth (algorithm confusion)
    let confused = sign(
        &claims("x"),
        Algorithm::HS256,
        &EncodingKey::from_secret(RSA_PUBLIC.as_bytes()).unwrap(),
    );
    assert_eq!(status(&srv, "/jwt/rs", &confused).await, 401);
    // right algorithm family, other algorithm
    let hs512 = sign(
        &claims("x"),
        Algorithm::HS512,
        &EncodingKey::from_secret(SECRET.as_bytes()).unwrap(),
    );
    assert_eq!(status(&srv, "/jwt/hs", &hs512).await, 401);
    // wrong signature: another secret; a flipped signature byte
    let other = sign(
        &claims("x"),
        Algorithm::HS256,
        &EncodingKey::from_secret(b"another-secret-0123456789abcdef0123").unwrap(),
    );
    assert_eq!(status(&srv, "/jwt/hs", &other).await, 401);
    let mut good = hs_sign(&claims("x"));
    let last = good.pop().unwrap();
    good.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(status(&srv, "/jwt/hs", &good).await, 401);
}

#[actix_rt::test]
async fn time_claims_at_the_edges() {
    let srv = srv();
    let t = now();
    // expired iff exp <= now - leeway: `exp == now` is already expired
    assert_eq!(
        status(
            &srv,
            "/jwt/hs",
            &hs_sign(&json!({"sub": "x", "exp": t, "iat": t - 10}))
        )
        .await,
        401
    );
    assert_eq!(
        status(
            &srv,
            "/jwt/leeway",
            &hs_sign(&json!({"sub": "x", "exp": t - 30, "iat": t - 60}))
        )
        .await,
        401
    );
    assert_eq!(
        status(
            &srv,
            "/jwt/hs",
            &hs_sign(&json!({"sub": "x", "exp": t - 1, "iat": t - 10}))
        )
        .await,
        401
    );
    assert_eq!(
        status(
            &srv,
            "/jwt/hs",
            &hs_sign(&json!({"sub": "x", "exp": t - 2, "iat": t - 10}))
        )
        .await,
        401
    );
    assert_eq!(
        status(
            &srv,
            "/jwt/leeway",
            &hs_sign(&json!({"sub": "x", "exp": t - 10, "iat": t - 20}))
        )
        .await,
        200
    );
    assert_eq!(
        status(
            &srv,
            "/jwt/leeway",
            &hs_sign(&json!({"sub": "x", "exp": t - 40, "iat": t - 60}))
        )
        .await,
        401
    );
    // nbf and iat in the future
    assert_eq!(
        status(
            &srv,
            "/jwt/hs",
            &hs_sign(&json!({"sub": "x", "exp": t + 600, "iat": t, "nbf": t + 120}))
        )
        .await,
        401
    );
    assert_eq!(
        status(
            &srv,
            "/jwt/hs",
            &hs_sign(&json!({"sub": "x", "exp": t + 600, "iat": t + 120}))
        )
        .await,
        401
    );
    // iat in the future but inside the leeway passes (reference quirk 2 was a 500)
    assert_eq!(
        status(
            &srv,
            "/jwt/leeway",
            &hs_sign(&json!({"sub": "x", "exp": t + 600, "iat": t + 10}))
        )
        .await,
        200
    );
    assert_eq!(
        status(
            &srv,
            "/jwt/leeway",
            &hs_sign(&json!({"sub": "x", "exp": t + 600, "nbf": t + 10, "iat": t}))
        )
        .await,
        200
    );
}

#[actix_rt::test]
async fn malformed_claims_are_401() {
    let srv = srv();
    let t = now();
    for claims in [
        json!({"exp": t + 600, "iat": t}),                       // no sub
        json!({"sub": "x", "iat": t}),                           // no exp
        json!({"sub": "x", "exp": t + 600}),                     // no iat
        json!({"sub": "", "exp": t + 600, "iat": t}),            // empty sub (quirk 1)
        json!({"sub": 42, "exp": t + 600, "iat": t}),            // non-string sub
        json!({"sub": "x", "exp": t + 600, "iat": t, "jti": 7}), // non-string jti
        json!({"sub": "x", "exp": "soon", "iat": t}),            // non-numeric exp
        json!({"sub": "x", "exp": t + 600, "iat": t, "extras": "str", "email": "a@b"}), // quirk 3
    ] {
        assert_eq!(
            status(&srv, "/jwt/hs", &hs_sign(&claims)).await,
            401,
            "{claims}"
        );
    }
}

#[actix_rt::test]
async fn audience_and_issuer() {
    let srv = srv();
    let t = now();
    let ok = json!({"sub": "x", "exp": t + 600, "iat": t, "aud": ["qa", "other"], "iss": "me"});
    assert_eq!(status(&srv, "/jwt/aud", &hs_sign(&ok)).await, 200);
    for bad in [
        json!({"sub": "x", "exp": t + 600, "iat": t, "aud": "prod", "iss": "me"}),
        json!({"sub": "x", "exp": t + 600, "iat": t, "iss": "me"}),
        json!({"sub": "x", "exp": t + 600, "iat": t, "aud": "dev", "iss": "you"}),
        json!({"sub": "x", "exp": t + 600, "iat": t, "aud": "dev"}),
    ] {
        assert_eq!(status(&srv, "/jwt/aud", &hs_sign(&bad)).await, 401, "{bad}");
    }
    // without accepted audiences, a token's aud is ignored
    let any = json!({"sub": "x", "exp": t + 600, "iat": t, "aud": "whatever"});
    assert_eq!(status(&srv, "/jwt/hs", &hs_sign(&any)).await, 200);
}

#[actix_rt::test]
async fn refresh_tokens_are_refused_unless_configured() {
    let srv = srv();
    let refresh = JwtToken::new("7", Duration::from_secs(600))
        .with_type("refresh")
        .encode_hs256(SECRET)
        .unwrap();
    assert_eq!(status(&srv, "/jwt/hs", &refresh).await, 401);
    let top_level =
        hs_sign(&json!({"sub": "7", "exp": now() + 600, "iat": now(), "type": "refresh"}));
    assert_eq!(status(&srv, "/jwt/hs", &top_level).await, 401);
    let seen = get(
        &srv,
        "/jwt/refresh",
        &[("authorization", &bearer(&refresh))],
    )
    .await;
    assert_eq!(seen.text(), "refresh");
}

#[actix_rt::test]
async fn header_parsing_skips_and_hostile_values() {
    let srv = srv();
    let token = hs_sign(&claims("x"));
    // not ours (skip) -> the generic 401 with the Bearer challenge
    for value in [
        "",
        " ",
        "Bearer",
        "bearer x",
        "Bearer  x",
        "NotBearer token",
        "not a token",
        &format!("bearer {token}"),
    ] {
        let seen = get(&srv, "/jwt/hs", &[("authorization", value)]).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned()),
            "{value:?}"
        );
        assert_eq!(seen.header("www-authenticate"), Some("Bearer"));
    }
    // ours but broken
    assert_eq!(status(&srv, "/jwt/hs", "token").await, 401);
    let huge = format!("Bearer {}", "a".repeat(64 * 1024));
    let big_token = format!(
        "Bearer {}.{}.{}",
        "e".repeat(30_000),
        "e".repeat(30_000),
        "e".repeat(4_000)
    );
    for value in [
        huge.as_bytes(),
        big_token.as_bytes(),
        b"Bearer \xff\xfe",
        b"\xff",
        b"Bearer e30.e30.\x80",
    ] {
        let seen = send(&srv, "GET", "/jwt/hs", &[("authorization", value)], None).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned())
        );
    }
}

#[actix_rt::test]
async fn custom_header_and_scheme_word() {
    let srv = srv();
    let token = hs_sign(&claims("custom"));
    let seen = get(
        &srv,
        "/jwt/custom",
        &[("x-api-auth", &format!("JWT {token}"))],
    )
    .await;
    assert_eq!(seen.text(), "custom");
    assert_eq!(
        get(&srv, "/jwt/custom", &[("x-api-auth", &bearer(&token))])
            .await
            .status,
        401
    );
    assert_eq!(
        get(&srv, "/jwt/custom", &[("authorization", &bearer(&token))])
            .await
            .status,
        401
    );
}

#[actix_rt::test]
async fn user_loaders_sync_and_async() {
    let srv = srv();
    let seen = get(
        &srv,
        "/sync/user",
        &[("authorization", &bearer(&hs_sign(&claims("ann"))))],
    )
    .await;
    assert_eq!(seen.text(), "ann:ann");
    let seen = get(
        &srv,
        "/jwt/async-user",
        &[("authorization", &bearer(&hs_sign(&claims("bob"))))],
    )
    .await;
    assert_eq!(seen.text(), "bob");
    let seen = get(
        &srv,
        "/jwt/async-user",
        &[("authorization", &bearer(&hs_sign(&claims("ghost"))))],
    )
    .await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
    let seen = get(
        &srv,
        "/sync/user",
        &[("authorization", &bearer(&hs_sign(&claims("banned"))))],
    )
    .await;
    assert_eq!(
        seen.text(),
        r#"{"detail":[{"msg":"User is inactive","type":"security"}]}"#
    );
}

#[test]
fn a_short_secret_is_refused_when_the_api_is_built() {
    let err = Api::new()
        .controller::<Short>()
        .build()
        .err()
        .expect("short secret must fail");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "auth `JwtAuth` in `auth = [..]` of controller `Short` cannot be built: the HS256 secret is 9 bytes long"
        ),
        "{text}"
    );
}
