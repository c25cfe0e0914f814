//! Claim rules: time boundaries, required claims, types, audience, issuer, extras, refresh.

use serde_json::json;

use super::{accepted, auth, bearer, claims, claims_with, denied, expired_401, hs, reason_at};
use crate::backends::jwt::token::unix_now;
use crate::backends::jwt::{Audience, JwtError};

const NOW: i64 = 1_800_000_000;

fn at(exp: i64, iat: i64) -> serde_json::Value {
    json!({"sub": "1", "exp": exp, "iat": iat})
}

#[test]
fn exp_boundary_matches_pyjwt() {
    let expired = Err(JwtError::Invalid("token expired"));
    let plain = auth();
    assert_eq!(reason_at(&plain, &hs(&at(NOW, NOW - 100)), NOW), expired);
    assert!(reason_at(&plain, &hs(&at(NOW + 1, NOW - 100)), NOW).is_ok());

    let lenient = auth().leeway(10);
    assert_eq!(
        reason_at(&lenient, &hs(&at(NOW - 10, NOW - 100)), NOW),
        expired
    );
    assert_eq!(
        reason_at(&lenient, &hs(&at(NOW - 11, NOW - 100)), NOW),
        expired
    );
    assert!(reason_at(&lenient, &hs(&at(NOW - 9, NOW - 100)), NOW).is_ok());

    // through the request pipeline, with a margin against the clock ticking
    let now = unix_now();
    assert_eq!(bearer(&plain, &hs(&at(now, now - 100))), expired_401());
    assert_eq!(bearer(&plain, &hs(&at(now - 1, now - 100))), expired_401());
    assert!(accepted(bearer(&auth().leeway(30), &hs(&at(now - 5, now - 100)))).exp == now - 5);
    // exp is required but not checked with verify_exp(false)
    assert!(accepted(bearer(&auth().verify_exp(false), &hs(&at(1, 0)))).exp == 1);
    // extreme values and a huge leeway cannot overflow
    assert!(reason_at(&auth().leeway(u64::MAX), &hs(&at(-1, i64::MAX)), NOW).is_ok());
    assert_eq!(
        reason_at(&auth().leeway(u64::MAX), &hs(&at(i64::MIN, 0)), NOW),
        expired
    );
    assert_eq!(
        reason_at(&auth(), &hs(&at(i64::MAX, i64::MAX)), NOW).unwrap_err(),
        JwtError::Invalid("token issued in the future")
    );
}

#[test]
fn iat_and_nbf_in_the_future() {
    let future = Err(JwtError::Invalid("token issued in the future"));
    assert_eq!(
        reason_at(&auth(), &hs(&at(NOW + 300, NOW + 1)), NOW),
        future
    );
    assert!(reason_at(&auth(), &hs(&at(NOW + 300, NOW)), NOW).is_ok());
    // quirk 2: within the leeway passes (the reference answers 500)
    let lenient = auth().leeway(10);
    assert!(reason_at(&lenient, &hs(&at(NOW + 300, NOW + 10)), NOW).is_ok());
    assert_eq!(
        reason_at(&lenient, &hs(&at(NOW + 300, NOW + 11)), NOW),
        future
    );
    assert!(
        reason_at(
            &auth().verify_iat(false),
            &hs(&at(NOW + 300, NOW + 3600)),
            NOW
        )
        .is_ok()
    );

    let nbf =
        |nbf: serde_json::Value| hs(&json!({"sub": "1", "exp": NOW + 300, "iat": NOW, "nbf": nbf}));
    let not_yet = Err(JwtError::Invalid("token not valid yet"));
    assert_eq!(reason_at(&auth(), &nbf(json!(NOW + 1)), NOW), not_yet);
    assert!(reason_at(&auth(), &nbf(json!(NOW)), NOW).is_ok());
    assert!(reason_at(&lenient, &nbf(json!(NOW + 10)), NOW).is_ok());
    assert_eq!(reason_at(&lenient, &nbf(json!(NOW + 11)), NOW), not_yet);
    assert!(reason_at(&auth().verify_nbf(false), &nbf(json!(NOW + 3600)), NOW).is_ok());
    for junk in [json!("soon"), json!(null), json!(true), json!({})] {
        assert_eq!(
            reason_at(&auth(), &nbf(junk.clone()), NOW),
            Err(JwtError::Invalid("nbf is not a timestamp"))
        );
        assert!(reason_at(&auth().verify_nbf(false), &nbf(junk), NOW).is_ok());
    }

    let now = unix_now();
    assert_eq!(bearer(&auth(), &hs(&at(now + 300, now + 120))), denied());
    assert_eq!(
        bearer(&auth(), &hs(&claims_with(json!({"nbf": now + 120})))),
        denied()
    );
    assert!(bearer(&auth().leeway(600), &hs(&at(now + 300, now + 120))).is_ok_and(|t| t.is_some()));
}

#[test]
fn exp_iat_and_sub_are_required_whatever_the_flags() {
    let lax = || {
        auth()
            .verify_exp(false)
            .verify_iat(false)
            .verify_sub(false)
            .verify_nbf(false)
            .verify_jti(false)
    };
    for missing in ["exp", "iat", "sub"] {
        let token = hs(&claims_with(json!({ missing: null })));
        assert_eq!(bearer(&auth(), &token), denied(), "{missing}");
        assert_eq!(
            bearer(&lax(), &token),
            denied(),
            "{missing} with verify off"
        );
    }
    for junk in [
        json!("1800000000"),
        json!(true),
        json!(null),
        json!([1]),
        json!(1e300),
        json!(u64::MAX),
    ] {
        for claim in ["exp", "iat"] {
            let token = hs(&claims_with(json!({ claim: junk.clone() })));
            assert!(reason_at(&lax(), &token, NOW).is_err(), "{claim}: {junk}");
        }
    }
    // NumericDate may be a float; it is truncated like PyJWT's int()
    let token = hs(&json!({"sub": "1", "exp": NOW as f64 + 300.9, "iat": NOW as f64 + 0.5}));
    let checked = reason_at(&auth(), &token, NOW).unwrap();
    assert_eq!((checked.exp, checked.iat), (NOW + 300, NOW));
}

#[test]
fn sub_and_jti_types() {
    // quirk 1: an empty sub is a 401 (the reference answers 500)
    assert_eq!(
        bearer(&auth(), &hs(&claims_with(json!({"sub": ""})))),
        denied()
    );
    assert_eq!(
        bearer(
            &auth().verify_sub(false),
            &hs(&claims_with(json!({"sub": ""})))
        ),
        denied()
    );
    for junk in [json!(123), json!(1.5), json!({}), json!(["1"]), json!(true)] {
        assert_eq!(
            bearer(&auth(), &hs(&claims_with(json!({"sub": junk.clone()})))),
            denied(),
            "{junk}"
        );
        assert_eq!(
            bearer(&auth(), &hs(&claims_with(json!({"jti": junk.clone()})))),
            denied(),
            "{junk}"
        );
    }
    // with the checks off, numbers are kept as text; other types still fail
    let lax = auth().verify_sub(false).verify_jti(false);
    let token = accepted(bearer(
        &lax,
        &hs(&claims_with(json!({"sub": 123, "jti": 7}))),
    ));
    assert_eq!(
        (token.sub.as_str(), token.jti.as_deref()),
        ("123", Some("7"))
    );
    assert_eq!(
        bearer(&lax, &hs(&claims_with(json!({"sub": {}})))),
        denied()
    );
    let mut null_jti = claims();
    null_jti["jti"] = json!(null);
    assert_eq!(bearer(&auth(), &hs(&null_jti)), denied());
    assert_eq!(accepted(bearer(&lax, &hs(&null_jti))).jti, None);
    assert_eq!(
        accepted(bearer(&auth(), &hs(&claims_with(json!({"jti": "j-1"})))))
            .jti
            .as_deref(),
        Some("j-1")
    );
}

#[test]
fn audiences() {
    let api = auth().accepted_audiences(["api", "admin"]);
    let with_aud = |aud: serde_json::Value| hs(&claims_with(json!({ "aud": aud })));
    assert_eq!(
        accepted(bearer(&api, &with_aud(json!("api")))).aud,
        Some(Audience::from("api"))
    );
    assert!(
        accepted(bearer(&api, &with_aud(json!(["web", "admin"]))))
            .aud
            .is_some()
    );
    for refused in [
        json!("web"),
        json!(["web", "app"]),
        json!(""),
        json!([]),
        json!(5),
        json!(["api", 5]),
        json!({}),
    ] {
        assert_eq!(
            bearer(&api, &with_aud(refused.clone())),
            denied(),
            "{refused}"
        );
    }
    assert_eq!(bearer(&api, &hs(&claims())), denied());
    // without accepted audiences any well-formed aud is ignored; a malformed one is refused
    assert_eq!(
        accepted(bearer(&auth(), &with_aud(json!(["x"])))).aud,
        Some(Audience::from(vec!["x"]))
    );
    assert_eq!(bearer(&auth(), &with_aud(json!(5))), denied());

    let strict = auth()
        .accepted_audiences(["api"])
        .strict_audience(true)
        .unwrap();
    assert!(
        accepted(bearer(&strict, &with_aud(json!("api"))))
            .aud
            .is_some()
    );
    for refused in [json!(["api"]), json!("web"), json!(["api", "web"])] {
        assert_eq!(
            bearer(&strict, &with_aud(refused.clone())),
            denied(),
            "{refused}"
        );
    }
    assert_eq!(bearer(&strict, &hs(&claims())), denied());
    // changing the list after strict mode was switched on fails closed
    let widened = auth()
        .accepted_audiences(["api"])
        .strict_audience(true)
        .unwrap()
        .accepted_audiences(["api", "web"]);
    assert_eq!(bearer(&widened, &with_aud(json!("api"))), denied());
    let emptied = auth()
        .accepted_audiences(["api"])
        .strict_audience(true)
        .unwrap()
        .accepted_audiences(Vec::<String>::new());
    assert_eq!(bearer(&emptied, &with_aud(json!("api"))), denied());
}

#[test]
fn issuers() {
    let me = auth().accepted_issuers(["me", "also-me"]);
    let with_iss = |iss: serde_json::Value| hs(&claims_with(json!({ "iss": iss })));
    assert_eq!(
        accepted(bearer(&me, &with_iss(json!("also-me"))))
            .iss
            .as_deref(),
        Some("also-me")
    );
    for refused in [json!("you"), json!(["me"]), json!(5), json!("")] {
        assert_eq!(
            bearer(&me, &with_iss(refused.clone())),
            denied(),
            "{refused}"
        );
    }
    assert_eq!(bearer(&me, &hs(&claims())), denied());
    assert_eq!(
        accepted(bearer(&auth(), &with_iss(json!("anyone"))))
            .iss
            .as_deref(),
        Some("anyone")
    );
    assert_eq!(bearer(&auth(), &with_iss(json!(5))), denied());
}

#[test]
fn required_claims() {
    let strict = auth().require_claims(["jti", "email"]);
    let full = claims_with(json!({"jti": "j", "email": "a@b.c"}));
    assert_eq!(
        accepted(bearer(&strict, &hs(&full))).extras["email"],
        "a@b.c"
    );
    for (claim, value) in [("jti", json!(null)), ("email", json!(null))] {
        let mut partial = full.clone();
        partial.as_object_mut().unwrap().remove(claim);
        assert_eq!(bearer(&strict, &hs(&partial)), denied(), "{claim} missing");
        partial.as_object_mut().unwrap().insert(claim.into(), value);
        assert_eq!(bearer(&strict, &hs(&partial)), denied(), "{claim} null");
    }
}

#[test]
fn refresh_tokens() {
    let nested = hs(&claims_with(json!({"extras": {"type": "refresh"}})));
    let top_level = hs(&claims_with(json!({"type": "refresh"})));
    for token in [&nested, &top_level] {
        assert_eq!(bearer(&auth(), token), denied());
        let accepted_too = accepted(bearer(&auth().accept_refresh_tokens(true), token));
        assert_eq!(accepted_too.token_type(), Some("refresh"));
        // decode (for refresh views) does not apply the rule
        assert_eq!(auth().decode(token).unwrap().token_type(), Some("refresh"));
    }
    let access = hs(&claims_with(json!({"extras": {"type": "access"}})));
    assert_eq!(
        accepted(bearer(&auth(), &access)).token_type(),
        Some("access")
    );
    // a type that is not a string is not a refresh token
    assert!(
        accepted(bearer(
            &auth(),
            &hs(&claims_with(json!({"type": ["refresh"]})))
        ))
        .token_type()
        .is_none()
    );
}

#[test]
fn extras_merging() {
    let now = unix_now();
    let payload = claims_with(json!({
        "extras": {"type": "access", "a": 1, "keep": true},
        "a": 2,
        "email": "x@y.z",
        "nbf": now - 5,
    }));
    let token = accepted(bearer(&auth(), &hs(&payload)));
    let expected =
        json!({"type": "access", "a": 2, "keep": true, "email": "x@y.z", "nbf": now - 5});
    assert_eq!(serde_json::Value::Object(token.extras), expected);

    // quirk 3: a non-object extras with unknown claims is a 401 (the reference answers 500)
    for junk in [json!("str"), json!(5), json!(["a"])] {
        assert_eq!(
            bearer(
                &auth(),
                &hs(&claims_with(json!({"extras": junk.clone(), "email": "x"})))
            ),
            denied()
        );
        assert_eq!(
            bearer(&auth(), &hs(&claims_with(json!({"extras": junk})))),
            denied()
        );
    }
    let bare = accepted(bearer(&auth(), &hs(&claims())));
    assert!(bare.extras.is_empty());
    let mut null_extras = claims();
    null_extras["extras"] = json!(null);
    assert!(
        accepted(bearer(&auth(), &hs(&null_extras)))
            .extras
            .is_empty()
    );
}
