//! Session login with CSRF, the reference's documented example: `GET /api/example/` behind
//! session auth, `POST /api/example/` (201) to show CSRF on an unsafe method, and
//! `POST /api/auth/login/` / `POST /api/auth/logout/`.
//!
//! Users: `DemoConfig`'s user (`admin` / `DMR_DEMO_PASSWORD`), kept in memory with an Argon2
//! hash, or in the SQLite file named by `DMR_DEMO_USERS_DB` (created and seeded if needed).
//! Every login issues a device cookie (its key derived from the session key): guesses at `admin` from
//! elsewhere lock the account for other clients, not for a device `admin` logged in from.
//! Sessions live in the process's memory (the embedded default store: logout ends a session,
//! a copy of its cookie is refused afterwards), or in the Redis `DMR_DEMO_REDIS_URL` names
//! (with the login and logout throttles' counters); the cookie holds the session id,
//! encrypted with `DMR_DEMO_SESSION_KEY` or a key generated at startup (restarting the demo
//! then logs everybody out). Cookies are not
//! `Secure` because the demo speaks plain HTTP; set `DMR_DEMO_SECURE_COOKIES=1` behind TLS.

use std::sync::{Arc, LazyLock};

use actix_web::cookie::Key;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Json};
use dmr_runtime::ApiBuilder;
use dmr_runtime::backends::credentials::DeviceCookies;
use dmr_runtime::backends::csrf::CsrfFormToken;
use dmr_runtime::backends::session::{
    SessionAuth, SessionConfig, SessionLayer, SessionLogin, SessionLogout, SessionUser,
};
use dmr_runtime::backends::users::{MemoryUsers, SqliteUsers, UserStore};
use dmr_runtime::prelude::*;
use serde_json::{Value, json};

use crate::config::DemoConfig;
use crate::stores::Sessions;

/// The demo user's id.
const USER_ID: &str = "1";

static SESSIONS: LazyLock<SessionConfig> = LazyLock::new(|| {
    let cfg = DemoConfig::get();
    let secure = std::env::var("DMR_DEMO_SECURE_COOKIES").is_ok_and(|v| v == "1");
    // a device cookie on every login (session, JWT and token obtain share this login): a
    // device that once logged in is not locked out by guesses at its account from elsewhere
    // derived from the session key: servers sharing `DMR_DEMO_SESSION_KEY` share them too
    let devices = DeviceCookies::new(Key::derive_from(KEY.master()).master())
        .expect("64 random bytes make a key")
        .secure(secure);
    let config = SessionConfig::new(users(&cfg.user, &cfg.password))
        .secure(secure)
        .device_cookies(devices);
    match crate::stores::throttle_counters() {
        Some(counters) => config.throttle_store(counters),
        None => config,
    }
});

/// One key for every worker (`DMR_DEMO_SESSION_KEY`, or drawn at startup): the session
/// cookie's id is encrypted with it.
static KEY: LazyLock<Key> = LazyLock::new(|| {
    DemoConfig::get()
        .session_key
        .clone()
        .unwrap_or_else(Key::generate)
});

fn users(user: &str, password: &str) -> Arc<dyn UserStore> {
    let failed = |e: &dyn std::fmt::Display| -> ! { panic!("demo users cannot be set up: {e}") };
    match std::env::var("DMR_DEMO_USERS_DB") {
        Ok(path) => {
            let db = SqliteUsers::open(&path).unwrap_or_else(|e| failed(&e));
            if db
                .find_by_username(user)
                .unwrap_or_else(|e| failed(&e))
                .is_none()
            {
                db.add(USER_ID, user, password)
                    .unwrap_or_else(|e| failed(&e));
            }
            Arc::new(db)
        }
        Err(_) => {
            let mem = MemoryUsers::new();
            mem.add(USER_ID, user, password)
                .unwrap_or_else(|e| failed(&e));
            Arc::new(mem)
        }
    }
}

/// The demo's user store, shared with the JWT credential views.
pub fn user_store() -> Arc<dyn UserStore> {
    Arc::clone(SESSIONS.users())
}

/// Session auth with CSRF, as the demo configures it.
pub fn auth() -> SessionAuth {
    SESSIONS.auth()
}

/// The reference's example endpoint, behind session auth.
pub struct Example;

#[controller(path = "/api/example", auth = [auth()])]
impl Example {
    /// The reference's example: a protected endpoint returning a string.
    #[endpoint(get, path = "/")]
    async fn get() -> Json<&'static str> {
        Json("Hello, world!")
    }

    /// Creates an item (an unsafe method: needs the `X-CSRFToken` header); 201.
    #[endpoint(post, path = "/", status = 201)]
    async fn create(user: Authed<SessionUser>, item: Json<Value>) -> (Json<Value>, StatusCode) {
        let item = item.into_inner();
        (
            Json(json!({"created_by": user.username, "item": item})),
            StatusCode::CREATED,
        )
    }
}

/// Mounts the session example and `POST /api/auth/login/` + `POST /api/auth/logout/`.
pub fn mount(api: ApiBuilder) -> ApiBuilder {
    api.controller::<Example>().scope("/api/auth", |s| {
        s.controller::<SessionLogin>().controller::<SessionLogout>()
    })
}

/// The session middleware for `App::wrap`, over the demo's store (the same sessions for
/// every worker: in memory, or in Redis).
pub fn middleware() -> SessionLayer<Sessions> {
    SESSIONS.middleware(crate::stores::sessions(), KEY.clone())
}

/// Accepts the `csrfmiddlewaretoken` field of small url-encoded `POST` forms.
pub fn form_token() -> CsrfFormToken {
    CsrfFormToken::new()
}

/// The configuration the login and logout controllers read, for `App::app_data`.
/// The user store, password gate and login throttles of the session login: the JWT obtain
/// and token obtain routes share them, so an account has one guess budget across the three.
pub fn password_login() -> &'static dmr_runtime::backends::credentials::PasswordLogin {
    SESSIONS.get_password_login()
}

/// The demo's user store (the token routes use it too).
pub fn users_store() -> &'static Arc<dyn UserStore> {
    SESSIONS.users()
}

pub fn app_data() -> Data<SessionConfig> {
    SESSIONS.app_data()
}
