//! Session auth with CSRF, as django-modern-rest's Django session auth: a user logged in
//! through [`SessionLogin`] is recognised by the `sessionid` cookie of `actix-session`, and
//! every unsafe request must also pass the CSRF check.
//!
//! Wiring, all from one [`SessionConfig`]:
//!
//! * `auth = [SESSIONS.auth()]` (or [`SessionAuth::new`]) on controllers, endpoints,
//!   scopes or settings; it fits sync and async endpoints;
//! * `App::new().wrap(SESSIONS.middleware(store, key)).app_data(SESSIONS.app_data())`, with a
//!   server-side store: [`MemorySessionStore`] (the embedded default: one process),
//!   [`SqliteSessionStore`] (`sqlite` feature: a file, that survives a restart and that the
//!   processes of one machine share) or [`RedisSessionStore`] (`redis-session` feature:
//!   several servers); or, knowing what it gives up, [`CookieSessionStore`] (below);
//! * `.scope("/api/auth", |s| s.controller::<SessionLogin>().controller::<SessionLogout>())`
//!   for `POST /api/auth/login/` and `POST /api/auth/logout/`;
//! * optionally `.wrap(CsrfFormToken::new())` to accept the `csrfmiddlewaretoken` form field
//!   (see [`CsrfFormToken`](crate::backends::csrf::CsrfFormToken)).
//!
//! # Expiry and revocation
//!
//! A session ends [`session_ttl`](SessionConfig::session_ttl) after its login (two weeks by
//! default) on the server, whatever the store: the login time is kept in the session
//! ([`SESSION_ISSUED_AT_KEY`]) and session auth refuses an older session (and a session
//! holding a user but no login time). A password change or a deactivation also ends every
//! session of the user at once (the session keeps a fingerprint of the password hash,
//! [`SESSION_USER_HASH_KEY`]).
//!
//! With a server-side store the cookie holds only an id (encrypted with the key) and the
//! session lives in the store, so:
//!
//! * logout deletes the session: a copy of the cookie taken before it is refused afterwards;
//! * a new login renews the id and deletes the old one: the previous cookie is refused too;
//! * [`MemorySessionStore::end_user_sessions`], [`SqliteSessionStore::end_user_sessions`] and
//!   `RedisSessionStore::end_user_sessions`
//!   end every session of one user without a password change ("log out everywhere").
//!
//! This holds wherever the store reaches: the process for [`MemorySessionStore`], every
//! process on the SQLite file for [`SqliteSessionStore`], every server on the Redis for
//! [`RedisSessionStore`]. The embedded stores are bounded ([`SessionLimits`]: a TTL, a quota
//! per user, a capacity, and a 503 rather than anybody's logout when they are full of logins).
//!
//! # The cookie store: what it gives up
//!
//! With [`CookieSessionStore`] the cookie *is* the session (encrypted and authenticated with
//! the key), and the server keeps nothing: no store to run, size or share between servers.
//! But nothing on the server can end a session before its TTL:
//!
//! * logout removes the client's cookie, but a copy of it taken before keeps working until
//!   the TTL ends it (or a password change, a deactivation, or a new key);
//! * a new login gives a new cookie, but the previous cookie, if kept, also keeps working
//!   until its own TTL;
//! * a cookie is never accepted after its TTL, even if the client ignores `Max-Age`.
//!
//! Choose it only where a copied cookie living out its TTL is acceptable (OWASP's session
//! management guidance asks for server-side invalidation on logout), and keep the TTL short.

//! ```
//! use std::sync::LazyLock;
//!
//! use dmr_runtime::backends::session::{SessionConfig, SessionUser};
//! use dmr_runtime::backends::users::MemoryUsers;
//! use dmr_runtime::prelude::*;
//!
//! static SESSIONS: LazyLock<SessionConfig> = LazyLock::new(|| {
//!     let users = MemoryUsers::new();
//!     users.add("1", "admin", "pass").expect("hashing works");
//!     SessionConfig::new(users)
//! });
//!
//! struct Profile;
//!
//! #[controller(path = "/api/profile", auth = [SESSIONS.auth()])]
//! impl Profile {
//!     #[endpoint(get, path = "/")]
//!     async fn me(user: Authed<SessionUser>) -> String {
//!         user.username.clone()
//!     }
//! }
//! ```

mod config;
mod fallback;
mod guard;
mod key;
mod memory_store;
#[cfg(feature = "redis-session")]
mod redis_index;
#[cfg(feature = "redis-session")]
mod redis_store;
mod server_store;
#[cfg(feature = "sqlite")]
mod sqlite_store;
mod state;
mod views;

use std::sync::Arc;

use actix_web::http::StatusCode;

/// The session, encrypted and authenticated with the session key, in the cookie itself:
/// nothing kept on the server, so **logout cannot end a copy of the cookie** taken before it,
/// nor a new login the previous cookie; both keep working until the session's TTL (see
/// [the module docs](self#the-cookie-store-what-it-gives-up)). Prefer a server-side store
/// ([`MemorySessionStore`], `SqliteSessionStore`, `RedisSessionStore`) unless that trade-off
/// is acceptable.
pub use actix_session::storage::CookieSessionStore;
pub use actix_session::{Session, SessionExt, SessionMiddleware};
pub use config::SessionConfig;
pub use guard::{
    SessionLayer, SessionLayerService, StaleCookieCheck, StoreUnavailable, TimedStore,
};
pub use key::{SESSION_KEY_BYTES, SessionKeyError, session_key_from_base64};
pub use memory_store::MemorySessionStore;
#[cfg(feature = "redis-session")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis-session")))]
pub use redis_store::{RedisSessionStore, RedisSessionStoreBuilder};
pub use server_store::{DEFAULT_SESSION_CAPACITY, DEFAULT_SESSIONS_PER_USER, SessionLimits};
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use sqlite_store::{SQLITE_SESSION_SCHEMA, SqliteSessionStore};
pub use state::{
    SESSION_ISSUED_AT_KEY, SESSION_USER_HASH_KEY, SESSION_USER_ID_KEY, login_session,
    logout_session, session_csrf_token,
};
pub use views::{
    DjangoSessionPayload, DjangoSessionResponse, LoginError, LoginPayload, LoginResponse,
    LogoutResponse, SessionLogin, SessionLogout,
};

use crate::auth::{
    AsyncAuth, Auth, AuthError, AuthRequest, AuthResponses, AuthResult, SchemeDoc, SyncAuth,
};
use crate::backends::users::{StoredUser, UserStoreError, session_hash};

/// The identity of a session login: the user's id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    /// The user's id in the store.
    pub id: String,
    /// The user's login name.
    pub username: String,
}

/// Throttles keyed on the identity count a session by its user's id.
impl crate::throttle::ThrottleIdentity for SessionUser {
    fn throttle_key(&self) -> Option<String> {
        Some(self.id.clone())
    }
}

/// Session auth: succeeds for the active user the session belongs to, then enforces CSRF.
///
/// * no session, no user in it, a session older than the TTL (or without a login time), an
///   unknown, inactive or re-passworded user: skip (the chain goes on; nothing about CSRF is
///   checked);
/// * an active user and a failing CSRF check: 403 `CSRF Failed: <reason>`, the chain stops;
/// * otherwise success with a [`SessionUser`].
///
/// It reads the session that `actix-session`'s middleware loaded (on the blocking pool, the
/// copy [`RequestSnapshot`](crate::auth::RequestSnapshot) took) and asks the user store for
/// the user on every request; a blocking store runs on actix's blocking pool for async
/// endpoints. A failing store answers 500.
#[derive(Clone)]
pub struct SessionAuth {
    config: Arc<SessionConfig>,
}

impl std::fmt::Debug for SessionAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionAuth")
            .field("config", &self.config)
            .finish()
    }
}

/// What the session claims: a user id and the fingerprint recorded at login.
struct Claim {
    id: String,
    hash: Option<String>,
}

/// Whether a session logged in at `issued_at` (Unix seconds) is past `ttl` now.
fn expired(issued_at: Option<i64>, ttl: actix_web::cookie::time::Duration) -> bool {
    issued_at.is_none_or(|t| state::unix_now().saturating_sub(t) >= ttl.whole_seconds())
}

impl SessionAuth {
    /// Session auth reading `config` (a snapshot of it: later changes to `config` do not
    /// apply). Logs a warning if CSRF enforcement is off ([`CsrfConfig::enforce`]).
    ///
    /// [`CsrfConfig::enforce`]: crate::backends::csrf::CsrfConfig::enforce
    pub fn new(config: &SessionConfig) -> Self {
        config.csrf.warn_if_not_enforced();
        Self {
            config: Arc::new(config.clone()),
        }
    }

    fn claim(&self, req: &AuthRequest<'_>) -> Option<Claim> {
        let id = req.session_get::<String>(SESSION_USER_ID_KEY)?;
        if expired(
            req.session_get::<i64>(SESSION_ISSUED_AT_KEY),
            self.config.ttl,
        ) {
            return None;
        }
        Some(Claim {
            id,
            hash: req.session_get::<String>(SESSION_USER_HASH_KEY),
        })
    }

    /// The second half of the check, once the store answered.
    fn decide(
        &self,
        req: &AuthRequest<'_>,
        claim: &Claim,
        found: Result<Option<StoredUser>, UserStoreError>,
    ) -> AuthResult<SessionUser> {
        let user = match found {
            Ok(Some(user)) => user,
            Ok(None) => return Ok(None),
            Err(e) => return Err(store_failed(&e)),
        };
        let hash_ok = claim.hash.as_deref().is_some_and(|h| {
            use subtle::ConstantTimeEq as _;
            bool::from(
                h.as_bytes()
                    .ct_eq(session_hash(&user.password_hash).as_bytes()),
            )
        });
        if !user.is_active || !hash_ok {
            return Ok(None);
        }
        self.config.csrf.check(req)?;
        Ok(Some(SessionUser {
            id: user.id,
            username: user.username,
        }))
    }
}

fn store_failed(e: &dyn std::fmt::Display) -> AuthError {
    crate::observe::flood::gated!(error, "session_auth", "session auth: {e}");
    AuthError::rejected(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
}

impl Auth for SessionAuth {
    type Identity = SessionUser;

    fn throttle_key(user: &SessionUser) -> Option<String> {
        crate::throttle::ThrottleIdentity::throttle_key(user)
    }

    fn scheme_name(&self) -> &str {
        &self.config.scheme_name
    }

    fn schemes(&self) -> Vec<SchemeDoc> {
        let c = &self.config;
        let mut schemes = vec![SchemeDoc::api_key_cookie(
            &c.scheme_name,
            c.get_cookie_name(),
            "Reusing standard Django auth flow for API",
        )];
        if !c.csrf.uses_sessions() {
            schemes.push(SchemeDoc::api_key_cookie(
                &c.csrf_scheme_name,
                c.csrf.get_cookie_name(),
                "CSRF protection",
            ));
        }
        schemes
    }

    fn responses(&self) -> AuthResponses {
        AuthResponses::UNAUTHORIZED | AuthResponses::CSRF_FORBIDDEN
    }
}

impl SyncAuth for SessionAuth {
    fn authenticate_sync(&self, req: &AuthRequest<'_>) -> AuthResult<SessionUser> {
        let Some(claim) = self.claim(req) else {
            return Ok(None);
        };
        let found = self.config.login.users().find_by_id(&claim.id);
        self.decide(req, &claim, found)
    }
}

impl AsyncAuth for SessionAuth {
    async fn authenticate(&self, req: &AuthRequest<'_>) -> AuthResult<SessionUser> {
        let Some(claim) = self.claim(req) else {
            return Ok(None);
        };
        let found = self.config.login.find_user(&claim.id).await;
        self.decide(req, &claim, found)
    }
}

#[cfg(test)]
mod tests;
