//! With `DMR_DEMO_JWT_KEY` the demo signs EdDSA (an Ed25519 key) or RS256 (an RSA key) tokens
//! naming the key by `kid`, and serves the public half at `/.well-known/jwks.json` with caching
//! headers: the JWKS holds no private member, and a token the demo issued verifies against it
//! (read as any verifier would, with `jsonwebtoken`). Without the key: HS256, no JWKS.

mod support;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use support::Running;

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/keys/");

fn demo(key: Option<&str>) -> Command {
    let path = key.map(|file| format!("{KEYS}{file}"));
    let envs: Vec<(&str, &str)> = match &path {
        Some(path) => vec![("DMR_DEMO_JWT_KEY", path), ("DMR_DEMO_JWT_KID", "key-2026")],
        None => Vec::new(),
    };
    let mut cmd = support::command(&envs);
    cmd.stderr(Stdio::piped());
    cmd
}

fn start(key: Option<&str>) -> Running {
    support::spawn(demo(key))
}

/// The token `dmr-demo token 1` prints with `key`.
fn minted(key: Option<&str>) -> String {
    let out = demo(key).arg("token").arg("1").output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// `GET path` over HTTP/1.1: the status, the raw header block and the body.
fn get(addr: &str, path: &str, auth: Option<&str>) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let auth = auth.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a header block");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_owned())
}

fn header(token: &str) -> jsonwebtoken::Header {
    jsonwebtoken::decode_header(token).expect("a JWT")
}

#[test]
fn the_demo_serves_its_jwks_and_its_tokens_verify_against_it() {
    for (file, alg) in [
        ("ed_private.pem", Algorithm::EdDSA),
        ("rsa_private.pem", Algorithm::RS256),
    ] {
        let demo = start(Some(file));
        let (status, head, body) = get(&demo.1, "/.well-known/jwks.json", None);
        assert_eq!(status, 200, "{body}");
        assert!(
            head.contains("\r\ncache-control: public, max-age=300"),
            "{head}"
        );
        assert!(
            head.contains("\r\ncontent-type: application/jwk-set+json"),
            "{head}"
        );
        let doc: Value = serde_json::from_str(&body).unwrap();
        let keys = doc["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 1, "{body}");
        for private in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] {
            assert!(keys[0].get(private).is_none(), "{private} in {body}");
        }

        let token = minted(Some(file));
        let head = header(&token);
        assert_eq!((head.alg, head.kid.as_deref()), (alg, Some("key-2026")));
        let set: JwkSet = serde_json::from_str(&body).unwrap();
        let jwk = set.find("key-2026").expect("the token's kid is published");
        let mut validation = Validation::new(alg);
        validation.validate_aud = false;
        let claims = jsonwebtoken::decode::<Value>(
            &token,
            &DecodingKey::from_jwk(jwk).unwrap(),
            &validation,
        )
        .expect("verifies against the JWKS");
        assert_eq!(claims.claims["sub"], "1");
        // and the demo's own auth takes it
        let (status, _, body) = get(&demo.1, "/api/jwt/", Some(&token));
        assert_eq!(status, 200, "{body}");
    }
}

#[test]
fn without_a_key_the_demo_signs_hs256_and_publishes_nothing() {
    let token = minted(None);
    assert_eq!(header(&token).alg, Algorithm::HS256);
    let demo = start(None);
    assert_eq!(get(&demo.1, "/.well-known/jwks.json", None).0, 404);
    assert_eq!(get(&demo.1, "/api/jwt/", Some(&token)).0, 200);
}

#[test]
fn a_key_file_that_holds_no_key_is_one_line_naming_the_variable() {
    let out = demo(Some("ed_public.pem")).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("`DMR_DEMO_JWT_KEY` holds no Ed25519 or RSA private key in PEM")
            && err.trim_end().ends_with("fix or unset it"),
        "{err}"
    );
}
