//! Shared pieces of the session and CSRF tests: users, controllers, a cookie jar, servers.
#![allow(dead_code)]

use std::collections::BTreeMap;

use actix_session::storage::SessionStore;
use actix_web::cookie::{Cookie, Key};
use actix_web::web::Bytes;
use dmr_runtime::backends::basic::{BasicUser, HttpBasic, InlineVerifier, constant_time_eq};
use dmr_runtime::backends::csrf::CsrfFormToken;
use dmr_runtime::backends::session::{
    CookieSessionStore, MemorySessionStore, Session, SessionConfig, SessionLogin, SessionLogout,
    SessionUser, session_csrf_token,
};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;
use dmr_tests::{Seen, TestServer, send, serve_with};

pub const PASS: &str = "pass";

/// Argon2 at its minimum cost: these tests exercise the flow, not the hash.
pub fn cheap() -> Argon2Params {
    Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).expect("valid params")
}

/// `admin` (id 1), `inactive` (id 2, deactivated), `bob` (id 3), all with password `pass`.
pub fn users() -> MemoryUsers {
    let users = MemoryUsers::with_params(cheap());
    users.add("1", "admin", PASS).expect("hash");
    users.add("2", "inactive", PASS).expect("hash");
    users.set_active("inactive", false);
    users.add("3", "bob", PASS).expect("hash");
    users
}

/// Plain-HTTP test servers: cookies without `Secure`.
pub fn config(users: MemoryUsers) -> SessionConfig {
    SessionConfig::new(users).secure(false)
}

type Check = fn(&str, &str) -> bool;

fn basic_check(user: &str, pass: &str) -> bool {
    user == "basic" && constant_time_eq(pass, "basicpass")
}

/// Basic auth for `basic` / `basicpass`.
pub fn basic() -> HttpBasic<InlineVerifier<Check>> {
    HttpBasic::new(basic_check as Check)
}

/// Async endpoints; their chain comes from the scope (session) and the settings (Basic).
pub struct Guarded;

#[controller(path = "/p")]
impl Guarded {
    #[endpoint(get, path = "/")]
    async fn read(info: AuthInfo) -> String {
        who(&info)
    }

    /// Echoes the body after auth, to show the form body reached the handler intact.
    #[endpoint(post, path = "/")]
    async fn create(info: AuthInfo, body: Bytes) -> String {
        format!("{}|{}", who(&info), String::from_utf8_lossy(&body))
    }

    #[endpoint(put, path = "/")]
    async fn replace(info: AuthInfo) -> String {
        who(&info)
    }

    #[endpoint(delete, path = "/")]
    async fn remove(info: AuthInfo) -> String {
        who(&info)
    }
}

/// Sync endpoints: the chain runs on the blocking pool against the request snapshot.
pub struct SyncGuarded;

#[controller(path = "/sync")]
impl SyncGuarded {
    #[endpoint(get, path = "/")]
    fn read(user: Authed<SessionUser>) -> String {
        format!("sync:{}", user.username)
    }

    #[endpoint(post, path = "/")]
    fn create(user: Authed<SessionUser>, body: Bytes) -> String {
        format!("sync:{}|{}", user.username, String::from_utf8_lossy(&body))
    }
}

/// `GET /csrf-token/`: a masked token for session-stored CSRF secrets.
pub struct TokenView;

#[controller(path = "/csrf-token", auth = none)]
impl TokenView {
    #[endpoint(get, path = "/")]
    async fn token(session: Session) -> String {
        session_csrf_token(&session).unwrap_or_default()
    }
}

fn who(info: &AuthInfo) -> String {
    if let Some(u) = info.identity::<SessionUser>() {
        format!("session:{}", u.username)
    } else if let Some(u) = info.identity::<BasicUser>() {
        format!("basic:{}", u.username)
    } else {
        format!("other:{}", info.scheme())
    }
}

/// The API under test: session auth on the `""` scope, Basic in settings (so the chain is
/// session, then Basic), login and logout under `/auth`.
pub fn api(cfg: &SessionConfig) -> Api {
    Api::new()
        .settings(Settings::new().auth(basic()))
        .scope("", |s| {
            s.auth(cfg.auth())
                .controller::<Guarded>()
                .controller::<SyncGuarded>()
        })
        .scope("/auth", |s| {
            s.controller::<SessionLogin>().controller::<SessionLogout>()
        })
        .controller::<TokenView>()
        .build()
        .expect("api builds")
}

/// A server with the embedded default session store (in memory, its own) and the
/// form-field middleware.
pub fn server(cfg: &SessionConfig) -> TestServer {
    server_on(cfg, MemorySessionStore::new())
}

/// [`server`] with the cookie session store (the session in the cookie).
pub fn cookie_server(cfg: &SessionConfig) -> TestServer {
    server_with(cfg, CookieSessionStore::default, Key::generate())
}

/// [`server`] over `store` (shared by the workers) and a key of its own.
pub fn server_on<S>(cfg: &SessionConfig, store: S) -> TestServer
where
    S: SessionStore + Clone + Send + 'static,
{
    server_with(cfg, move || store.clone(), Key::generate())
}

/// [`server`] over the store `store()` gives each worker, and `key`: servers given the
/// same store and key share their sessions.
pub fn server_with<S, F>(cfg: &SessionConfig, store: F, key: Key) -> TestServer
where
    S: SessionStore + 'static,
    F: Fn() -> S + Clone + Send + 'static,
{
    let cfg = cfg.clone();
    serve_with(api(&cfg), move || {
        actix_web::App::new()
            .wrap(CsrfFormToken::new())
            .wrap(cfg.middleware(store(), key.clone()))
            .app_data(cfg.app_data())
    })
}

/// The cookies a client keeps between requests.
#[derive(Debug, Default, Clone)]
pub struct Jar(pub BTreeMap<String, String>);

impl Jar {
    /// Applies every `Set-Cookie` of a response (a removal deletes the cookie).
    pub fn absorb(&mut self, seen: &Seen) {
        for c in set_cookies(seen) {
            let removed =
                c.max_age().is_some_and(|a| a.is_zero() || a.is_negative()) || c.value().is_empty();
            if removed {
                self.0.remove(c.name());
            } else {
                self.0.insert(c.name().to_owned(), c.value().to_owned());
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.0.insert(name.to_owned(), value.to_owned());
    }

    /// The `Cookie` request header.
    pub fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The parsed `Set-Cookie` headers of a response.
pub fn set_cookies(seen: &Seen) -> Vec<Cookie<'static>> {
    seen.headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| Cookie::parse(v.to_owned()).ok())
        .collect()
}

/// Sends a request with the jar's cookies plus `headers`; keeps the response's cookies.
pub async fn call(
    srv: &TestServer,
    jar: &mut Jar,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Seen {
    let cookie = jar.header();
    let mut h: Vec<(&str, &[u8])> = headers.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
    if !cookie.is_empty() {
        h.push(("cookie", cookie.as_bytes()));
    }
    let seen = send(srv, method, path, &h, body.map(str::as_bytes)).await;
    jar.absorb(&seen);
    seen
}

/// `POST /auth/login/` with a JSON body.
pub async fn login(srv: &TestServer, jar: &mut Jar, username: &str, password: &str) -> Seen {
    let body = serde_json::json!({"username": username, "password": password}).to_string();
    call(
        srv,
        jar,
        "POST",
        "/auth/login/",
        &[("content-type", "application/json")],
        Some(&body),
    )
    .await
}

/// `POST /auth/logout/` with the jar's cookies and its CSRF token (empty without a CSRF
/// cookie: an anonymous logout needs none).
pub async fn logout(srv: &TestServer, jar: &mut Jar) -> Seen {
    let token = jar.get("csrftoken").unwrap_or_default().to_owned();
    call(
        srv,
        jar,
        "POST",
        "/auth/logout/",
        &[("x-csrftoken", &token)],
        None,
    )
    .await
}

/// Logs `username` in and returns the jar, asserting success.
pub async fn logged_in(srv: &TestServer, username: &str) -> Jar {
    let mut jar = Jar::default();
    let seen = login(srv, &mut jar, username, PASS).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    jar
}

/// The reference's CSRF body for `reason`.
pub fn csrf_body(reason: &str) -> String {
    serde_json::json!({"detail": [{"msg": format!("CSRF Failed: {reason}")}]}).to_string()
}
