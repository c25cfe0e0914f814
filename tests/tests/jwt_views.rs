//! The JWT credential controllers through real servers, async (`/a`) and sync (`/s`) alike:
//! obtain, refresh (with rotation and reuse detection), verify and logout; their 400 / 401
//! bodies; the claims they issue; the OpenAPI they document.

mod jwt_support;

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist};
use dmr_runtime::backends::jwt::{
    JwtAuth, JwtIssuer, JwtLogout, JwtLogoutSync, JwtObtain, JwtObtainSync, JwtRefresh,
    JwtRefreshSync, JwtToken, JwtVerify, JwtVerifySync,
};
use dmr_runtime::backends::users::{
    Argon2Params, MemoryUsers, StoredUser, UserStore, UserStoreError,
};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, Seen, TestServer, send, serve_with};
use jwt_support::*;
use serde_json::{Value, json};

const PASS: &str = "correct horse";

fn users() -> MemoryUsers {
    let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
    let users = MemoryUsers::with_params(cheap);
    users.add("1", "admin", PASS).unwrap();
    users.add("2", "inactive", PASS).unwrap();
    users.set_active("inactive", false);
    users.add("3", "bob", PASS).unwrap();
    users
}

struct Setup {
    srv: TestServer,
    users: MemoryUsers,
}

fn setup(rotate: bool) -> Setup {
    let users = users();
    let blocklist = Blocklist::new(MemoryBlocklist::new(1000));
    let issuer = JwtIssuer::hs256(SECRET, users.clone())
        .unwrap()
        .access_ttl(Duration::from_secs(600))
        .refresh_ttl(Duration::from_secs(3600))
        .key_id("k-2026")
        .blocklist(blocklist.clone())
        .rotate_refresh_tokens(rotate)
        .unwrap();
    let auth = JwtAuth::hs256(SECRET).unwrap().blocklist(blocklist);
    let api = Api::new()
        .scope("/a", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtVerify>()
                .controller::<JwtLogout>()
        })
        .scope("/s", |s| {
            s.controller::<JwtObtainSync>()
                .controller::<JwtRefreshSync>()
                .controller::<JwtVerifySync>()
                .controller::<JwtLogoutSync>()
        })
        .scope("", |s| s.auth(auth).controller::<Me>())
        .build()
        .expect("api builds");
    let srv = serve_with(api, move || {
        actix_web::App::new().app_data(issuer.app_data())
    });
    Setup { srv, users }
}

async fn post(srv: &TestServer, path: &str, headers: &[(&str, &str)], body: &str) -> Seen {
    let mut h: Vec<(&str, &[u8])> = vec![("Content-Type", b"application/json")];
    h.extend(headers.iter().map(|(k, v)| (*k, v.as_bytes())));
    send(srv, "POST", path, &h, Some(body.as_bytes())).await
}

async fn obtain(srv: &TestServer, scope: &str, user: &str) -> (String, String) {
    let body = json!({"username": user, "password": PASS}).to_string();
    let seen = post(srv, &format!("{scope}/obtain/"), &[], &body).await;
    assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());
    let json = seen.json();
    (
        json["access_token"].as_str().unwrap().to_owned(),
        json["refresh_token"].as_str().unwrap().to_owned(),
    )
}

async fn refresh(srv: &TestServer, scope: &str, token: &str) -> Seen {
    let body = json!({ "refresh_token": token }).to_string();
    post(srv, &format!("{scope}/refresh/"), &[], &body).await
}

async fn verify(srv: &TestServer, scope: &str, token: &str) -> u16 {
    let body = json!({ "access_token": token }).to_string();
    post(srv, &format!("{scope}/verify/"), &[], &body)
        .await
        .status
        .as_u16()
}

fn part(token: &str, i: usize) -> Value {
    let raw = token.split('.').nth(i).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(raw).unwrap()).unwrap()
}

/// The body of a `value_error`, keys in the order they are sent.
fn value_error(msg: &str, loc: &[&str]) -> String {
    format!(
        r#"{{"detail":[{{"msg":{},"loc":{},"type":"value_error"}}]}}"#,
        json!(msg),
        json!(loc)
    )
}

const SCOPES: [&str; 2] = ["/a", "/s"];

#[actix_rt::test]
async fn obtain_issues_the_reference_claims() {
    let Setup { srv, .. } = setup(true);
    for scope in SCOPES {
        let (access, refresh) = obtain(&srv, scope, "admin").await;
        let (a, r) = (part(&access, 1), part(&refresh, 1));
        assert_eq!(
            part(&access, 0),
            json!({"alg": "HS256", "typ": "JWT", "kid": "k-2026"})
        );
        assert_eq!(a["sub"], "1");
        assert_eq!(a["extras"]["type"], "access");
        assert_eq!(r["extras"]["type"], "refresh");
        assert_eq!(a["exp"].as_i64().unwrap() - a["iat"].as_i64().unwrap(), 600);
        assert_eq!(
            r["exp"].as_i64().unwrap() - r["iat"].as_i64().unwrap(),
            3600
        );
        assert!((a["iat"].as_i64().unwrap() - now()).abs() <= 2);
        let jti = a["jti"].as_str().unwrap();
        assert_eq!(jti.len(), 32);
        assert!(jti.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a["jti"], r["jti"]);
        // one login, one family
        assert_eq!(a["extras"]["fam"], r["extras"]["fam"]);
        // the reference's claim order
        let raw = String::from_utf8(
            URL_SAFE_NO_PAD
                .decode(access.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        let at = |k: &str| raw.find(&format!(r#""{k}":"#)).unwrap();
        assert!(
            at("sub") < at("exp")
                && at("exp") < at("iat")
                && at("iat") < at("jti")
                && at("jti") < at("extras"),
            "{raw}"
        );
        // the header auth accepts the access token and refuses the refresh token
        assert_eq!(me(&srv, &access).await, (200, "1".into()));
        assert_eq!(me(&srv, &refresh).await.0, 401);
        // a second login: new ids, new family
        let (access2, _) = obtain(&srv, scope, "admin").await;
        assert_ne!(part(&access2, 1)["jti"], a["jti"]);
        assert_ne!(part(&access2, 1)["extras"]["fam"], a["extras"]["fam"]);
    }
}

#[actix_rt::test]
async fn obtain_refuses_bad_credentials_with_the_standard_401() {
    let Setup { srv, .. } = setup(true);
    for scope in SCOPES {
        let path = format!("{scope}/obtain/");
        for body in [
            json!({"username": "admin", "password": "wrong"}),
            json!({"username": "nobody", "password": PASS}),
            json!({"username": "inactive", "password": PASS}),
        ] {
            let seen = post(&srv, &path, &[], &body.to_string()).await;
            assert_eq!(seen.status.as_u16(), 401, "{body}");
            assert_eq!(seen.text(), NOT_AUTHENTICATED);
            assert!(seen.header("set-cookie").is_none());
        }
    }
}

#[actix_rt::test]
async fn malformed_bodies_are_400s_that_never_echo_a_value() {
    let Setup { srv, .. } = setup(true);
    for scope in SCOPES {
        let path = format!("{scope}/obtain/");
        let field = |name| ["parsed_body", name];
        // every bad field at once, in declaration order, as the reference reports them
        let both = concat!(
            r#"{"detail":[{"msg":"Field required","loc":["parsed_body","username"],"type":"value_error"},"#,
            r#"{"msg":"Field required","loc":["parsed_body","password"],"type":"value_error"}]}"#
        )
        .to_owned();
        let cases = [
            ("{}", both),
            (
                r#"{"username":"admin"}"#,
                value_error("Field required", &field("password")),
            ),
            (
                r#"{"username":"admin","password":123456789}"#,
                value_error("Input should be a valid string", &field("password")),
            ),
            (
                r#"{"username":["admin"],"password":"p"}"#,
                value_error("Input should be a valid string", &field("username")),
            ),
            (
                r#"[987654321]"#,
                value_error("Input should be a valid dictionary", &["parsed_body"]),
            ),
            (
                "",
                value_error("Input should be a valid dictionary", &["parsed_body"]),
            ),
        ];
        for (body, want) in cases {
            let seen = post(&srv, &path, &[], body).await;
            assert_eq!(seen.status.as_u16(), 400, "{body}");
            assert_eq!(seen.text(), want, "{body}");
        }
        let broken = post(&srv, &path, &[], r#"{"username":"#).await;
        assert_eq!(broken.status.as_u16(), 400);
        // no `loc` for a body that is not JSON, as the reference
        assert_eq!(
            broken.text(),
            r#"{"detail":[{"msg":"JSON decode error","type":"value_error"}]}"#
        );

        let form = send(
            &srv,
            "POST",
            &path,
            &[("Content-Type", b"application/x-www-form-urlencoded")],
            Some(b"username=admin&password=x"),
        )
        .await;
        assert_eq!(form.status.as_u16(), 415);
        let big = format!(
            r#"{{"username":"admin","password":"{}"}}"#,
            "x".repeat(9000)
        );
        let big = post(&srv, &path, &[], &big).await;
        assert_eq!(big.status.as_u16(), 413);
        assert_eq!(
            big.text(),
            value_error(
                "Request body is too large: at most 8192 bytes",
                &["parsed_body"]
            )
        );

        for (view, field) in [("refresh", "refresh_token"), ("verify", "access_token")] {
            let path = format!("{scope}/{view}/");
            let missing = post(&srv, &path, &[], "{}").await;
            assert_eq!(missing.status.as_u16(), 400);
            assert_eq!(
                missing.text(),
                value_error("Field required", &["parsed_body", field])
            );
            let wrong = post(&srv, &path, &[], &format!(r#"{{"{field}":1}}"#)).await;
            assert_eq!(
                wrong.text(),
                value_error("Input should be a valid string", &["parsed_body", field])
            );
        }
    }
}

#[actix_rt::test]
async fn verify_accepts_only_valid_access_tokens_of_active_users() {
    let Setup { srv, users } = setup(true);
    for scope in SCOPES {
        let (access, refresh) = obtain(&srv, scope, "bob").await;
        let path = format!("{scope}/verify/");
        let ok = post(
            &srv,
            &path,
            &[],
            &json!({"access_token": access}).to_string(),
        )
        .await;
        assert_eq!((ok.status.as_u16(), ok.body.len()), (204, 0));
        assert_eq!(verify(&srv, scope, &refresh).await, 401);
        assert_eq!(verify(&srv, scope, "not-a-jwt").await, 401);
        let expired = JwtToken::new("3", Duration::from_secs(1))
            .with_jti("e")
            .with_type("access");
        let mut expired = expired;
        expired.exp = now() - 10;
        expired.iat = now() - 100;
        assert_eq!(
            verify(&srv, scope, &minter().sign_at_any_time(&expired).unwrap()).await,
            401
        );
        let stranger = JwtToken::new("99", Duration::from_secs(60))
            .with_jti("s")
            .with_type("access");
        assert_eq!(
            verify(&srv, scope, &stranger.encode_hs256(SECRET).unwrap()).await,
            401
        );
        users.set_active("bob", false);
        assert_eq!(verify(&srv, scope, &access).await, 401);
        users.set_active("bob", true);
        assert_eq!(verify(&srv, scope, &access).await, 204);
    }
}

#[actix_rt::test]
async fn refresh_refuses_what_the_reference_refuses() {
    let Setup { srv, users } = setup(false);
    for scope in SCOPES {
        let (access, refresh_token) = obtain(&srv, scope, "bob").await;
        // without rotation: a new pair, as the reference answers (a new refresh token of the
        // same login; reference_parity.rs checks its claims)
        let seen = refresh(&srv, scope, &refresh_token).await;
        assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());
        let json = seen.json();
        let new_fam = &part(json["refresh_token"].as_str().unwrap(), 1)["extras"]["fam"];
        assert_ne!(json["refresh_token"], refresh_token.as_str());
        assert_eq!(*new_fam, part(&refresh_token, 1)["extras"]["fam"]);
        let new_access = json["access_token"].as_str().unwrap();
        assert_ne!(new_access, access);
        assert_eq!(part(new_access, 1)["extras"]["type"], "access");
        assert_eq!(me(&srv, new_access).await, (200, "3".into()));
        // and again: the refresh token stays valid
        assert_eq!(
            refresh(&srv, scope, &refresh_token).await.status.as_u16(),
            200
        );

        let seen = refresh(&srv, scope, &access).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.into())
        );
        assert_eq!(refresh(&srv, scope, "garbage").await.status.as_u16(), 401);
        let mut expired = JwtToken::new("3", Duration::from_secs(1))
            .with_jti("x")
            .with_type("refresh");
        expired.exp = now() - 1;
        expired.iat = now() - 100;
        let expired = minter().sign_at_any_time(&expired).unwrap();
        assert_eq!(refresh(&srv, scope, &expired).await.status.as_u16(), 401);

        users.set_active("bob", false);
        assert_eq!(
            refresh(&srv, scope, &refresh_token).await.status.as_u16(),
            401
        );
        users.set_active("bob", true);
        assert_eq!(
            refresh(&srv, scope, &refresh_token).await.status.as_u16(),
            200
        );
    }
    // a deleted user
    let (_, refresh_token) = obtain(&srv, "/a", "bob").await;
    users.remove("bob");
    assert_eq!(
        refresh(&srv, "/a", &refresh_token).await.status.as_u16(),
        401
    );
    assert_eq!(
        refresh(&srv, "/s", &refresh_token).await.status.as_u16(),
        401
    );
}

/// Collects log records, to check what a reuse warning says.
struct Collect(Mutex<Vec<String>>);

impl log::Log for Collect {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        self.0
            .lock()
            .unwrap()
            .push(format!("{} {}", record.level(), record.args()));
    }
    fn flush(&self) {}
}

fn logs() -> &'static Collect {
    static LOGS: OnceLock<&'static Collect> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logger: &'static Collect = Box::leak(Box::new(Collect(Mutex::new(Vec::new()))));
        log::set_logger(logger).expect("the only logger of this test binary");
        log::set_max_level(log::LevelFilter::Warn);
        logger
    })
}

#[actix_rt::test]
async fn rotation_revokes_the_presented_token_and_reuse_revokes_the_family() {
    let logs = logs();
    let Setup { srv, .. } = setup(true);
    for scope in SCOPES {
        let (access1, r1) = obtain(&srv, scope, "admin").await;
        let family = part(&r1, 1)["extras"]["fam"].as_str().unwrap().to_owned();
        let seen = refresh(&srv, scope, &r1).await;
        assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());
        let json = seen.json();
        let (access2, r2) = (
            json["access_token"].as_str().unwrap().to_owned(),
            json["refresh_token"].as_str().unwrap().to_owned(),
        );
        assert_ne!(r2, r1);
        assert_eq!(part(&r2, 1)["extras"]["fam"], family.as_str());
        assert_eq!(me(&srv, &access2).await.0, 200);
        assert_eq!(me(&srv, &access1).await.0, 200);

        // the rotated token again: refused, and the whole family with it
        let replay = refresh(&srv, scope, &r1).await;
        assert_eq!(
            (replay.status.as_u16(), replay.text()),
            (401, NOT_AUTHENTICATED.into())
        );
        assert_eq!(refresh(&srv, scope, &r2).await.status.as_u16(), 401);
        assert_eq!(me(&srv, &access1).await.0, 401);
        assert_eq!(me(&srv, &access2).await.0, 401);
        assert_eq!(verify(&srv, scope, &access2).await, 401);
        // another login is not affected
        let (access3, r3) = obtain(&srv, scope, "admin").await;
        assert_eq!(me(&srv, &access3).await.0, 200);
        assert_eq!(refresh(&srv, scope, &r3).await.status.as_u16(), 200);

        let lines = logs.0.lock().unwrap().clone();
        let warning = lines
            .iter()
            .find(|l| l.starts_with("WARN") && l.contains(&family))
            .unwrap_or_else(|| panic!("no warning naming family {family}: {lines:?}"));
        assert!(warning.contains("reuse"), "{warning}");
        for token in [&r1, &r2, &access1, &access2] {
            assert!(
                !lines.iter().any(|l| l.contains(token.as_str())),
                "a token was logged"
            );
        }
    }
}

#[actix_rt::test]
async fn concurrent_refreshes_with_one_token_succeed_once() {
    let Setup { srv, .. } = setup(true);
    for scope in SCOPES {
        let (_, r) = obtain(&srv, scope, "admin").await;
        let calls = (0..8).map(|_| refresh(&srv, scope, &r));
        let statuses: Vec<u16> = futures_util::future::join_all(calls)
            .await
            .iter()
            .map(|s| s.status.as_u16())
            .collect();
        assert_eq!(
            statuses.iter().filter(|&&s| s == 200).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|&&s| s == 401).count(),
            7,
            "{statuses:?}"
        );
    }
}

#[actix_rt::test]
async fn logout_revokes_both_tokens() {
    let Setup { srv, .. } = setup(true);
    for scope in SCOPES {
        let (access, refresh_token) = obtain(&srv, scope, "admin").await;
        let path = format!("{scope}/logout/");
        let body = json!({ "refresh_token": refresh_token }).to_string();
        let seen = post(&srv, &path, &[("Authorization", &bearer(&access))], &body).await;
        assert_eq!(
            (seen.status.as_u16(), seen.body.len()),
            (204, 0),
            "{}",
            seen.text()
        );
        assert_eq!(me(&srv, &access).await, (401, NOT_AUTHENTICATED.into()));
        assert_eq!(
            refresh(&srv, scope, &refresh_token).await.status.as_u16(),
            401
        );
        assert_eq!(verify(&srv, scope, &access).await, 401);

        // nothing presented, a bad token, a token of the wrong kind: 401
        assert_eq!(post(&srv, &path, &[], "").await.status.as_u16(), 401);
        let garbage = post(&srv, &path, &[("Authorization", "Bearer x.y.z")], "").await;
        assert_eq!(garbage.status.as_u16(), 401);
        let (access2, refresh2) = obtain(&srv, scope, "admin").await;
        let swapped = json!({ "refresh_token": access2 }).to_string();
        assert_eq!(post(&srv, &path, &[], &swapped).await.status.as_u16(), 401);
        assert_eq!(me(&srv, &access2).await.0, 200);
        // the access token alone logs out the whole login (its family)
        let alone = post(&srv, &path, &[("Authorization", &bearer(&access2))], "").await;
        assert_eq!(alone.status.as_u16(), 204);
        assert_eq!(refresh(&srv, scope, &refresh2).await.status.as_u16(), 401);
    }
}

#[actix_rt::test]
async fn openapi_describes_bodies_responses_and_errors() {
    let users = users();
    let issuer = JwtIssuer::hs256(SECRET, users).unwrap();
    let _ = issuer;
    let api = Api::new()
        .scope("/a", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtVerify>()
                .controller::<JwtLogout>()
        })
        .build()
        .unwrap();
    let doc: Value = serde_json::from_str(api.openapi_json()).unwrap();
    let op = |path: &str| doc["paths"][path]["post"].clone();
    let schema_ref =
        |op: &Value| op["requestBody"]["content"]["application/json"]["schema"]["$ref"].clone();
    assert_eq!(
        schema_ref(&op("/a/obtain/")),
        "#/components/schemas/ObtainTokensPayload"
    );
    assert_eq!(
        schema_ref(&op("/a/refresh/")),
        "#/components/schemas/RefreshTokenPayload"
    );
    assert_eq!(
        schema_ref(&op("/a/verify/")),
        "#/components/schemas/VerifyTokenPayload"
    );
    assert_eq!(
        schema_ref(&op("/a/logout/")),
        "#/components/schemas/RefreshTokenPayload"
    );
    for path in ["/a/obtain/", "/a/refresh/"] {
        let ok = &op(path)["responses"]["200"];
        assert_eq!(
            ok["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ObtainTokensResponse"
        );
        assert!(
            ok["headers"]["Set-Cookie: refresh_token"].is_object(),
            "{ok}"
        );
    }
    for path in ["/a/verify/", "/a/logout/"] {
        assert!(op(path)["responses"]["204"]["content"].is_null());
    }
    for path in ["/a/obtain/", "/a/refresh/", "/a/verify/", "/a/logout/"] {
        let responses = &op(path)["responses"];
        for status in ["400", "401", "503"] {
            assert_eq!(
                responses[status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorModel",
                "{path} {status}: {responses}"
            );
        }
        assert!(
            op(path)["security"].is_null(),
            "{path}: credential views run without auth"
        );
    }
    let payload = &doc["components"]["schemas"]["ObtainTokensPayload"];
    assert_eq!(payload["required"], json!(["username", "password"]));
    let tokens = &doc["components"]["schemas"]["ObtainTokensResponse"];
    assert_eq!(tokens["required"], json!(["access_token", "refresh_token"]));
}

/// A user store whose password check waits until the test lets it go, so a login can be held
/// inside the gate.
struct HeldUsers {
    inner: MemoryUsers,
    entered: Mutex<std::sync::mpsc::Sender<()>>,
    release: Mutex<std::sync::mpsc::Receiver<()>>,
}

impl UserStore for HeldUsers {
    fn find_by_username(&self, name: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.inner.find_by_username(name)
    }
    fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.inner.find_by_id(id)
    }
    fn authenticate(&self, name: &str, pw: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.entered.lock().unwrap().send(()).unwrap();
        // bounded, so a gate that queued instead of refusing fails the test instead of hanging it
        let _ = self
            .release
            .lock()
            .unwrap()
            .recv_timeout(Duration::from_secs(30));
        self.inner.authenticate(name, pw)
    }
}

#[actix_rt::test]
async fn logins_beyond_the_gate_are_refused_with_503_not_queued() {
    let (entered_tx, entered_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel();
    let held = HeldUsers {
        inner: users(),
        entered: Mutex::new(entered_tx),
        release: Mutex::new(release_rx),
    };
    // one check at a time, and no waiting for a turn
    let issuer = JwtIssuer::hs256(SECRET, held)
        .unwrap()
        .max_concurrent_logins(1, Duration::ZERO);
    let api = Api::new()
        .scope("/a", |s| s.controller::<JwtObtain>())
        .scope("/s", |s| s.controller::<JwtObtainSync>())
        .build()
        .unwrap();
    let srv = serve_with(api, move || {
        actix_web::App::new().app_data(issuer.app_data())
    });
    let body = json!({"username": "admin", "password": PASS}).to_string();

    let first = post(&srv, "/a/obtain/", &[], &body);
    let others = async {
        // the first login is inside the gate, its check held
        actix_web::web::block(move || entered_rx.recv().unwrap())
            .await
            .unwrap();
        let mut seen = Vec::new();
        for scope in ["/a", "/s"] {
            let s = post(&srv, &format!("{scope}/obtain/"), &[], &body).await;
            seen.push((s.status.as_u16(), s.text()));
        }
        release_tx.send(()).unwrap();
        seen
    };
    let (first, others) = futures_util::future::join(first, others).await;
    let busy = json!({"detail": [{"msg": "Too many logins at once: retry later"}]});
    for (status, text) in others {
        assert_eq!((status, text), (503, busy.to_string()));
    }
    assert_eq!(first.status.as_u16(), 200, "{}", first.text());
}

#[actix_rt::test]
async fn obtain_is_throttled_per_address_by_default_and_can_be_turned_off() {
    let Setup { srv, .. } = setup(false);
    let wrong = json!({"username": "admin", "password": "wrong"}).to_string();
    for i in 0..10 {
        let seen = post(&srv, "/a/obtain/", &[], &wrong).await;
        assert_eq!(
            seen.status.as_u16(),
            401,
            "attempt {}: {}",
            i + 1,
            seen.text()
        );
    }
    let refused = post(&srv, "/a/obtain/", &[], &wrong).await;
    assert_eq!(refused.status.as_u16(), 429);
    assert_eq!(
        refused.text(),
        r#"{"detail":[{"msg":"Too many requests","type":"ratelimit"}]}"#
    );
    assert!(refused.header("retry-after").is_some());

    let issuer = JwtIssuer::hs256(SECRET, users())
        .unwrap()
        .login_throttle(None)
        .username_throttle(None);
    let api = Api::new()
        .scope("/a", |s| s.controller::<JwtObtain>())
        .build()
        .unwrap();
    let srv = serve_with(api, move || {
        actix_web::App::new().app_data(issuer.app_data())
    });
    for _ in 0..12 {
        assert_eq!(
            post(&srv, "/a/obtain/", &[], &wrong).await.status.as_u16(),
            401
        );
    }
}
