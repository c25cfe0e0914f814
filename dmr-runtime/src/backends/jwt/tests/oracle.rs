//! The typed claim decoding against the `Value`-based one it replaced (kept here as the
//! oracle, `check_audience` aside, which is unchanged): same `Result`, reason included, for
//! hostile payloads under every rule set.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::{SECRET, auth, hs256_key};
use crate::backends::jwt::core::JwtCore;
use crate::backends::jwt::decode::{ClaimRules, check_audience};
use crate::backends::jwt::{Algorithm, Audience, JwtAuth, JwtError, JwtToken};

const NOW: i64 = 1_800_000_000;
const RAW: &str = "$serde_json::private::RawValue";

type Checked<T> = Result<T, JwtError>;

fn old_decode_at(core: &JwtCore, token: &str, now: i64) -> Checked<JwtToken> {
    let data = jsonwebtoken::decode::<Value>(token, &core.key, &core.validation)
        .map_err(|_| JwtError::Invalid("malformed token, bad signature or another algorithm"))?;
    match data.claims {
        Value::Object(claims) => old_check_claims(claims, &core.rules, now),
        _ => Err(JwtError::Invalid("claims are not a json object")),
    }
}

fn old_check_claims(
    mut claims: Map<String, Value>,
    rules: &ClaimRules,
    now: i64,
) -> Checked<JwtToken> {
    const KNOWN_CLAIMS: [&str; 7] = ["sub", "exp", "iat", "iss", "aud", "jti", "extras"];
    if rules
        .require_claims
        .iter()
        .any(|name| claims.get(name).is_none_or(Value::is_null))
    {
        return Err(JwtError::Invalid("a required claim is missing"));
    }
    let exp = old_timestamp(claims.get("exp"))
        .ok_or(JwtError::Invalid("exp is missing or not a timestamp"))?;
    if rules.verify_exp && exp <= now.saturating_sub(rules.leeway) {
        return Err(JwtError::Invalid("token expired"));
    }
    let iat = old_timestamp(claims.get("iat"))
        .ok_or(JwtError::Invalid("iat is missing or not a timestamp"))?;
    if rules.verify_iat && iat > now.saturating_add(rules.leeway) {
        return Err(JwtError::Invalid("token issued in the future"));
    }
    if rules.verify_nbf
        && let Some(nbf) = claims.get("nbf")
    {
        let nbf = old_timestamp(Some(nbf)).ok_or(JwtError::Invalid("nbf is not a timestamp"))?;
        if nbf > now.saturating_add(rules.leeway) {
            return Err(JwtError::Invalid("token not valid yet"));
        }
    }
    let sub = claims
        .remove("sub")
        .and_then(|v| old_text(v, rules.verify_sub))
        .ok_or(JwtError::Invalid("sub is missing or not a string"))?;
    if sub.is_empty() {
        return Err(JwtError::Invalid("sub is empty"));
    }
    let jti = match claims.remove("jti") {
        None => None,
        Some(Value::Null) if !rules.verify_jti => None,
        Some(v) => {
            Some(old_text(v, rules.verify_jti).ok_or(JwtError::Invalid("jti is not a string"))?)
        }
    };
    let iss = match claims.remove("iss") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return Err(JwtError::Invalid("iss is not a string")),
    };
    if !rules.issuers.is_empty() && !iss.as_ref().is_some_and(|i| rules.issuers.contains(i)) {
        return Err(JwtError::Invalid("issuer not accepted"));
    }
    let aud = old_audience(claims.remove("aud"))?;
    check_audience(aud.as_ref(), rules)?;
    let mut extras = match claims.remove("extras") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(nested)) => nested,
        Some(_) => return Err(JwtError::Invalid("extras is not a json object")),
    };
    for (name, value) in claims {
        if !KNOWN_CLAIMS.contains(&name.as_str()) {
            extras.insert(name, value);
        }
    }
    Ok(JwtToken {
        sub,
        exp,
        iat,
        iss,
        aud,
        jti,
        extras,
    })
}

fn old_timestamp(value: Option<&Value>) -> Option<i64> {
    let n = value?.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    if n.is_u64() {
        return None;
    }
    let f = n.as_f64()?.trunc();
    (f.is_finite() && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
}

fn old_text(value: Value, strict: bool) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        Value::Number(n) if !strict => Some(n.to_string()),
        _ => None,
    }
}

fn old_audience(value: Option<Value>) -> Checked<Option<Audience>> {
    const MALFORMED: JwtError = JwtError::Invalid("aud is not a string or a list of strings");
    Ok(match value {
        None | Some(Value::Null) => None,
        Some(Value::String(one)) => Some(Audience::One(one)),
        Some(Value::Array(items)) => Some(Audience::Many(
            items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    _ => Err(MALFORMED),
                })
                .collect::<Checked<_>>()?,
        )),
        Some(_) => return Err(MALFORMED),
    })
}

/// An HS256 token with exactly these payload bytes.
fn signed(payload: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let message = format!("{header}.{}", URL_SAFE_NO_PAD.encode(payload));
    let signature =
        jsonwebtoken::crypto::sign(message.as_bytes(), &hs256_key(), Algorithm::HS256).unwrap();
    format!("{message}.{signature}")
}

/// `{"$serde_json::private::RawValue": <json as a string>}`, which `Value` reads as `json`.
fn raw(json: &str) -> String {
    format!("{{\"{RAW}\":{}}}", Value::String(json.to_owned()))
}

/// Claim values, `|`-separated.
const VALUES: &str = concat!(
    r#""1"|""|"a\u0070i"|0|7|-5|1.5|-1.5|1e3|-0|-0.0|1800000000|1800000300.9|1800000000.5|"#,
    r#"18446744073709551615|9223372036854775807|9223372036854775808|-9223372036854775808|"#,
    r#"-9223372036854775809|1e300|-1e300|null|true|false|[]|[ ]|["api"]|["api","x"]|"#,
    r#"["api",1]|[1]|[null]|[[]]|{}|{"a":1}|{"type":"refresh"}|{"type":"access","a":[1,{"b":null}]}"#,
);

fn values() -> Vec<String> {
    let mut v: Vec<String> = VALUES.split('|').map(str::to_owned).collect();
    let inner = r#""api"|["api"]|{"type":"refresh"}|5|1800000000|null|[1]|{}"#;
    v.extend(inner.split('|').map(raw));
    v.push(format!("[{}]", raw(r#""api""#)));
    v.push(format!("[\"x\",{}]", raw("7")));
    v
}

const KEYS: [&str; 13] = [
    "sub",
    "jti",
    "exp",
    "iat",
    "nbf",
    "iss",
    "aud",
    "extras",
    "type",
    "email",
    RAW,
    "s\\u0075b",
    "ext\\u0072as",
];

fn rule_sets(key: &str) -> Vec<JwtAuth> {
    let name = serde_json::from_str::<String>(&format!("\"{key}\"")).unwrap();
    let lax = || {
        auth()
            .verify_exp(false)
            .verify_iat(false)
            .verify_jti(false)
            .verify_nbf(false)
            .verify_sub(false)
    };
    vec![
        auth(),
        lax(),
        auth().accepted_audiences(["api"]),
        auth()
            .accepted_audiences(["api"])
            .strict_audience(true)
            .unwrap(),
        lax()
            .accepted_issuers(["api", "1"])
            .accepted_audiences(["x", "api"]),
        auth().leeway(400).require_claims([name.as_str(), "jti"]),
        lax().require_claims([name]),
    ]
}

fn same(payload: &str, auths: &[JwtAuth]) {
    let token = signed(payload);
    for (i, auth) in auths.iter().enumerate() {
        let new = auth.core.decode_at(&token, NOW);
        let old = old_decode_at(&auth.core, &token, NOW);
        assert_eq!(new, old, "rules #{i}, payload {payload}");
    }
}

const BASE: &str = r#""sub":"1","exp":1800000300,"iat":1800000000"#;

#[test]
fn one_claim_added_or_replaced() {
    for key in KEYS {
        let auths = rule_sets(key);
        for value in values() {
            let entry = format!("\"{key}\":{value}");
            same(&format!("{{{BASE},{entry}}}"), &auths);
            same(&format!("{{{entry},{BASE}}}"), &auths);
            let rest: Vec<&str> = BASE
                .split(',')
                .filter(|c| !c.starts_with(&format!("\"{key}\"")))
                .collect();
            same(&format!("{{{},{entry}}}", rest.join(",")), &auths);
        }
    }
}

#[test]
fn repeated_claims() {
    let few = [
        "\"1\"",
        "\"api\"",
        "7",
        "1800000000",
        "null",
        "[]",
        "[1]",
        r#"["api"]"#,
        "{}",
        r#"{"a":1}"#,
        "true",
    ];
    for key in KEYS {
        let auths = rule_sets(key);
        for first in few {
            for second in few {
                same(
                    &format!("{{{BASE},\"{key}\":{first},\"{key}\":{second}}}"),
                    &auths,
                );
                same(
                    &format!("{{\"{key}\":{first},{BASE},\"{key}\":{second}}}"),
                    &auths[..2],
                );
            }
        }
    }
}

#[test]
fn whole_payloads() {
    let base = format!("{{{BASE}}}");
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let mut payloads = vec![
        base.clone(),
        format!(" {base} "),
        format!("{base}x"),
        format!("{base}{base}"),
        "{}".into(),
        "[]".into(),
        "[1,{}]".into(),
        "5".into(),
        "\"x\"".into(),
        "null".into(),
        "true".into(),
        "".into(),
        "{".into(),
        "{\"sub\":\"1\",}".into(),
        "{\"sub\" \"1\"}".into(),
        "{\"a\":\"\\ud800\"}".into(),
        raw(&base),
        raw("[1]"),
        raw("5"),
        raw(&raw(&base)),
        format!("{},\"x\":1}}", raw(&base).trim_end_matches('}')),
        format!("{{{BASE},\"{RAW}\":\"x\"}}"),
        format!("{{\"{RAW}\":5}}"),
        format!("{{\"{RAW}\":{base}}}"),
        format!("{{{BASE},\"extras\":{}}}", raw(r#"{"type":"x","a":1}"#)),
        format!("{{{BASE},\"a\":\"\\u00e9\\n\"}}"),
        format!("{{{BASE},\"extras\":{{\"a\":1,\"a\":2}},\"a\":3,\"b\":4,\"b\":5}}"),
    ];
    for n in [126, 127, 128, 129, 200] {
        for key in ["aud", "sub", "exp", "nbf", "email", "extras"] {
            payloads.push(format!("{{{BASE},\"{key}\":{}}}", deep(n)));
            payloads.push(format!("{{{BASE},\"{key}\":[\"a\",{}]}}", deep(n)));
            payloads.push(format!(
                "{{{BASE},\"{key}\":{},\"{key}\":\"api\"}}",
                deep(n)
            ));
        }
        payloads.push(deep(n));
    }
    let auths = rule_sets("aud");
    for payload in &payloads {
        same(payload, &auths);
    }
    // a few of the answers, to be sure the comparison is not vacuous
    let plain = JwtAuth::hs256(SECRET).unwrap();
    assert_eq!(
        plain.core.decode_at(&signed(&raw(&base)), NOW).unwrap().sub,
        "1"
    );
    let dup_sub = format!("{{{BASE},\"sub\":\"2\"}}");
    assert!(plain.core.decode_at(&signed(&dup_sub), NOW).is_err());
    let dup_jti = format!("{{{BASE},\"jti\":5,\"jti\":\"j\"}}");
    assert_eq!(
        plain
            .core
            .decode_at(&signed(&dup_jti), NOW)
            .unwrap()
            .jti
            .as_deref(),
        Some("j")
    );
}

#[test]
fn what_jsonwebtoken_refuses_before_the_claim_rules() {
    // `jsonwebtoken::decode` also parses the payload into its `ClaimsForValidation`, whose
    // derive refuses repeated `exp`, `nbf`, `sub`, `iss`, `aud` and whose parse breaks on a
    // non-empty array or object in `exp` or `nbf` and on any array or object in `sub`.
    let lax = auth().verify_nbf(false);
    let malformed = Err(JwtError::Invalid(
        "malformed token, bad signature or another algorithm",
    ));
    for extra in [
        r#""exp":1800000300"#,
        r#""sub":"1""#,
        r#""nbf":1,"nbf":1"#,
        r#""iss":"a","iss":"a""#,
        r#""aud":"a","aud":"a""#,
        r#""nbf":[1]"#,
        r#""nbf":{"a":1}"#,
    ] {
        let token = signed(&format!("{{{BASE},{extra}}}"));
        assert_eq!(lax.core.decode_at(&token, NOW), malformed, "{extra}");
    }
    // the other claims repeat with the last value kept
    for extra in [
        r#""nbf":[ ]"#,
        r#""iat":5,"iat":1800000000"#,
        r#""a":1,"a":2"#,
    ] {
        let token = signed(&format!("{{{BASE},{extra}}}"));
        assert!(lax.core.decode_at(&token, NOW).is_ok(), "{extra}");
    }
}
