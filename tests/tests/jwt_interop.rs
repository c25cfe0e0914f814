//! Interop with the Python reference: tokens laid out as django-modern-rest 0.16's obtain
//! view issues them (fixtures made once with PyJWT by `tests/interop/make_fixtures.py`) are
//! accepted here, and tokens our obtain view issues decode with PyJWT and the same secret.
//!
//! The PyJWT half runs `tests/interop/decode_with_pyjwt.py` with `$DMR_PYTHON` (default
//! `python3`); without PyJWT it prints why and passes, unless `DMR_REQUIRE_PYJWT=1`.

mod jwt_support;

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use actix_web::web::Json;
use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist};
use dmr_runtime::backends::jwt::{JwtAuth, JwtIssuer, JwtObtain, JwtRefresh, JwtToken, JwtVerify};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;
use dmr_tests::{Seen, TestServer, send, serve_with};
use jwt_support::me;
use serde_json::{Value, json};

const FIXTURES: &str = include_str!("../interop/dmr_016_tokens.json");

fn fixtures() -> Value {
    serde_json::from_str(FIXTURES).unwrap()
}

fn fixture(name: &str) -> String {
    fixtures()[name].as_str().unwrap().to_owned()
}

fn secret() -> String {
    fixture("secret")
}

struct Me;

#[controller(path = "/me")]
impl Me {
    #[endpoint(get, path = "/")]
    async fn me(token: Authed<JwtToken>) -> Json<Value> {
        Json(json!({"sub": token.sub, "type": token.token_type()}))
    }
}

fn users() -> MemoryUsers {
    let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
    let users = MemoryUsers::with_params(cheap);
    users.add("1", "admin", "pw").unwrap();
    users
}

/// Views under `/v` and a blocklisted header auth on `/me/`; `iss_aud` sets `iss: me` and
/// `aud: [dev, qa]` on both.
fn server(iss_aud: bool) -> TestServer {
    let blocklist = Blocklist::new(MemoryBlocklist::new(100));
    let mut issuer = JwtIssuer::hs256(secret(), users())
        .unwrap()
        .key_id("interop")
        .blocklist(blocklist.clone())
        .rotate_refresh_tokens(true)
        .unwrap();
    let mut auth = JwtAuth::hs256(secret()).unwrap();
    if iss_aud {
        issuer = issuer.issuer("me").audiences(["dev", "qa"]);
        auth = auth
            .accepted_issuers(["me"])
            .accepted_audiences(["dev", "qa"]);
    }
    let auth = auth.blocklist(blocklist);
    let api = Api::new()
        .scope("/v", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtVerify>()
        })
        .scope("", |s| s.auth(auth).controller::<Me>())
        .build()
        .unwrap();
    serve_with(api, move || {
        actix_web::App::new().app_data(issuer.app_data())
    })
}

async fn post(srv: &TestServer, path: &str, body: Value) -> Seen {
    let h: [(&str, &[u8]); 1] = [("Content-Type", b"application/json")];
    send(srv, "POST", path, &h, Some(body.to_string().as_bytes())).await
}

#[actix_rt::test]
async fn tokens_issued_by_the_reference_are_accepted() {
    for (srv, access, refresh) in [
        (server(false), fixture("access"), fixture("refresh")),
        (
            server(true),
            fixture("access_iss_aud"),
            fixture("refresh_iss_aud"),
        ),
    ] {
        assert_eq!(
            me(&srv, &access).await,
            (200, r#"{"sub":"1","type":"access"}"#.into())
        );
        // a refresh token is not an access token here (the reference would accept it)
        assert_eq!(me(&srv, &refresh).await.0, 401);
        let verified = post(&srv, "/v/verify/", json!({ "access_token": access })).await;
        assert_eq!(verified.status.as_u16(), 204);
        let refreshed = post(&srv, "/v/refresh/", json!({ "refresh_token": refresh })).await;
        assert_eq!(refreshed.status.as_u16(), 200, "{}", refreshed.text());
        let new_access = refreshed.json()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(me(&srv, &new_access).await.0, 200);
        // rotation applies to the reference's refresh tokens too
        let again = post(&srv, "/v/refresh/", json!({ "refresh_token": refresh })).await;
        assert_eq!(again.status.as_u16(), 401);
    }
    // where `iss` / `aud` are required, tokens without them are refused; where they are not,
    // they are ignored (as in the reference)
    let strict = server(true);
    assert_eq!(me(&strict, &fixture("access")).await.0, 401);
    let relaxed = server(false);
    assert_eq!(me(&relaxed, &fixture("access_iss_aud")).await.0, 200);
}

#[actix_rt::test]
async fn tokens_we_issue_decode_with_pyjwt() {
    let python = std::env::var("DMR_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let srv = server(false);
    let login = post(
        &srv,
        "/v/obtain/",
        json!({"username": "admin", "password": "pw"}),
    )
    .await;
    let pair = login.json();
    let tokens = [
        pair["access_token"].as_str().unwrap().to_owned(),
        pair["refresh_token"].as_str().unwrap().to_owned(),
    ];
    let issuer = JwtIssuer::hs256(secret(), users()).unwrap();
    let signed = issuer
        .sign(
            &JwtToken::new("42", Duration::from_secs(60))
                .with_jti("j")
                .with_type("access"),
        )
        .unwrap();

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/decode_with_pyjwt.py");
    let child = Command::new(&python)
        .arg(script)
        .arg(secret())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    const TEST: &str = "tokens_we_issue_decode_with_pyjwt";
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            let why = format!("cannot run {python}: {e}");
            return dmr_runtime::testing::unavailable(TEST, &why, "DMR_REQUIRE_PYJWT");
        }
    };
    let input = format!("{}\n{}\n{signed}\n", tokens[0], tokens[1]);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.code() == Some(3) {
        let why = format!("{python} has no PyJWT (set DMR_PYTHON to an interpreter with `pyjwt`)");
        return dmr_runtime::testing::unavailable(TEST, &why, "DMR_REQUIRE_PYJWT");
    }
    assert!(
        out.status.success(),
        "PyJWT refused a token: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoded: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(decoded.len(), 3);
    for (d, kind) in decoded.iter().zip(["access", "refresh"]) {
        assert_eq!(
            d["header"],
            json!({"alg": "HS256", "typ": "JWT", "kid": "interop"})
        );
        assert_eq!(d["payload"]["sub"], "1");
        assert_eq!(d["payload"]["extras"]["type"], kind);
        assert_eq!(d["payload"]["jti"].as_str().unwrap().len(), 32);
    }
    assert_eq!(decoded[2]["payload"]["sub"], "42");
    assert_eq!(decoded[2]["header"], json!({"alg": "HS256", "typ": "JWT"}));
}
