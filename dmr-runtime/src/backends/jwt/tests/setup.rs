//! Building the auth (errors found at build time), its OpenAPI docs, user loaders, encoding.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

#[cfg(feature = "jwt-asymmetric")]
use super::keys::{EC_PUBLIC, ED_PUBLIC, RSA_PRIVATE, RSA_PUBLIC};
use super::{SECRET, auth, claims, hs, invalid_token};
use crate::auth::{AsyncAuth, Auth, AuthError, AuthRequest, SyncAuth};
use crate::backends::jwt::{
    Algorithm, DecodingKey, JwtAuth, JwtConfigError, JwtError, JwtToken, JwtUser,
};
#[cfg(feature = "jwt-asymmetric")]
use crate::backends::jwt::{AlgorithmFamily, EncodingKey};

#[test]
fn short_hmac_secrets_are_refused_at_build() {
    assert_eq!(
        JwtAuth::hs256("short").unwrap_err(),
        JwtConfigError::ShortSecret {
            alg: Algorithm::HS256,
            len: 5,
            min: 32
        }
    );
    assert!(JwtAuth::hs256([1u8; 31]).is_err());
    for (alg, min) in [
        (Algorithm::HS256, 32),
        (Algorithm::HS384, 48),
        (Algorithm::HS512, 64),
    ] {
        assert!(matches!(
            JwtAuth::hmac(alg, vec![1u8; min - 1]),
            Err(JwtConfigError::ShortSecret { .. })
        ));
        assert!(JwtAuth::hmac(alg, vec![1u8; min]).is_ok());
    }
    assert!(matches!(
        JwtAuth::hs256(""),
        Err(JwtConfigError::InvalidKey(_))
    ));
    assert!(matches!(
        JwtAuth::hmac_allow_short_secret(Algorithm::HS256, ""),
        Err(JwtConfigError::InvalidKey(_))
    ));
    // the explicit opt-in works end to end
    let legacy = JwtAuth::hmac_allow_short_secret(Algorithm::HS256, "legacy").unwrap();
    let jwt = JwtToken::new("1", Duration::from_secs(60))
        .encode_hs256("legacy")
        .unwrap();
    assert_eq!(legacy.decode(&jwt).unwrap().sub, "1");
    // and `new` applies the same rule
    let short = DecodingKey::from_secret(b"short").unwrap();
    assert!(matches!(
        JwtAuth::new(Algorithm::HS256, short),
        Err(JwtConfigError::ShortSecret { .. })
    ));
}

#[test]
#[cfg(feature = "jwt-asymmetric")]
fn keys_that_do_not_fit_are_refused_at_build() {
    let mismatch = JwtAuth::hmac(Algorithm::RS256, SECRET).unwrap_err();
    assert_eq!(
        mismatch,
        JwtConfigError::KeyMismatch {
            alg: Algorithm::RS256,
            key: AlgorithmFamily::Hmac
        }
    );
    assert!(matches!(
        JwtAuth::rsa_pem(Algorithm::HS256, RSA_PUBLIC),
        Err(JwtConfigError::KeyMismatch { .. })
    ));
    assert!(matches!(
        JwtAuth::rsa_pem(Algorithm::ES256, RSA_PUBLIC),
        Err(JwtConfigError::KeyMismatch { .. })
    ));
    assert!(matches!(
        JwtAuth::rsa_pem(Algorithm::RS256, RSA_PRIVATE),
        Err(JwtConfigError::InvalidKey(_))
    ));
    assert!(matches!(
        JwtAuth::rsa_pem(Algorithm::RS256, "junk"),
        Err(JwtConfigError::InvalidKey(_))
    ));
    assert!(matches!(
        JwtAuth::ec_pem(Algorithm::ES384, EC_PUBLIC),
        Err(JwtConfigError::InvalidKey(_))
    ));
    assert!(matches!(
        JwtAuth::ec_pem(Algorithm::ES256, ED_PUBLIC),
        Err(JwtConfigError::InvalidKey(_))
    ));
    assert!(matches!(
        JwtAuth::ed_pem(EC_PUBLIC),
        Err(JwtConfigError::InvalidKey(_))
    ));
    // jsonwebtoken would panic on a short Ed25519 key at the first request
    let short_ed = DecodingKey::from_ed_der(&[1, 2, 3]);
    assert!(matches!(
        JwtAuth::new(Algorithm::EdDSA, short_ed),
        Err(JwtConfigError::InvalidKey(_))
    ));
    assert_eq!(
        JwtAuth::ed_pem(ED_PUBLIC).unwrap().algorithm(),
        Algorithm::EdDSA
    );
}

#[test]
fn strict_audience_needs_exactly_one_audience_at_build() {
    assert_eq!(
        auth().strict_audience(true).unwrap_err(),
        JwtConfigError::StrictAudience { count: 0 }
    );
    let two = auth()
        .accepted_audiences(["a", "b"])
        .strict_audience(true)
        .unwrap_err();
    assert_eq!(two, JwtConfigError::StrictAudience { count: 2 });
    assert!(auth().strict_audience(false).is_ok());
    assert!(
        auth()
            .accepted_audiences(["a"])
            .strict_audience(true)
            .is_ok()
    );
}

#[test]
fn error_messages_are_lowercase_without_period() {
    #[allow(unused_mut)]
    let mut errors: Vec<Box<dyn std::error::Error>> = vec![
        Box::new(JwtAuth::hs256("x").unwrap_err()),
        Box::new(JwtAuth::hmac(Algorithm::RS256, SECRET).unwrap_err()),
        Box::new(JwtConfigError::AsymmetricDisabled {
            alg: Algorithm::RS256,
        }),
        Box::new(auth().strict_audience(true).unwrap_err()),
        Box::new(JwtConfigError::NoCryptoProvider),
        Box::new(JwtError::Invalid("token expired")),
        Box::new(
            JwtToken::new("", Duration::from_secs(1))
                .encode_hs256(SECRET)
                .unwrap_err(),
        ),
    ];
    #[cfg(feature = "jwt-asymmetric")]
    errors.push(Box::new(
        JwtAuth::rsa_pem(Algorithm::RS256, "junk").unwrap_err(),
    ));
    for e in errors {
        let msg = e.to_string();
        assert!(
            msg.starts_with(|c: char| c.is_lowercase()) && !msg.ends_with('.'),
            "{msg}"
        );
    }
}

fn scheme_json<A: Auth>(auth: &A) -> serde_json::Value {
    let schemes = auth.schemes();
    assert_eq!(schemes.len(), 1);
    json!({ schemes[0].name.clone(): serde_json::to_value(&schemes[0].scheme).unwrap() })
}

#[test]
fn openapi_schemes_and_challenges() {
    let standard = auth();
    assert_eq!(
        serde_json::to_string(&standard.schemes()[0].scheme).unwrap(),
        r#"{"type":"http","description":"JWT token auth","scheme":"Bearer","bearerFormat":"JWT"}"#
    );
    assert_eq!(Auth::scheme_name(&standard), "jwt");
    assert_eq!(standard.requirement(), vec!["jwt".to_owned()]);
    assert_eq!(standard.challenge().as_deref(), Some("Bearer"));

    let lower = auth().auth_scheme("bearer").scheme_name("jwt_lower");
    assert_eq!(scheme_json(&lower)["jwt_lower"]["scheme"], "bearer");
    assert_eq!(lower.challenge().as_deref(), Some("bearer"));

    let custom = auth().header("x-api-auth").auth_scheme("JWT");
    assert_eq!(
        serde_json::to_string(&custom.schemes()[0].scheme).unwrap(),
        r#"{"type":"apiKey","description":"JWT token auth via `X-Api-Auth` header using `JWT <token>` format","name":"X-Api-Auth","in":"header"}"#
    );
    assert_eq!(custom.challenge(), None);

    let jwt_word = auth().auth_scheme("JWT");
    let doc = scheme_json(&jwt_word);
    assert_eq!(doc["jwt"]["type"], "apiKey");
    assert_eq!(doc["jwt"]["name"], "Authorization");
    assert_eq!(jwt_word.challenge().as_deref(), Some("JWT"));
}

#[test]
#[should_panic(expected = "single word")]
fn auth_scheme_with_a_space_panics_at_startup() {
    let _ = auth().auth_scheme("Bearer token");
}

#[derive(Debug, Clone, PartialEq)]
struct User {
    id: u64,
}

fn loaded(sub: &str) -> Result<Option<User>, AuthError> {
    match sub {
        "teapot" => Err(AuthError::api(
            StatusCode::IM_A_TEAPOT,
            json!({"tea": true}),
        )),
        _ => Ok(sub
            .parse()
            .ok()
            .filter(|id| *id < 100)
            .map(|id| User { id })),
    }
}

fn request(token: Option<&str>) -> actix_web::HttpRequest {
    let req = TestRequest::get();
    match token {
        Some(t) => req.insert_header(("Authorization", format!("Bearer {t}"))),
        None => req,
    }
    .to_http_request()
}

fn token_for(sub: &str) -> String {
    JwtToken::new(sub, Duration::from_secs(60))
        .encode_hs256(SECRET)
        .unwrap()
}

#[test]
fn sync_user_loader() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let auth = auth().with_user_loader(move |token| {
        counter.fetch_add(1, Ordering::SeqCst);
        loaded(&token.sub)
    });
    let run = |t: Option<&str>| auth.authenticate_sync(&AuthRequest::live(&request(t)));

    let JwtUser { token, user } = run(Some(&token_for("7"))).unwrap().unwrap();
    assert_eq!((token.sub.as_str(), user), ("7", User { id: 7 }));
    for unusable in ["500", "admin", "1.5"] {
        assert_eq!(
            run(Some(&token_for(unusable))),
            Err(invalid_token()),
            "{unusable}"
        );
    }
    assert_eq!(
        run(Some(&token_for("teapot"))).unwrap_err().status(),
        StatusCode::IM_A_TEAPOT
    );
    let before = calls.load(Ordering::SeqCst);
    assert_eq!(run(None), Ok(None));
    assert_eq!(run(Some("garbage")), Err(invalid_token()));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        before,
        "the loader only sees checked tokens"
    );
    // the snapshot view (blocking pool) works the same
    let snapshot = crate::auth::RequestSnapshot::of(&request(Some(&token_for("3"))));
    assert_eq!(
        auth.authenticate_sync(&snapshot.view())
            .unwrap()
            .unwrap()
            .user,
        User { id: 3 }
    );
}

#[actix_rt::test]
async fn async_user_loader() {
    let auth = auth().with_async_user_loader(|token: JwtToken| async move { loaded(&token.sub) });
    let req = request(Some(&token_for("42")));
    let found = auth
        .authenticate(&AuthRequest::live(&req))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.token.sub.as_str(), found.user.id), ("42", 42));
    let req = request(Some(&token_for("404")));
    assert_eq!(
        auth.authenticate(&AuthRequest::live(&req)).await,
        Err(invalid_token())
    );
    let req = request(None);
    assert_eq!(auth.authenticate(&AuthRequest::live(&req)).await, Ok(None));
    let refresh = JwtToken::new("1", Duration::from_secs(60))
        .with_type("refresh")
        .encode_hs256(SECRET)
        .unwrap();
    let req = request(Some(&refresh));
    assert_eq!(
        auth.authenticate(&AuthRequest::live(&req)).await,
        Err(invalid_token())
    );
    assert_eq!(Auth::scheme_name(&auth), "jwt");
    assert_eq!(auth.challenge().as_deref(), Some("Bearer"));
}

#[actix_rt::test]
async fn without_a_loader_the_auth_fits_both_kinds() {
    fn both<A: SyncAuth + AsyncAuth + Clone + std::fmt::Debug>(a: &A) -> A {
        a.clone()
    }
    let auth = both(&auth());
    let jwt = hs(&claims());
    let req = request(Some(&jwt));
    assert_eq!(
        auth.authenticate(&AuthRequest::live(&req))
            .await
            .unwrap()
            .unwrap()
            .sub,
        "1"
    );
    assert_eq!(
        auth.authenticate_sync(&AuthRequest::live(&req))
            .unwrap()
            .unwrap()
            .sub,
        "1"
    );
    // no key material in Debug output
    assert!(!format!("{auth:?}").contains("0123456789abcdef"));
}

#[test]
fn encoding_matches_the_reference_layout() {
    let token = JwtToken::new("1", Duration::from_secs(60))
        .with_issuer("me")
        .with_audience(vec!["dev", "qa"])
        .with_jti("c143")
        .with_type("access");
    let jwt = token.encode_hs256(SECRET).unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    let decode = |p: &str| String::from_utf8(URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap();
    assert_eq!(decode(parts[0]), r#"{"alg":"HS256","typ":"JWT"}"#);
    let expected = format!(
        r#"{{"sub":"1","exp":{},"iat":{},"iss":"me","aud":["dev","qa"],"jti":"c143","extras":{{"type":"access"}}}}"#,
        token.exp, token.iat
    );
    assert_eq!(decode(parts[1]), expected);
    assert_eq!(auth().decode(&jwt).unwrap(), token);

    let bare = JwtToken::new("1", Duration::from_secs(60));
    let payload = decode(
        bare.encode_hs256(SECRET)
            .unwrap()
            .split('.')
            .nth(1)
            .unwrap(),
    );
    assert!(
        payload.ends_with(r#","extras":{}}"#) && !payload.contains("iss"),
        "{payload}"
    );

    // a key of another family, and an RSA round trip with the header the auth expects
    #[cfg(feature = "jwt-asymmetric")]
    rsa_round_trip(&bare);
}

#[cfg(feature = "jwt-asymmetric")]
fn rsa_round_trip(bare: &JwtToken) {
    let decode = |p: &str| String::from_utf8(URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap();
    let rsa_key = EncodingKey::from_rsa_pem(RSA_PRIVATE.as_bytes()).unwrap();
    assert!(matches!(
        bare.encode(&rsa_key, Algorithm::HS256),
        Err(JwtError::Encode(_))
    ));
    let rs = bare.encode(&rsa_key, Algorithm::RS384).unwrap();
    assert_eq!(
        decode(rs.split('.').next().unwrap()),
        r#"{"alg":"RS384","typ":"JWT"}"#
    );
    let rsa = JwtAuth::rsa_pem(Algorithm::RS384, RSA_PUBLIC).unwrap();
    assert_eq!(&rsa.decode(&rs).unwrap(), bare);
}
