//! [`SessionConfig`]: the one description of the session cookie, the CSRF settings and the
//! user store that session auth, the login and logout controllers and the session
//! middleware all read, so they cannot disagree.

use actix_session::SessionMiddleware;
use actix_session::config::PersistentSession;
use actix_session::storage::SessionStore;
use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, Key, SameSite};
use actix_web::web;

use super::SessionAuth;
use super::fallback::KeyFallbacks;
use super::guard::{SessionLayer, TimedStore};
use crate::backends::credentials::{PasswordLogin, password_login_accessors};
use crate::backends::csrf::{CookieAttributes, CsrfConfig, cookie_attribute_setters};
use crate::backends::users::UserStore;
use crate::throttle::Throttle;
use crate::throttle::token_ops::{TokenThrottles, op_throttle_accessors};

/// Session and CSRF settings plus the user store, shared by [`SessionAuth`], the
/// [`SessionLogin`](super::SessionLogin) / [`SessionLogout`](super::SessionLogout)
/// controllers (through app data) and the session middleware.
///
/// Defaults follow Django: session cookie `sessionid` (`HttpOnly`, `SameSite=Lax`, two
/// weeks), CSRF cookie `csrftoken` (readable by scripts, `SameSite=Lax`, a year). Cookies are
/// `Secure` unless [`secure(false)`](SessionConfig::secure) (plain-HTTP development only).
///
/// ```
/// use actix_web::App;
/// use actix_web::cookie::Key;
/// use dmr_runtime::backends::csrf::CsrfConfig;
/// use dmr_runtime::backends::session::{MemorySessionStore, SessionConfig};
/// use dmr_runtime::backends::users::MemoryUsers;
///
/// let users = MemoryUsers::new();
/// users.add("1", "admin", "pass").unwrap();
/// let sessions = SessionConfig::new(users)
///     .secure(false)
///     .csrf(CsrfConfig::new().trusted_origins(["https://app.example.com"]));
/// let key = Key::generate(); // keep one key for every worker and server
/// let store = MemorySessionStore::new(); // one store for every worker
/// let app = App::new()
///     .wrap(sessions.middleware(store.clone(), key.clone()))
///     .app_data(sessions.app_data());
/// # let _ = app;
/// ```
#[derive(Clone)]
pub struct SessionConfig {
    cookie_name: String,
    cookie_path: String,
    /// `Secure`, `SameSite` and `Domain` of the session cookie (and defaults of the CSRF one).
    attributes: CookieAttributes,
    pub(crate) ttl: Duration,
    pub(crate) csrf: CsrfConfig,
    pub(crate) scheme_name: String,
    pub(crate) csrf_scheme_name: String,
    store_timeout: std::time::Duration,
    /// Previous session keys that still open session cookies.
    fallback_keys: Vec<Key>,
    /// The user store, the password gate and the login throttles of `SessionLogin`.
    pub(crate) login: PasswordLogin,
    /// The throttles of `SessionLogout`.
    pub(crate) ops: TokenThrottles,
}

impl std::fmt::Debug for SessionConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionConfig")
            .field("cookie_name", &self.cookie_name)
            .field("cookie_domain", &self.attributes.domain)
            .field("secure", &self.attributes.secure)
            .field("csrf", &self.csrf)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

impl SessionConfig {
    /// Sessions whose users live in `users`, with the defaults above.
    pub fn new(users: impl UserStore) -> Self {
        Self {
            cookie_name: "sessionid".to_owned(),
            cookie_path: "/".to_owned(),
            attributes: CookieAttributes::new(SameSite::Lax),
            ttl: Duration::weeks(2),
            csrf: CsrfConfig::new(),
            scheme_name: "django_session".to_owned(),
            csrf_scheme_name: "csrf".to_owned(),
            store_timeout: std::time::Duration::from_secs(2),
            fallback_keys: Vec::new(),
            login: PasswordLogin::new(users),
            ops: TokenThrottles::default(),
        }
    }

    /// The per-client-address throttle of [`SessionLogin`](super::SessionLogin), `None` to
    /// turn it off. The default allows 10 attempts at once, then one more every 6 seconds
    /// (GCRA, 10 per minute), per client address (read from `Forwarded` / `X-Forwarded-For`
    /// only when the CSRF config trusts forwarded headers); its 429 carries `Retry-After`.
    /// Attempts count before any password is hashed.
    ///
    /// ```
    /// use dmr_runtime::backends::session::SessionConfig;
    /// use dmr_runtime::backends::users::MemoryUsers;
    /// use dmr_runtime::throttle::Throttle;
    ///
    /// let config = SessionConfig::new(MemoryUsers::new())
    ///     .login_throttle(Some(Throttle::per_minute(5).smooth()))
    ///     .username_throttle(None); // no per-user-name limit
    /// assert_eq!(config.get_login_throttle().unwrap().rate().max(), 5);
    /// assert!(config.get_username_throttle().is_none());
    /// assert_eq!(
    ///     SessionConfig::new(MemoryUsers::new()).get_login_throttle().unwrap().rate(),
    ///     dmr_runtime::throttle::Rate::per_minute(10)
    /// );
    /// ```
    pub fn login_throttle(mut self, throttle: Option<Throttle>) -> Self {
        self.login = self.login.login_throttle(throttle);
        self
    }

    password_login_accessors!("[`SessionLogin`](super::SessionLogin)");

    op_throttle_accessors!(
        "[`SessionLogout`](super::SessionLogout)",
        logout_address_throttle,
        get_logout_address_throttle,
        logout_user_throttle,
        get_logout_user_throttle
    );

    /// How many password verifications may run at once (default: the available parallelism,
    /// one per CPU; at least 1). Each Argon2 verification takes its memory cost (19 MiB with
    /// the default costs) on actix's blocking pool, whose 512 threads would otherwise let a
    /// flood of logins pin gigabytes; further logins wait, asynchronously and in a bounded
    /// queue, for a turn (see [`password_gate`](Self::password_gate)).
    ///
    /// ```
    /// use dmr_runtime::backends::session::SessionConfig;
    /// use dmr_runtime::backends::users::MemoryUsers;
    ///
    /// let config = SessionConfig::new(MemoryUsers::new()).max_concurrent_logins(4);
    /// assert_eq!(config.get_max_concurrent_logins(), 4);
    /// ```
    pub fn max_concurrent_logins(mut self, max: usize) -> Self {
        self.login = self.login.max_concurrent_logins(max);
        self
    }

    /// The session cookie's name (default `sessionid`); OpenAPI follows it.
    pub fn cookie_name(mut self, name: impl Into<String>) -> Self {
        self.cookie_name = name.into();
        self
    }

    /// The session cookie's `Domain` (default none: the exact host).
    pub fn cookie_domain(mut self, domain: impl Into<String>) -> Self {
        self.attributes.domain = Some(domain.into());
        self.csrf
            .session_cookie_domain
            .clone_from(&self.attributes.domain);
        self
    }

    /// The session cookie's `Path` (default `/`; Django's `SESSION_COOKIE_PATH`). The CSRF
    /// cookie has its own ([`CsrfConfig::cookie_path`]).
    ///
    /// ```
    /// use actix_web::cookie::SameSite;
    /// use dmr_runtime::backends::csrf::CsrfConfig;
    /// use dmr_runtime::backends::session::SessionConfig;
    /// use dmr_runtime::backends::users::MemoryUsers;
    ///
    /// // the session cookie for /app only, Strict; the CSRF cookie Lax on the whole site
    /// let config = SessionConfig::new(MemoryUsers::new())
    ///     .cookie_path("/app")
    ///     .same_site(SameSite::Strict)
    ///     .csrf(CsrfConfig::new().cookie_same_site(SameSite::Lax));
    /// assert_eq!(config.get_cookie_path(), "/app");
    /// ```
    pub fn cookie_path(mut self, path: impl Into<String>) -> Self {
        self.cookie_path = path.into();
        self
    }

    /// The session cookie's `Path`.
    pub fn get_cookie_path(&self) -> &str {
        &self.cookie_path
    }

    cookie_attribute_setters!(
        secure: "Whether cookies are `Secure` (default `true`; `false` only for plain-HTTP \
                 development): the session cookie, and the CSRF cookie unless \
                 [`CsrfConfig::cookie_secure`] sets its own.",
        same_site: "The `SameSite` of the session cookie, and of the CSRF cookie unless \
                    [`CsrfConfig::cookie_same_site`] sets its own (default `Lax`)."
    );

    /// How long a session lives after its login (default two weeks, Django's
    /// `SESSION_COOKIE_AGE`): the cookie's `Max-Age`, the store's TTL, and the age beyond which
    /// session auth refuses the session on the server, with any store (see the
    /// [module docs](super#expiry-and-revocation)).
    pub fn session_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// The CSRF settings (default [`CsrfConfig::new`]).
    pub fn csrf(mut self, csrf: CsrfConfig) -> Self {
        self.csrf = csrf;
        self.csrf
            .session_cookie_domain
            .clone_from(&self.attributes.domain);
        self
    }

    /// The OpenAPI security scheme names (default `django_session` and `csrf`).
    pub fn scheme_names(mut self, session: impl Into<String>, csrf: impl Into<String>) -> Self {
        self.scheme_name = session.into();
        self.csrf_scheme_name = csrf.into();
        self
    }

    /// The session cookie's name.
    pub fn get_cookie_name(&self) -> &str {
        &self.cookie_name
    }

    /// The CSRF settings.
    pub fn get_csrf(&self) -> &CsrfConfig {
        &self.csrf
    }

    /// The session auth for `auth = [..]`, settings or scopes.
    pub fn auth(&self) -> SessionAuth {
        SessionAuth::new(self)
    }

    /// The app data the login and logout controllers read:
    /// `App::new().app_data(sessions.app_data())`.
    pub fn app_data(&self) -> web::Data<SessionConfig> {
        web::Data::new(self.clone())
    }

    /// The session middleware over `store`: `actix-session`'s, with this configuration's
    /// cookie. With a server-side store the cookie holds an id, the session lives in the store,
    /// and logout or a new login ends it for good: [`MemorySessionStore`](super::MemorySessionStore)
    /// (one process; give every worker a clone of one store),
    /// [`SqliteSessionStore`](super::SqliteSessionStore) (a file) or
    /// [`RedisSessionStore`](super::RedisSessionStore) (several servers).
    /// [`CookieSessionStore`](super::CookieSessionStore) puts the whole session, encrypted
    /// with `key`, in the cookie: nothing to store, but a copy of the cookie outlives logout
    /// until the TTL (see [the module docs](super#the-cookie-store-what-it-gives-up)). Every
    /// server must use the same `key`.
    ///
    /// Every store operation is bounded by [`store_timeout`](Self::store_timeout); a store
    /// that fails or does not answer in time makes the request 503
    /// ([`StoreUnavailable`](super::StoreUnavailable): `Retry-After: 1`,
    /// `{"detail":[{"msg":"Session store unavailable: retry later"}]}`), never a hang or a
    /// 500. Requests that neither send a session cookie nor change the session do not touch
    /// the store.
    pub fn middleware<S: SessionStore + 'static>(&self, store: S, key: Key) -> SessionLayer<S> {
        let store = TimedStore::new(store, self.store_timeout);
        let removal = self
            .attributes
            .removal(&self.cookie_name, &self.cookie_path, true);
        let csrf = (!self.csrf.uses_sessions()).then(|| self.csrf_cookie(String::new()));
        let keys = KeyFallbacks::new(key.clone(), self.fallback_keys.clone());
        SessionLayer::new(
            removal,
            csrf,
            keys,
            SessionMiddleware::builder(store, key)
                .cookie_name(self.cookie_name.clone())
                .cookie_secure(self.attributes.secure)
                .cookie_http_only(true)
                .cookie_same_site(self.attributes.same_site)
                .cookie_path(self.cookie_path.clone())
                .cookie_domain(self.attributes.domain.clone())
                .session_lifecycle(PersistentSession::default().session_ttl(self.ttl))
                .build(),
        )
    }

    /// Previous session keys (secret rotation, the reference framework's
    /// `SECRET_KEY_FALLBACKS`): a session cookie sealed with one of them still opens (and with
    /// it the session and a CSRF secret kept in it); new cookies are sealed with the key given
    /// to [`middleware`](Self::middleware) only. Rotation: make the new key the middleware's
    /// and the old one a fallback; drop the fallback once the sessions it sealed may end, and
    /// those are logged out. Each request whose cookie the current key does not open costs one
    /// decryption per fallback.
    ///
    /// ```
    /// use actix_web::cookie::Key;
    /// use dmr_runtime::backends::session::SessionConfig;
    /// use dmr_runtime::backends::users::MemoryUsers;
    ///
    /// let old = Key::derive_from(b"the old session secret, at least thirty-two bytes");
    /// let config = SessionConfig::new(MemoryUsers::new()).fallback_keys([old]);
    /// assert_eq!(config.get_fallback_keys().len(), 1);
    /// ```
    pub fn fallback_keys(mut self, keys: impl IntoIterator<Item = Key>) -> Self {
        self.fallback_keys = keys.into_iter().collect();
        self
    }

    /// The previous session keys that still open session cookies.
    pub fn get_fallback_keys(&self) -> &[Key] {
        &self.fallback_keys
    }

    /// The longest any session store operation may take (default 2 seconds); then the
    /// request is answered 503. Stores with their own timeouts
    /// ([`RedisSessionStore`](super::RedisSessionStore)) should use shorter ones.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// use dmr_runtime::backends::session::SessionConfig;
    /// use dmr_runtime::backends::users::MemoryUsers;
    ///
    /// let config = SessionConfig::new(MemoryUsers::new()).store_timeout(Duration::from_millis(500));
    /// assert_eq!(config.get_store_timeout(), Duration::from_millis(500));
    /// ```
    pub fn store_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.store_timeout = timeout;
        self
    }

    /// The bound on session store operations.
    pub fn get_store_timeout(&self) -> std::time::Duration {
        self.store_timeout
    }

    /// A fresh CSRF cookie holding `secret`.
    pub(crate) fn csrf_cookie(&self, secret: String) -> Cookie<'static> {
        self.csrf.cookie(secret, &self.csrf_defaults())
    }

    /// The cookie that deletes the CSRF cookie.
    pub(crate) fn csrf_removal(&self) -> Cookie<'static> {
        self.csrf.cookie_removal(&self.csrf_defaults())
    }

    /// The session cookie's attributes, for the CSRF cookie's unset ones (its domain is the
    /// CSRF config's own, or none).
    fn csrf_defaults(&self) -> CookieAttributes {
        CookieAttributes {
            domain: None,
            ..self.attributes.clone()
        }
    }
}
