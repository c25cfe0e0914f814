//! The HMAC path against `jsonwebtoken::decode` with the same rules: the same `Result`
//! (token, or refusal with its reason) for a large corpus of valid, mutated and hostile
//! tokens, under several rule sets and all three HMAC algorithms. The fuzz target `jwt_hmac`
//! (`fuzz/`) checks the same property on inputs it generates.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};

use crate::backends::jwt::{Algorithm, JwtAuth};

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const NOW: i64 = 1_800_000_000;
const ALGS: [Algorithm; 3] = [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];

/// A small deterministic generator (xorshift64*), so every run checks the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn auths(alg: Algorithm) -> Vec<JwtAuth> {
    let base = || JwtAuth::hmac(alg, SECRET).unwrap();
    vec![
        base(),
        base()
            .verify_exp(false)
            .verify_iat(false)
            .verify_jti(false)
            .verify_nbf(false)
            .verify_sub(false),
        base()
            .leeway(400)
            .accepted_audiences(["api"])
            .strict_audience(true)
            .unwrap(),
        base()
            .accepted_issuers(["i"])
            .accepted_audiences(["api", "x"])
            .require_claims(["jti", "nbf"]),
    ]
}

/// Counts how many answers were compared and how many of them accepted the token, so a
/// corpus that never reaches the claims is noticed.
#[derive(Default)]
struct Tally {
    compared: usize,
    accepted: usize,
}

impl Tally {
    #[track_caller]
    fn same(&mut self, auths: &[JwtAuth], token: &str) {
        for (i, auth) in auths.iter().enumerate() {
            let fast = auth.core.decode_at(token, NOW);
            let reference = auth.core.decode_with_jsonwebtoken_at(token, NOW);
            assert_eq!(fast, reference, "rules #{i}, token {token:?}");
            self.compared += 1;
            self.accepted += usize::from(fast.is_ok());
        }
    }
}

fn key() -> EncodingKey {
    EncodingKey::from_secret(SECRET).unwrap()
}

/// `header.payload.signature` over exactly these bytes.
fn signed(alg: Algorithm, header: &[u8], payload: &[u8]) -> String {
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key(), alg).unwrap();
    format!("{message}.{signature}")
}

fn claims() -> Value {
    json!({
        "sub": "1", "exp": NOW + 300, "iat": NOW - 10, "nbf": NOW - 10, "jti": "j",
        "iss": "i", "aud": "api", "extras": {"type": "access", "n": [1, {"a": null}]},
        "email": "a@b.c"
    })
}

/// Tokens every rule set accepts, signed by dmr, by `jsonwebtoken::encode` and by hand.
fn valid(alg: Algorithm) -> Vec<String> {
    let alg_first = format!(r#"{{"alg":"{alg:?}","typ":"JWT"}}"#);
    let mut tokens = vec![
        // the header `JwtToken::encode` writes
        signed(alg, alg_first.as_bytes(), claims().to_string().as_bytes()),
        jsonwebtoken::encode(&Header::new(alg), &claims(), &key()).unwrap(),
    ];
    let mut kid = Header::new(alg);
    kid.kid = Some("k1".into());
    tokens.push(jsonwebtoken::encode(&kid, &claims(), &key()).unwrap());
    let alg_name = format!("{alg:?}");
    let header = format!(r#"{{"alg":"{alg_name}","crit":["b64"],"b64":true}}"#);
    tokens.push(signed(
        alg,
        header.as_bytes(),
        claims().to_string().as_bytes(),
    ));
    tokens
}

#[test]
fn valid_tokens_are_accepted_by_both() {
    for alg in ALGS {
        let auths = auths(alg);
        let mut tally = Tally::default();
        for token in valid(alg) {
            tally.same(&auths, &token);
        }
        assert_eq!(tally.accepted, tally.compared, "{alg:?}");
    }
}

/// Every byte of a token replaced by every ASCII byte (for the HS256 tokens of dmr's and
/// `jsonwebtoken`'s headers; by 12 chosen bytes for the others, to keep the test short in
/// debug builds), deleted, and doubled.
#[test]
fn every_single_byte_mutation_of_valid_tokens() {
    let every: Vec<u8> = (0..0x80u8).collect();
    let some = b"\0 .=+/-_AQgw".to_vec();
    for alg in ALGS {
        let auths = auths(alg);
        let mut tally = Tally::default();
        for (n, token) in valid(alg).into_iter().enumerate() {
            let bytes = token.as_bytes();
            let replacements = if alg == Algorithm::HS256 && n < 2 {
                &every
            } else {
                &some
            };
            for at in 0..bytes.len() {
                for &b in replacements {
                    if b == bytes[at] {
                        continue;
                    }
                    let mut mutated = bytes.to_vec();
                    mutated[at] = b;
                    tally.same(&auths[..1], std::str::from_utf8(&mutated).unwrap());
                }
                let mut deleted = bytes.to_vec();
                deleted.remove(at);
                tally.same(&auths[..1], std::str::from_utf8(&deleted).unwrap());
                let mut doubled = bytes.to_vec();
                doubled.insert(at, bytes[at]);
                tally.same(&auths[..1], std::str::from_utf8(&doubled).unwrap());
            }
        }
        assert!(tally.compared > 2_000, "{alg:?}");
    }
}

/// Every byte of the JSON of the header and of the payload replaced by every ASCII byte
/// (and a few others), then signed: the header and claim checks decide, not the signature.
#[test]
fn every_single_byte_mutation_of_signed_json() {
    let header = br#"{"alg":"HS256","typ":"JWT"}"#;
    let payload = json!({
        "sub": "1", "exp": NOW + 300, "iat": NOW - 10, "aud": ["api", "x"], "iss": "i",
        "jti": "j", "nbf": 1, "extras": {"type": "a"}
    })
    .to_string();
    let auths = auths(Algorithm::HS256);
    let mut tally = Tally::default();
    let replacements: Vec<u8> = (0..0x80u8).chain([0xc3, 0xff]).collect();
    for (part, json) in [(0, &header[..]), (1, payload.as_bytes())] {
        for at in 0..json.len() {
            for &b in &replacements {
                if b == json[at] {
                    continue;
                }
                let mut mutated = json.to_vec();
                mutated[at] = b;
                let token = if part == 0 {
                    signed(Algorithm::HS256, &mutated, payload.as_bytes())
                } else {
                    signed(Algorithm::HS256, header, &mutated)
                };
                tally.same(&auths, &token);
            }
        }
    }
    assert!(tally.accepted > 1_000, "{} accepted", tally.accepted);
}

const ALG_VALUES: [&str; 14] = [
    r#""HS256""#,
    r#""HS384""#,
    r#""HS512""#,
    r#""hs256""#,
    r#""none""#,
    r#""RS256""#,
    r#""""#,
    "null",
    "1",
    r#"{"HS256":null}"#,
    r#"["HS256"]"#,
    r#""HS256 ""#,
    r#""H\u0053256""#,
    r#"{"HS256":1}"#,
];

const HEADER_FIELDS: [(&str, &[&str]); 12] = [
    ("typ", &[r#""JWT""#, r#""jwt""#, "null", "1", r#""at+jwt""#]),
    (
        "crit",
        &[
            r#"["b64"]"#,
            "[]",
            r#"["b64","b64"]"#,
            r#"["x"]"#,
            r#""b64""#,
            "null",
        ],
    ),
    ("b64", &["true", "false", "null", r#""true""#, "1"]),
    ("kid", &[r#""k""#, "1", "null", r#""""#]),
    ("cty", &[r#""JWT""#, "[]", "null"]),
    (
        "jwk",
        &[
            "{}",
            "5",
            r#"{"kty":"oct","k":"AA"}"#,
            "null",
            r#"{"kty":"EC"}"#,
        ],
    ),
    ("x5c", &[r#"["a"]"#, r#""a""#, "[1]", "null"]),
    ("x5t#S256", &[r#""a""#, "1"]),
    ("enc", &[r#""A128GCM""#, "1"]),
    ("zip", &[r#""DEF""#, "[]"]),
    ("foo", &[r#"{"a":[1]}"#, "null", "1e999", "1e300"]),
    ("t\\u0079p", &[r#""JWT""#, "2"]),
];

/// Random headers: `alg` variants, the registered fields with values of the right and the
/// wrong type, `crit` and `b64` combinations, repeated keys, unknown fields.
#[test]
fn random_headers() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let payload = claims().to_string();
    for alg in ALGS {
        let auths = auths(alg);
        let mut tally = Tally::default();
        for _ in 0..3_000 {
            let mut fields = Vec::new();
            for _ in 0..rng.below(3) {
                fields.push(format!("\"alg\":{}", rng.pick(&ALG_VALUES)));
            }
            if rng.below(2) == 0 {
                fields.push(format!("\"alg\":\"{alg:?}\""));
            }
            for _ in 0..rng.below(5) {
                let (name, values) = HEADER_FIELDS[rng.below(HEADER_FIELDS.len())];
                fields.push(format!("\"{name}\":{}", rng.pick(values)));
            }
            // shuffle
            for i in (1..fields.len()).rev() {
                fields.swap(i, rng.below(i + 1));
            }
            let header = format!("{{{}}}", fields.join(","));
            tally.same(&auths, &signed(alg, header.as_bytes(), payload.as_bytes()));
        }
        assert!(tally.accepted > 100, "{alg:?}: {} accepted", tally.accepted);
    }
}

/// base64 the way `jsonwebtoken` refuses it: padding, the standard alphabet, non-zero
/// trailing bits, whitespace, and parts split differently.
#[test]
fn non_canonical_base64_and_splits() {
    for alg in ALGS {
        let auths = auths(alg);
        let mut tally = Tally::default();
        for token in valid(alg) {
            let parts: Vec<&str> = token.split('.').collect();
            let mut variants = Vec::new();
            for i in 0..3 {
                let mut with = |part: String| {
                    let mut p: Vec<String> = parts.iter().map(|s| (*s).to_owned()).collect();
                    p[i] = part;
                    variants.push(p.join("."));
                };
                let part = parts[i];
                let raw = URL_SAFE_NO_PAD.decode(part).unwrap();
                with(STANDARD.encode(&raw));
                with(format!("{part}="));
                with(format!("{part}=="));
                with(format!(" {part}"));
                with(format!("{part}\n"));
                with(part.replace('-', "+").replace('_', "/"));
                with(String::new());
                with(format!("{part}A"));
                with(part[..part.len() - 1].to_owned());
                // every other last character: only one has the right trailing bits
                let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                for &c in alphabet {
                    let mut p = part.as_bytes().to_vec();
                    *p.last_mut().unwrap() = c;
                    with(String::from_utf8(p).unwrap());
                }
            }
            variants.push(format!("{token}."));
            variants.push(format!(".{token}"));
            variants.push(format!("{}.{token}", parts[0]));
            variants.push(format!("{}.{}", parts[0], parts[1]));
            variants.push(parts[0].to_owned());
            variants.push(token.replacen('.', "..", 1));
            variants.push(String::new());
            variants.push("..".into());
            // a third dot, validly signed: the split at the last two dots (jsonwebtoken) and
            // the one at the first and the last (the HMAC path) refuse the same tokens
            let (h, p) = (parts[0], parts[1]);
            for message in [
                format!("{h}.{p}.{p}"),
                format!("{h}.{h}.{p}"),
                format!("{h}..{p}"),
                format!("{h}.{p}."),
                format!(".{h}.{p}"),
            ] {
                let signature =
                    jsonwebtoken::crypto::sign(message.as_bytes(), &key(), alg).unwrap();
                variants.push(format!("{message}.{signature}"));
            }
            for v in &variants {
                tally.same(&auths, v);
            }
        }
        assert!(tally.accepted > 0, "{alg:?}");
    }
}

const KEYS: [&str; 14] = [
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
    "$serde_json::private::RawValue",
    "s\\u0075b",
    "n\\u0062f",
    "e\\u0078p",
];

const VALUES: [&str; 44] = [
    r#""1""#,
    r#""""#,
    r#""api""#,
    r#""i""#,
    r#""x""#,
    "0",
    "7",
    "-5",
    "1.5",
    "-0",
    "1e3",
    "1800000000",
    "1800000300",
    "1800000300.9",
    "1799999990",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1e300",
    "-1e300",
    "1e308",
    "123456789012345678901234567890",
    "0.0000000000000000000000001",
    "null",
    "true",
    "false",
    "[]",
    "[ ]",
    "{}",
    "{ }",
    r#"["api"]"#,
    r#"["api","x"]"#,
    r#"["api",1]"#,
    "[1]",
    "[[]]",
    r#"{"a":1}"#,
    r#"{"type":"refresh"}"#,
    r#"{"$serde_json::private::RawValue":"5"}"#,
    r#"{"$serde_json::private::RawValue":"{}"}"#,
    r#"{"$serde_json::private::RawValue":"\"api\""}"#,
    r#""\u0061pi""#,
    r#""\ud800""#,
];

/// Random payloads from known and unknown keys (escaped too) and hostile values: repeated
/// keys, huge and fractional numbers, containers where numbers or strings belong, raw-value
/// markers; objects mostly, sometimes arrays or scalars.
#[test]
fn random_payloads() {
    let mut rng = Rng(0x0dd_ba11_cafe_0002);
    for alg in ALGS {
        let auths = auths(alg);
        let mut tally = Tally::default();
        for _ in 0..4_000 {
            let payload = match rng.below(20) {
                0 => {
                    let items: Vec<&str> = (0..rng.below(7)).map(|_| rng.pick(&VALUES)).collect();
                    format!("[{}]", items.join(","))
                }
                1 => rng.pick(&VALUES).to_owned(),
                _ => {
                    let mut entries = vec![
                        r#""sub":"1""#.to_owned(),
                        r#""exp":1800000300"#.to_owned(),
                        r#""iat":1799999990"#.to_owned(),
                    ];
                    if rng.below(2) == 0 {
                        entries.extend([
                            r#""jti":"j""#.to_owned(),
                            r#""nbf":1"#.to_owned(),
                            r#""iss":"i""#.to_owned(),
                            r#""aud":"api""#.to_owned(),
                        ]);
                    }
                    for _ in 0..rng.below(4) {
                        let entry = format!("\"{}\":{}", rng.pick(&KEYS), rng.pick(&VALUES));
                        match rng.below(3) {
                            0 => entries.insert(0, entry),
                            1 => {
                                let at = rng.below(entries.len() + 1);
                                entries.insert(at, entry);
                            }
                            _ => entries.push(entry),
                        }
                    }
                    format!("{{{}}}", entries.join(","))
                }
            };
            let header = format!(r#"{{"alg":"{alg:?}","typ":"JWT"}}"#);
            tally.same(&auths, &signed(alg, header.as_bytes(), payload.as_bytes()));
        }
        assert!(tally.accepted > 500, "{alg:?}: {} accepted", tally.accepted);
    }
}

/// Long tokens around the 8 KiB limit and payloads around the stack buffer's size.
#[test]
fn sizes() {
    let auths = auths(Algorithm::HS256);
    let mut tally = Tally::default();
    let header = br#"{"alg":"HS256","typ":"JWT"}"#;
    for len in (400..560).chain(6_000..6_200).step_by(3) {
        let mut claims = claims();
        claims["pad"] = Value::String("p".repeat(len));
        tally.same(
            &auths,
            &signed(Algorithm::HS256, header, claims.to_string().as_bytes()),
        );
    }
    assert!(tally.accepted > 100);
}
