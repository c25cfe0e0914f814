//! Account lockout that does not lock out the owner (OWASP's device cookies), through one
//! real server with every password-checking login endpoint (session login, both JWT obtain
//! controllers, token obtain) sharing one `PasswordLogin`:
//!
//! * ten wrong passwords for `admin` from an attacker's address lock the account for
//!   untrusted clients: the owner without a device cookie gets 429 from a new address, and
//!   the owner with the device cookie an earlier login gave gets 200, on every endpoint;
//! * a device guessing is locked out itself, and the owner's other devices are not;
//! * a revoked device cookie (a password change, a new key) no longer exempts;
//! * a forged or tampered device cookie, or another account's, is treated as none.
//!
//! Forwarding headers are not trusted, so the client address is the connection's: the tests
//! connect from different loopback addresses.

mod login_endpoints;
mod tokens_support;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::cookie::Cookie;
use dmr_runtime::backends::credentials::{DeviceCookies, PasswordLogin};
use dmr_runtime::backends::jwt::JwtIssuer;
use dmr_runtime::backends::session::SessionConfig;
use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
use dmr_runtime::backends::users::MemoryUsers;
use dmr_tests::{NOT_AUTHENTICATED, Seen, TestServer};
use login_endpoints::PATHS;
use serde_json::json;

const PASS: &str = tokens_support::PASS;
const KEY: &[u8] = b"device-cookie-key-of-the-tests-0123456789";

/// The four login endpoints over one `PasswordLogin` with device cookies signed with `key`.
fn server(users: Arc<MemoryUsers>, key: &[u8]) -> TestServer {
    let devices = DeviceCookies::new(key).unwrap().secure(false);
    let login = PasswordLogin::with_users(users.clone()).device_cookies(devices);
    let sessions = SessionConfig::new(users.clone())
        .secure(false)
        .password_login(login.clone());
    let issuer = JwtIssuer::hs256("device-cookies-0123456789abcdef-0123456789", users.clone())
        .unwrap()
        .password_login(login.clone());
    let tokens = ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        users,
        TokenHasher::new("test-secret"),
    )
    .password_login(login);
    login_endpoints::server(sessions, issuer, tokens)
}

/// `POST path` with the credentials as JSON from the loopback address `from`, sending the
/// device cookie `device` if given.
async fn attempt(
    srv: &TestServer,
    from: &str,
    path: &str,
    (user, pass): (&str, &str),
    device: Option<&str>,
) -> Seen {
    let from: IpAddr = from.parse().expect("an address");
    let client = awc::Client::builder()
        .connector(awc::Connector::new().local_address(from))
        .timeout(Duration::from_secs(30))
        .finish();
    let mut req = client
        .post(srv.url(path))
        .insert_header(("content-type", "application/json"));
    if let Some(value) = device {
        req = req.insert_header(("cookie", format!("dmr_device={value}")));
    }
    let body = json!({"username": user, "password": pass}).to_string();
    let mut res = req.send_body(body).await.expect("the server answers");
    let body = res.body().await.expect("a body").to_vec();
    Seen {
        status: res.status(),
        headers: res.headers().clone(),
        body,
    }
}

/// The device cookie a response set.
fn device_cookie(seen: &Seen) -> Option<Cookie<'static>> {
    seen.headers
        .get_all("set-cookie")
        .filter_map(|v| Cookie::parse(v.to_str().ok()?.to_owned()).ok())
        .find(|c| c.name() == "dmr_device")
}

/// Logs `user` in from `from` on `path` and returns the device cookie's value.
async fn trusted(srv: &TestServer, from: &str, path: &str, user: (&str, &str)) -> String {
    let seen = attempt(srv, from, path, user, None).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let cookie = device_cookie(&seen).expect("a successful login issues a device cookie");
    assert_eq!(cookie.http_only(), Some(true));
    cookie.value().to_owned()
}

/// Ten wrong passwords for `user` from `from`, spread over the endpoints: the account is
/// then locked for untrusted clients (`already` attempts counted before).
async fn attack(srv: &TestServer, from: &str, user: &str, already: usize) {
    for i in 0..10 {
        let path = PATHS[i % PATHS.len()];
        let seen = attempt(srv, from, path, (user, "wrong"), None).await;
        let expected = if i + already < 10 { 401 } else { 429 };
        assert_eq!(seen.status.as_u16(), expected, "guess {} at {path}", i + 1);
        if expected == 401 {
            assert_eq!(seen.text(), NOT_AUTHENTICATED);
            assert!(
                device_cookie(&seen).is_none(),
                "no device cookie for a failure"
            );
        }
    }
}

#[actix_rt::test]
async fn the_owner_with_a_device_cookie_logs_in_while_the_account_is_locked() {
    let srv = server(tokens_support::memory_users(), KEY);
    // the owner logged in from home once: one attempt on the account's counter
    let device = trusted(&srv, "127.30.0.1", PATHS[0], ("admin", PASS)).await;
    attack(&srv, "127.30.6.6", "admin", 1).await;
    // from a new address (a train, a hotel), on every endpoint
    for (i, path) in PATHS.into_iter().enumerate() {
        let from = format!("127.30.1.{}", i + 1);
        let without = attempt(&srv, &from, path, ("admin", PASS), None).await;
        assert_eq!(without.status.as_u16(), 429, "{path}: {}", without.text());
        assert!(without.header("retry-after").is_some());
        let with = attempt(&srv, &from, path, ("admin", PASS), Some(&device)).await;
        assert_eq!(with.status.as_u16(), 200, "{path}: {}", with.text());
        let renewed = device_cookie(&with).expect("a new device cookie");
        assert_ne!(renewed.value(), device, "each login issues a new one");
    }
}

#[actix_rt::test]
async fn a_guessing_device_is_locked_out_itself_and_the_owners_other_devices_are_not() {
    let srv = server(tokens_support::memory_users(), KEY);
    let stolen = trusted(&srv, "127.31.0.1", PATHS[0], ("admin", PASS)).await;
    let laptop = trusted(&srv, "127.31.0.2", PATHS[1], ("admin", PASS)).await;
    // guesses with the device cookie count on the device, not on the account
    for i in 0..10 {
        let from = format!("127.31.1.{}", i + 1);
        let path = PATHS[i % PATHS.len()];
        let seen = attempt(&srv, &from, path, ("admin", "wrong"), Some(&stolen)).await;
        assert_eq!(seen.status.as_u16(), 401, "guess {} at {path}", i + 1);
    }
    for path in PATHS {
        let locked = attempt(&srv, "127.31.2.1", path, ("admin", PASS), Some(&stolen)).await;
        assert_eq!(locked.status.as_u16(), 429, "{path}: {}", locked.text());
    }
    let other = attempt(&srv, "127.31.2.2", PATHS[2], ("admin", PASS), Some(&laptop)).await;
    assert_eq!(other.status, 200, "{}", other.text());
    // and the account's counter was left alone: an untrusted client still logs in
    let plain = attempt(&srv, "127.31.2.3", PATHS[3], ("admin", PASS), None).await;
    assert_eq!(plain.status, 200, "{}", plain.text());
}

#[actix_rt::test]
async fn a_revoked_device_cookie_no_longer_exempts() {
    let users = tokens_support::memory_users();
    let srv = server(users.clone(), KEY);
    let device = trusted(&srv, "127.32.0.1", PATHS[0], ("admin", PASS)).await;
    // a password change revokes the user's device cookies
    users.set_password("admin", "a-new-password").unwrap();
    attack(&srv, "127.32.6.6", "admin", 1).await;
    for path in PATHS {
        let new = ("admin", "a-new-password");
        let seen = attempt(&srv, "127.32.1.1", path, new, Some(&device)).await;
        assert_eq!(seen.status.as_u16(), 429, "{path}: {}", seen.text());
    }
    // a new key revokes every device cookie
    let before = server(tokens_support::memory_users(), KEY);
    let old = trusted(&before, "127.32.2.1", PATHS[1], ("admin", PASS)).await;
    let srv = server(
        tokens_support::memory_users(),
        b"a-new-device-key-0123456789abcdef",
    );
    attack(&srv, "127.32.6.7", "admin", 0).await;
    let seen = attempt(&srv, "127.32.3.1", PATHS[2], ("admin", PASS), Some(&old)).await;
    assert_eq!(seen.status.as_u16(), 429, "{}", seen.text());
}

#[actix_rt::test]
async fn a_forged_or_tampered_device_cookie_is_treated_as_none() {
    let srv = server(tokens_support::memory_users(), KEY);
    let device = trusted(&srv, "127.33.0.1", PATHS[0], ("admin", PASS)).await;
    let bobs = trusted(&srv, "127.33.0.2", PATHS[0], ("bob", PASS)).await;
    attack(&srv, "127.33.6.6", "admin", 1).await;
    // one character changed in each field of the real cookie
    let fields: Vec<&str> = device.split('.').collect();
    let mut presented: Vec<String> = (0..fields.len())
        .map(|i| {
            let mut f: Vec<String> = fields.iter().map(|s| (*s).to_owned()).collect();
            let flip = if f[i].ends_with('A') { 'B' } else { 'A' };
            f[i].pop();
            f[i].push(flip);
            f.join(".")
        })
        .collect();
    // signed with another key, naming admin
    let forged = DeviceCookies::new(b"the-attackers-own-key-0123456789abcdef").unwrap();
    let admin = dmr_runtime::backends::users::StoredUser {
        id: "1".into(),
        username: "admin".into(),
        password_hash: "$argon2id$guessed".into(),
        is_active: true,
    };
    presented.push(forged.issue(&admin).value().to_owned());
    // another account's real cookie, and garbage
    presented.extend([bobs, "d1.YWRtaW4.0.x.y.z".to_owned(), "x".repeat(4000)]);
    for (i, value) in presented.iter().enumerate() {
        let path = PATHS[i % PATHS.len()];
        let from = format!("127.33.1.{}", i + 1);
        let seen = attempt(&srv, &from, path, ("admin", PASS), Some(value)).await;
        assert_eq!(
            seen.status.as_u16(),
            429,
            "{value} at {path}: {}",
            seen.text()
        );
    }
    // the real one still works
    let seen = attempt(&srv, "127.33.2.1", PATHS[3], ("admin", PASS), Some(&device)).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
}
