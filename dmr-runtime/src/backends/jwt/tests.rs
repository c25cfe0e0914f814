//! Unit tests of the header JWT backend: header parsing, algorithms and hostile tokens here,
//! claim rules in `claims`, configuration, docs and loaders in `setup`.

mod claims;
// (RSA, EC and Ed25519 keys: the asymmetric tests)
#[cfg(feature = "jwt-asymmetric")]
mod keys;
mod oracle;
#[cfg(feature = "jwt-asymmetric")]
mod ring;
mod setup;

use actix_web::http::header::{AUTHORIZATION, HeaderValue};
use actix_web::test::TestRequest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::token::unix_now;
use super::{Algorithm, EncodingKey, JwtAuth, JwtError, JwtToken};
use crate::auth::{AuthError, AuthRequest, AuthResult, Challenge, InlineAuth};
#[cfg(feature = "jwt-asymmetric")]
use keys::{EC_PRIVATE, EC_PUBLIC, ED_PRIVATE, ED_PUBLIC, RSA_PRIVATE, RSA_PUBLIC};

const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

/// Signs any header and payload, including ones `JwtToken` would never produce.
fn sign(header: Value, payload: &Value, key: &EncodingKey, alg: Algorithm) -> String {
    let message = format!("{}.{}", b64(&header), b64(payload));
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), key, alg).unwrap();
    format!("{message}.{signature}")
}

fn hs256_key() -> EncodingKey {
    EncodingKey::from_secret(SECRET.as_bytes()).unwrap()
}

/// An HS256 token with [`SECRET`] and exactly this payload.
fn hs(payload: &Value) -> String {
    sign(
        json!({"alg": "HS256", "typ": "JWT"}),
        payload,
        &hs256_key(),
        Algorithm::HS256,
    )
}

/// Valid claims: `sub` 1, issued now, expiring in 5 minutes.
fn claims() -> Value {
    let now = unix_now();
    json!({"sub": "1", "exp": now + 300, "iat": now})
}

/// [`claims`] with fields set (a `null` value removes the field).
fn claims_with(fields: Value) -> Value {
    let mut c = claims();
    let (Value::Object(map), Value::Object(fields)) = (&mut c, fields) else {
        unreachable!()
    };
    for (k, v) in fields {
        if v.is_null() {
            map.remove(&k);
        } else {
            map.insert(k, v);
        }
    }
    c
}

fn auth() -> JwtAuth {
    JwtAuth::hs256(SECRET).unwrap()
}

fn check_value(auth: &JwtAuth, value: HeaderValue) -> AuthResult<JwtToken> {
    let req = TestRequest::get()
        .insert_header((AUTHORIZATION, value))
        .to_http_request();
    auth.authenticate_inline(&AuthRequest::live(&req))
}

fn check(auth: &JwtAuth, value: &str) -> AuthResult<JwtToken> {
    check_value(auth, HeaderValue::from_str(value).unwrap())
}

fn bearer(auth: &JwtAuth, token: &str) -> AuthResult<JwtToken> {
    check(auth, &format!("Bearer {token}"))
}

/// A presented token refused: a 401 whose `Bearer` challenge says `invalid_token`.
fn invalid_token() -> AuthError {
    AuthError::not_authenticated().with_challenge(Challenge::invalid_token(
        "Bearer",
        "The access token is invalid",
    ))
}

fn denied() -> AuthResult<JwtToken> {
    Err(invalid_token())
}

/// A presented token refused as expired.
fn expired_401() -> AuthResult<JwtToken> {
    Err(
        AuthError::not_authenticated().with_challenge(Challenge::invalid_token(
            "Bearer",
            "The access token expired",
        )),
    )
}

/// Asserts success and returns the token.
#[track_caller]
fn accepted(result: AuthResult<JwtToken>) -> JwtToken {
    match result {
        Ok(Some(token)) => token,
        other => panic!("expected success, got {other:?}"),
    }
}

/// The reason a token is refused at a fixed time (for exact boundaries).
fn reason_at(auth: &JwtAuth, token: &str, now: i64) -> Result<JwtToken, JwtError> {
    auth.core.decode_at(token, now)
}

#[test]
fn hmac_algorithms() {
    for (alg, len) in [
        (Algorithm::HS256, 32),
        (Algorithm::HS384, 48),
        (Algorithm::HS512, 64),
    ] {
        let secret = vec![b'k'; len];
        let auth = JwtAuth::hmac(alg, &secret).unwrap();
        let key = EncodingKey::from_secret(&secret).unwrap();
        let jwt = JwtToken::new("9", std::time::Duration::from_secs(60))
            .encode(&key, alg)
            .unwrap();
        assert_eq!(accepted(bearer(&auth, &jwt)).sub, "9", "{alg:?}");
        // the same secret under another HMAC algorithm is refused
        let other = if alg == Algorithm::HS256 {
            Algorithm::HS512
        } else {
            Algorithm::HS256
        };
        let jwt = JwtToken::new("9", std::time::Duration::from_secs(60))
            .encode(&key, other)
            .unwrap();
        assert_eq!(bearer(&auth, &jwt), denied(), "{alg:?} with {other:?}");
    }
}

#[test]
#[cfg(feature = "jwt-asymmetric")]
fn asymmetric_algorithms() {
    let token = JwtToken::new("5", std::time::Duration::from_secs(60));
    let cases = [
        (
            JwtAuth::rsa_pem(Algorithm::RS256, RSA_PUBLIC),
            EncodingKey::from_rsa_pem(RSA_PRIVATE.as_bytes()),
            Algorithm::RS256,
        ),
        (
            JwtAuth::rsa_pem(Algorithm::PS256, RSA_PUBLIC),
            EncodingKey::from_rsa_pem(RSA_PRIVATE.as_bytes()),
            Algorithm::PS256,
        ),
        (
            JwtAuth::ec_pem(Algorithm::ES256, EC_PUBLIC),
            EncodingKey::from_ec_pem(EC_PRIVATE.as_bytes()),
            Algorithm::ES256,
        ),
        (
            JwtAuth::ed_pem(ED_PUBLIC),
            EncodingKey::from_ed_pem(ED_PRIVATE.as_bytes()),
            Algorithm::EdDSA,
        ),
    ];
    for (auth, key, alg) in cases {
        let (auth, key) = (auth.unwrap(), key.unwrap());
        let jwt = token.encode(&key, alg).unwrap();
        assert_eq!(accepted(bearer(&auth, &jwt)).sub, "5", "{alg:?}");
        // a flipped signature bit is refused
        let mut bytes = jwt.into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        assert_eq!(bearer(&auth, &tampered), denied(), "{alg:?} tampered");
    }
}

#[test]
fn alg_none_is_refused() {
    let auth = auth();
    for header in [
        json!({"alg": "none", "typ": "JWT"}),
        json!({"alg": "None"}),
        json!({"alg": "NONE"}),
    ] {
        let unsigned = format!("{}.{}.", b64(&header), b64(&claims()));
        assert_eq!(bearer(&auth, &unsigned), denied());
        // with the HMAC signature of the same message tacked on
        let signed = hs(&claims());
        let sig = signed.rsplit('.').next().unwrap();
        assert_eq!(bearer(&auth, &format!("{unsigned}{sig}")), denied());
    }
}

#[test]
#[cfg(feature = "jwt-asymmetric")]
fn algorithm_confusion_is_refused() {
    let rsa = JwtAuth::rsa_pem(Algorithm::RS256, RSA_PUBLIC).unwrap();
    // HS256 signed with the RSA public key's PEM text as the HMAC secret
    let pem_as_secret = EncodingKey::from_secret(RSA_PUBLIC.as_bytes()).unwrap();
    let forged = sign(
        json!({"alg": "HS256", "typ": "JWT"}),
        &claims(),
        &pem_as_secret,
        Algorithm::HS256,
    );
    assert_eq!(bearer(&rsa, &forged), denied());
    let mut header = json!({"alg": "RS256", "typ": "JWT"});
    let mislabelled = format!("{}.{}", b64(&header), forged.split_once('.').unwrap().1);
    assert_eq!(bearer(&rsa, &mislabelled), denied());
    // an RS256 token against an HMAC auth
    let rsa_key = EncodingKey::from_rsa_pem(RSA_PRIVATE.as_bytes()).unwrap();
    let rs256 = sign(header.take(), &claims(), &rsa_key, Algorithm::RS256);
    assert_eq!(bearer(&auth(), &rs256), denied());
    assert!(accepted(bearer(&rsa, &rs256)).sub == "1");
}

#[test]
fn bad_signatures_and_malformed_tokens() {
    let auth = auth();
    let other = EncodingKey::from_secret(b"another secret that is long enough!!").unwrap();
    let wrong_key = sign(
        json!({"alg": "HS256", "typ": "JWT"}),
        &claims(),
        &other,
        Algorithm::HS256,
    );
    assert_eq!(bearer(&auth, &wrong_key), denied());

    let good = hs(&claims());
    let (head, rest) = good.split_once('.').unwrap();
    let sig = rest.split_once('.').unwrap().1;
    let swapped_payload = format!(
        "{head}.{}.{sig}",
        b64(&claims_with(json!({"sub": "admin"})))
    );
    assert_eq!(bearer(&auth, &swapped_payload), denied());

    let raw = |part: &[u8]| URL_SAFE_NO_PAD.encode(part);
    let signed_raw = |payload: &[u8]| {
        let message = format!("{}.{}", b64(&json!({"alg": "HS256"})), raw(payload));
        let sig =
            jsonwebtoken::crypto::sign(message.as_bytes(), &hs256_key(), Algorithm::HS256).unwrap();
        format!("{message}.{sig}")
    };
    let cases = [
        "token".to_owned(),
        "a.b".to_owned(),
        "a.b.c.d".to_owned(),
        "..".to_owned(),
        format!("{good}.x"),
        format!("{head}.%%%.{sig}"),
        format!("{}.{}", raw(b"{not json"), rest),
        signed_raw(b"{not json"),
        signed_raw(b"[1, 2, 3]"),
        signed_raw(b"\"sub\""),
        signed_raw(b"null"),
        signed_raw(
            format!(
                "{{\"sub\":\"1\",\"sub\":\"2\",\"exp\":{},\"iat\":0}}",
                unix_now() + 60
            )
            .as_bytes(),
        ),
    ];
    for token in cases {
        assert_eq!(bearer(&auth, &token), denied(), "{token}");
    }
    assert!(accepted(bearer(&auth, &good)).sub == "1");
}

#[test]
fn header_values_that_are_not_ours_skip() {
    let auth = auth();
    let jwt = hs(&claims());
    let skips = [
        String::new(),
        " ".into(),
        "Bearer".into(),
        format!("bearer {jwt}"),
        format!("BEARER {jwt}"),
        format!("Bearer  {jwt}"),
        format!("Bearer {jwt} extra"),
        format!(" Bearer {jwt}"),
        format!("NotBearer {jwt}"),
        format!("Bearerx {jwt}"),
        "not a token".into(),
        "Basic dGVzdDpwYXNz".into(),
        jwt.clone(),
    ];
    for value in skips {
        assert_eq!(check(&auth, &value), Ok(None), "{value:?}");
    }
    // no header at all
    let req = TestRequest::get().to_http_request();
    assert_eq!(auth.authenticate_inline(&AuthRequest::live(&req)), Ok(None));
    // non-UTF-8 bytes are not ours either
    for bytes in [&b"Bearer \xff\xfe"[..], b"\xffBearer x", b"Bearer \xc3"] {
        assert_eq!(
            check_value(&auth, HeaderValue::from_bytes(bytes).unwrap()),
            Ok(None),
            "{bytes:?}"
        );
    }
}

#[test]
fn header_values_that_are_ours_fail_with_401() {
    let auth = auth();
    for value in ["Bearer token", "Bearer ", "Bearer x.y.z", "Bearer \t"] {
        assert_eq!(check(&auth, value), denied(), "{value:?}");
    }
    assert_eq!(
        accepted(check(&auth, &format!("Bearer {}", hs(&claims())))).sub,
        "1"
    );
}

#[test]
fn oversized_values() {
    let auth = auth();
    let huge = "a".repeat(64 * 1024);
    assert_eq!(check(&auth, &format!("Bearer {huge}")), denied());
    assert_eq!(check(&auth, &huge), Ok(None));
    // just over the limit is refused before decoding; a real token pads up to the limit
    let padded = hs(&claims_with(json!({"pad": "p".repeat(5000)})));
    assert!(padded.len() <= super::decode::MAX_TOKEN_LEN);
    assert!(bearer(&auth, &padded).is_ok_and(|t| t.is_some()));
    let over = hs(&claims_with(json!({"pad": "p".repeat(7000)})));
    assert!(over.len() > super::decode::MAX_TOKEN_LEN);
    assert_eq!(bearer(&auth, &over), denied());
    assert_eq!(
        reason_at(&auth, &over, unix_now()),
        Err(JwtError::Invalid("token too long"))
    );
}

#[test]
fn custom_header_and_scheme() {
    let auth = auth().header("X-Api-Auth").auth_scheme("JWT");
    let jwt = hs(&claims());
    let req = |name: &str, value: String| {
        TestRequest::get()
            .insert_header((name, value))
            .to_http_request()
    };
    let run = |r: &actix_web::HttpRequest| auth.authenticate_inline(&AuthRequest::live(r));
    assert_eq!(
        run(&req("x-api-auth", format!("JWT {jwt}")))
            .unwrap()
            .unwrap()
            .sub,
        "1"
    );
    assert_eq!(run(&req("X-Api-Auth", format!("Bearer {jwt}"))), Ok(None));
    assert_eq!(run(&req("X-Api-Auth", format!("jwt {jwt}"))), Ok(None));
    assert_eq!(run(&req("Authorization", format!("JWT {jwt}"))), Ok(None));
    // not `Authorization`: no challenge to refine
    assert_eq!(
        run(&req("X-Api-Auth", "JWT nope".into())),
        Err(AuthError::not_authenticated())
    );
}
