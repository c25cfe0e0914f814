//! [`ApiTokens`]: the one description of opaque tokens (store, users, hashing, lifetime,
//! last-used tracking, timeouts) that the auths and the controllers read.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use actix_web::http::header::HeaderName;

use super::hash::{
    DEFAULT_TOKEN_SIZE, MIN_TOKEN_SIZE, TokenHasher, generate_name, generate_raw_token,
};
use super::model::{Expiry, NewToken, TokenInfo};
use super::store::{AsyncUserLookup, TokenStore, TokenStoreError};
use crate::backends::credentials::{PasswordLogin, password_login_accessors};
use crate::backends::csrf::CsrfConfig;
use crate::backends::users::UserStore;
use crate::throttle::Throttle;
use crate::throttle::token_ops::{TokenThrottles, op_throttle_accessors};

/// The reference's default token lifetime: 30 days.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// The default bound on one token-store operation.
pub const DEFAULT_STORE_TIMEOUT: Duration = Duration::from_secs(2);

/// Opaque API tokens: where they live ([`TokenStore`]), whose users they belong to
/// ([`UserStore`]), how they are hashed ([`TokenHasher`]), how long they live, and whether
/// their last use is recorded. Register it as application state; the auths
/// ([`header`](Self::header), [`cookie`](Self::cookie)) and the controllers
/// ([`TokenObtain`](super::TokenObtain), [`TokenManage`](super::TokenManage)) read it.
///
/// ```
/// use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher, TokenUser};
/// use dmr_runtime::backends::users::MemoryUsers;
/// use dmr_runtime::prelude::*;
///
/// struct Reports;
///
/// #[controller(path = "/api/reports", auth = [|t: &ApiTokens| t.header()])]
/// impl Reports {
///     #[endpoint(get, path = "/")]
///     async fn list(user: Authed<TokenUser>) -> String {
///         format!("reports of {} (token {})", user.username, user.token.name)
///     }
/// }
///
/// let tokens = ApiTokens::new(
///     SqliteTokens::open_in_memory().unwrap(),
///     MemoryUsers::new(),
///     TokenHasher::new("a long random secret from the configuration"),
/// );
/// let api = Api::new().state(tokens).controller::<Reports>().build().unwrap();
/// # let _ = api;
/// ```
#[derive(Clone)]
pub struct ApiTokens {
    pub(crate) store: Arc<dyn TokenStore>,
    pub(crate) async_users: Option<Arc<dyn AsyncUserLookup>>,
    pub(crate) hasher: TokenHasher,
    token_size: usize,
    lifetime: Option<Duration>,
    pub(crate) last_used: Option<Duration>,
    pub(crate) timeout: Duration,
    pub(super) views_auth: Option<TokenAuth>,
    /// The user store, the password gate and the login throttles of
    /// [`TokenObtain`](super::TokenObtain).
    pub(crate) login: PasswordLogin,
    /// The throttles of [`TokenManage`](super::TokenManage)'s revocations.
    pub(crate) ops: TokenThrottles,
}

impl std::fmt::Debug for ApiTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiTokens")
            .field("hasher", &self.hasher)
            .field("token_size", &self.token_size)
            .field("lifetime", &self.lifetime)
            .field("last_used", &self.last_used)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Issuing or managing tokens failed.
#[derive(Debug)]
pub enum TokenError {
    /// The token store failed or did not answer in time.
    Store(TokenStoreError),
    /// The OS gave no randomness, or `token_size` is below the minimum.
    Random(String),
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Store(e) => e.fmt(f),
            Self::Random(e) => write!(f, "cannot make a token: {e}"),
        }
    }
}

impl std::error::Error for TokenError {}

impl ApiTokens {
    /// Tokens in `store` for the users of `users`, hashed by `hasher`; 32-byte raw tokens,
    /// a 30-day lifetime, no last-used tracking, 2 s per store operation, and a
    /// [`PasswordLogin`] of its own (its defaults) for [`TokenObtain`](super::TokenObtain).
    pub fn new(store: impl TokenStore, users: impl UserStore, hasher: TokenHasher) -> Self {
        Self {
            store: Arc::new(store),
            async_users: None,
            hasher,
            token_size: DEFAULT_TOKEN_SIZE,
            lifetime: Some(DEFAULT_TOKEN_LIFETIME),
            last_used: None,
            timeout: DEFAULT_STORE_TIMEOUT,
            views_auth: None,
            login: PasswordLogin::new(users),
            ops: TokenThrottles::default(),
        }
    }

    /// Random bytes per raw token (`token_size`, default 32: 43 characters); at least 16.
    pub fn token_size(mut self, bytes: usize) -> Self {
        self.token_size = bytes;
        self
    }

    /// How long a new token lives (default 30 days); `None`: tokens never expire.
    pub fn lifetime(mut self, lifetime: Option<Duration>) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// Records `last_used_at`, at most once per token per `interval` (default off). The write
    /// is one conditional `UPDATE` (so servers sharing the database write once per interval
    /// between them); a failed write is logged and does not fail the request.
    pub fn track_last_used(mut self, interval: Option<Duration>) -> Self {
        self.last_used = interval;
        self
    }

    /// An awaiting user lookup for async endpoints (the same users as the [`UserStore`]),
    /// so that they never go through the blocking pool for it:
    /// `ApiTokens::new(tokens, pg_users.clone(), hasher).async_users(pg_users)`.
    pub fn async_users(mut self, users: impl AsyncUserLookup) -> Self {
        self.async_users = Some(Arc::new(users));
        self
    }

    /// The bound on one token-store operation on async endpoints (default 2 s). A store
    /// that bounds each of its calls itself ([`TokenStore::own_timeout`]: `PgTokens`, and a
    /// `PgUsers` given to [`async_users`](Self::async_users)) is awaited under its own bound
    /// instead, not under a second timer.
    pub fn store_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The per-client-address throttle of [`TokenObtain`](super::TokenObtain), `None` to
    /// turn it off. The default, as `SessionConfig::login_throttle`'s: 10 attempts at once,
    /// then one every 6 seconds (GCRA, 10 per minute), in the process's memory, by the
    /// connection's peer address; the attempt over the limit gets 429 with `Retry-After`
    /// before any password is checked. Behind a proxy, give it
    /// `Key::client_addr().trust_forwarded_headers(true)`.
    ///
    /// ```
    /// use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
    /// use dmr_runtime::backends::users::MemoryUsers;
    /// use dmr_runtime::throttle::{Key, Throttle};
    ///
    /// let tokens = ApiTokens::new(
    ///     SqliteTokens::open_in_memory().unwrap(),
    ///     MemoryUsers::new(),
    ///     TokenHasher::new("a long random secret from the configuration"),
    /// )
    /// .login_throttle(Some(
    ///     Throttle::per_minute(5)
    ///         .smooth()
    ///         .key(Key::client_addr().trust_forwarded_headers(true)),
    /// ))
    /// .username_throttle(None); // no per-user-name limit
    /// assert_eq!(tokens.get_login_throttle().unwrap().rate().max(), 5);
    /// assert!(tokens.get_username_throttle().is_none());
    /// ```
    pub fn login_throttle(mut self, throttle: Option<Throttle>) -> Self {
        self.login = self.login.login_throttle(throttle);
        self
    }

    password_login_accessors!("[`TokenObtain`](super::TokenObtain)");

    op_throttle_accessors!(
        "[`TokenManage`](super::TokenManage)'s revocations (`DELETE current/` and `DELETE`)",
        revoke_address_throttle,
        get_revoke_address_throttle,
        revoke_user_throttle,
        get_revoke_user_throttle
    );

    /// The auth the management controller ([`TokenManage`](super::TokenManage)) uses
    /// (default [`header`](Self::header)).
    pub fn views_auth(mut self, auth: TokenAuth) -> Self {
        self.views_auth = Some(auth);
        self
    }

    /// The hasher.
    pub fn hasher(&self) -> &TokenHasher {
        &self.hasher
    }

    /// The token store.
    pub fn store(&self) -> &Arc<dyn TokenStore> {
        &self.store
    }

    fn new_row(
        &self,
        user_id: &str,
        name: Option<String>,
        expiry: Expiry,
    ) -> Result<(NewToken, String), TokenError> {
        if self.token_size < MIN_TOKEN_SIZE {
            return Err(TokenError::Random(format!(
                "`token_size` is {} bytes: use at least {MIN_TOKEN_SIZE}",
                self.token_size
            )));
        }
        let raw =
            generate_raw_token(self.token_size).map_err(|e| TokenError::Random(e.to_string()))?;
        let name = match name {
            Some(n) => n,
            None => generate_name().map_err(|e| TokenError::Random(e.to_string()))?,
        };
        let now = SystemTime::now();
        let expires_at = match expiry {
            Expiry::Default => self.lifetime.map(|l| now + l),
            Expiry::Never => None,
            Expiry::At(at) => Some(at),
        };
        let row = NewToken {
            name,
            user_id: user_id.to_owned(),
            token_hash: self.hasher.hash(&raw),
            created_at: now,
            expires_at,
        };
        Ok((row, raw))
    }

    /// Issues a token for `user_id`: the stored row and the raw token (shown once: only its
    /// hash is stored). `name` defaults to 32 random hex characters.
    pub async fn issue(
        &self,
        user_id: &str,
        name: Option<String>,
        expiry: Expiry,
    ) -> Result<(TokenInfo, String), TokenError> {
        let (row, raw) = self.new_row(user_id, name, expiry)?;
        let info = self
            .timed(self.store.insert(row))
            .await
            .map_err(TokenError::Store)?;
        Ok((info, raw))
    }

    /// [`issue`](Self::issue) from a blocking context (a sync endpoint, a command-line tool
    /// inside a tokio runtime's blocking thread), on that thread's runtime and bounded by
    /// [`store_timeout`](Self::store_timeout) as well.
    pub fn issue_blocking(
        &self,
        user_id: &str,
        name: Option<String>,
        expiry: Expiry,
    ) -> Result<(TokenInfo, String), TokenError> {
        super::store::block_on(async { Ok(self.issue(user_id, name, expiry).await) })
            .map_err(TokenError::Store)?
    }

    /// The stored token of `raw`: looked up by its hash under the current secret, and with
    /// fallback secrets by any of its hashes in one store call
    /// ([`TokenStore::find_by_any_hash`]), within one
    /// [`store_timeout`](Self::store_timeout) (the store's own bound instead when it has one).
    pub(crate) async fn find_raw(&self, raw: &str) -> Result<Option<TokenInfo>, TokenStoreError> {
        match self.hashes(raw) {
            Hashes::One(hash) => self.timed(self.store.find_by_hash(hash)).await,
            Hashes::Many(all) => self.timed(self.store.find_by_any_hash(all)).await,
        }
    }

    /// [`find_raw`](Self::find_raw) with the store's blocking look-up.
    pub(crate) fn find_raw_blocking(
        &self,
        raw: &str,
    ) -> Result<Option<TokenInfo>, TokenStoreError> {
        match self.hashes(raw) {
            Hashes::One(hash) => self.store.find_by_hash_blocking(hash),
            Hashes::Many(all) => self.store.find_by_any_hash_blocking(all),
        }
    }

    /// The hashes of `raw` a look-up tries: without fallback secrets one, with no `Vec`.
    fn hashes(&self, raw: &str) -> Hashes {
        let mut hashes = self.hasher.hashes(raw);
        let current = hashes.next().unwrap_or_default();
        let mut fallbacks = hashes.peekable();
        if fallbacks.peek().is_none() {
            return Hashes::One(current);
        }
        Hashes::Many(std::iter::once(current).chain(fallbacks).collect())
    }

    /// Every token of a user (metadata only), newest first.
    pub async fn list(&self, user_id: &str) -> Result<Vec<TokenInfo>, TokenError> {
        self.timed(self.store.list_for_user(user_id.to_owned()))
            .await
            .map_err(TokenError::Store)
    }

    /// Revokes one token of a user; whether the user had it.
    pub async fn revoke(&self, id: i64, user_id: &str) -> Result<bool, TokenError> {
        self.timed(self.store.revoke(id, user_id.to_owned(), SystemTime::now()))
            .await
            .map_err(TokenError::Store)
    }

    /// Revokes every active token of a user ("log out everywhere"); how many.
    pub async fn revoke_all(&self, user_id: &str) -> Result<u64, TokenError> {
        self.timed(self.store.revoke_all(user_id.to_owned(), SystemTime::now()))
            .await
            .map_err(TokenError::Store)
    }

    /// Runs a store operation within [`store_timeout`](Self::store_timeout), or under the
    /// store's own bound if it has one (one timer per call).
    pub(crate) async fn timed<T>(
        &self,
        op: impl Future<Output = Result<T, TokenStoreError>>,
    ) -> Result<T, TokenStoreError> {
        if self.store.own_timeout().is_some() {
            return op.await;
        }
        tokio::time::timeout(self.timeout, op)
            .await
            .unwrap_or_else(|_| Err(TokenStoreError::timeout(self.timeout)))
    }
}

/// Opaque-token auth over [`ApiTokens`], from a header ([`ApiTokens::header`]) or a cookie
/// ([`ApiTokens::cookie`]); it fits sync and async endpoints, settings and scopes.
///
/// * Header (default `X-API-Token`): missing -> skip. Without a prefix the whole value is the
///   token (an empty value -> 401). With a prefix (`.header("Authorization").prefix("Token")`)
///   the value must start with `Token ` (case-sensitive), otherwise skip.
/// * Cookie (default `token`): missing -> skip; present -> the CSRF check first (403), then
///   the value is the token; an empty cookie -> 401, not a skip.
/// * Then: unknown, revoked or expired token, unknown or inactive user -> 401; the token or
///   user store failing -> 503 [`TOKEN_STORE_UNAVAILABLE`](super::TOKEN_STORE_UNAVAILABLE). Behind `Authorization` with the
///   prefix `Bearer`, that 401's challenge is RFC 6750's `Bearer error="invalid_token",
///   error_description="The access token is invalid"` (the same text for every reason).
///
/// OpenAPI (scheme name `token` by default, `token_cookie` for the cookie, so that the two can
/// share a chain): `Authorization` -> `http`/`bearer`, another
/// header -> `apiKey` in header, cookie -> `apiKey` in cookie (plus 403).
///
/// ```
/// use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
/// use dmr_runtime::backends::users::MemoryUsers;
///
/// let tokens = ApiTokens::new(
///     SqliteTokens::open_in_memory().unwrap(),
///     MemoryUsers::new(),
///     TokenHasher::new("secret"),
/// );
/// let drf_style = tokens.header().header("Authorization").prefix("Token");
/// let cookie = tokens.cookie().cookie_name("api_token").scheme_name("api_token");
/// # let _ = (drf_style, cookie);
/// ```
#[derive(Debug, Clone)]
pub struct TokenAuth {
    pub(super) tokens: Arc<ApiTokens>,
    pub(super) transport: Transport,
    pub(super) scheme_name: String,
}

#[derive(Debug, Clone)]
pub(super) enum Transport {
    /// `header: value`, or `header: <prefix> value` when `prefix` is not empty.
    Header {
        name: HeaderName,
        /// The name as written (OpenAPI shows it so: `X-API-Token`).
        shown: String,
        prefix: String,
    },
    /// A cookie, CSRF-checked when present and non-empty.
    Cookie { name: String, csrf: CsrfConfig },
}

/// What a token look-up asks the store for: the hash under the current secret, or (with
/// fallback secrets) that one and then the hash under each fallback.
enum Hashes {
    One(String),
    Many(Vec<String>),
}
