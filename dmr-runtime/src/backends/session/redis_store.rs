//! [`RedisSessionStore`]: sessions in Redis, each operation with a timeout, and a bounded
//! reconnect schedule while Redis is away.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieDuration;

use super::redis_index;
use super::server_store::{DEFAULT_SESSIONS_PER_USER, new_session_key, state_user};
use crate::redis::{RedisConnection, RedisServers};

/// A Redis session store: the cookie holds a random 64-character id, the session lives in
/// Redis under that id (as JSON, with the session's TTL), so logout and a new login end a
/// session on every server at once.
///
/// It never waits on Redis for long: every command has a [`timeout`](RedisSessionStoreBuilder::timeout)
/// (default 1 second) and every connection attempt a
/// [`connect_timeout`](RedisSessionStoreBuilder::connect_timeout) (default 1 second); after a
/// connection failure or a timeout the connection is dropped and the next attempt is made no
/// sooner than [`reconnect_interval`](RedisSessionStoreBuilder::reconnect_interval) later
/// (default 1 second; requests in between fail at once). While Redis is down, requests that need their
/// session are answered 503 by the [session middleware](super::SessionConfig::middleware);
/// within about a second of Redis coming back they succeed again, without a restart.
///
/// No connection is made before the first request: a Redis that is down when the server
/// starts is the same as one that goes down later.
///
/// ```
/// use std::time::Duration;
///
/// use dmr_runtime::backends::session::RedisSessionStore;
///
/// # actix_web::rt::System::new().block_on(async {
/// let store = RedisSessionStore::builder("redis://127.0.0.1:6379")
///     .timeout(Duration::from_millis(500))
///     .connect_timeout(Duration::from_millis(500))
///     .reconnect_interval(Duration::from_millis(250))
///     .cache_keygen(|key| format!("myapp:session:{key}"))
///     .build()
///     .await
///     .unwrap();
/// # let _ = store;
/// # });
/// assert!(RedisSessionStore::builder("not a url").build_now().is_err());
/// ```
///
/// Each user's sessions are indexed (one sorted set per user, under the same
/// [`cache_keygen`](RedisSessionStoreBuilder::cache_keygen)), so that
/// [`end_user_sessions`](Self::end_user_sessions) ends all of them on every server, and one
/// account keeps at most [`per_user`](RedisSessionStoreBuilder::per_user) sessions (default
/// [`DEFAULT_SESSIONS_PER_USER`]): a login beyond it ends that user's oldest login. A password
/// change or a deactivation ends them without this (session auth compares a fingerprint of the
/// password hash, and the active flag, on every request).
///
/// On a Redis Cluster or behind Sentinel, [`builder_for`](Self::builder_for) takes the
/// [`RedisServers`]; each command names one key (the session's, or a user's index), so
/// sessions spread over the cluster's masters.
#[derive(Clone)]
pub struct RedisSessionStore {
    inner: Arc<Inner>,
}

struct Inner {
    keygen: Box<dyn Fn(&str) -> String + Send + Sync>,
    conn: RedisConnection,
    per_user: usize,
}

/// Building a [`RedisSessionStore`]; see its docs for the defaults.
#[must_use]
pub struct RedisSessionStoreBuilder {
    servers: Result<RedisServers, redis::RedisError>,
    keygen: Box<dyn Fn(&str) -> String + Send + Sync>,
    timeout: Duration,
    connect_timeout: Duration,
    reconnect_interval: Duration,
    per_user: usize,
}

impl std::fmt::Debug for RedisSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisSessionStore")
            .field("timeout", &self.inner.conn.command_timeout())
            .field("connect_timeout", &self.inner.conn.connect_timeout())
            .field("reconnect_interval", &self.inner.conn.reconnect_interval())
            .field("per_user", &self.inner.per_user)
            .finish_non_exhaustive()
    }
}

impl RedisSessionStore {
    /// A builder for the Redis at `url` (`redis://host:port[/db]`).
    pub fn builder(url: impl Into<String>) -> RedisSessionStoreBuilder {
        Self::builder_with(RedisServers::single(&url.into()))
    }

    /// A builder for the store on `servers`: one server, a Redis Cluster or the master that
    /// Sentinel names.
    ///
    /// ```no_run
    /// use dmr_runtime::backends::session::RedisSessionStore;
    /// use dmr_runtime::redis::RedisServers;
    ///
    /// // or RedisServers::cluster([..]), RedisServers::sentinel([..], "mymaster")
    /// let servers = RedisServers::single("redis://10.0.0.1:6379").unwrap();
    /// let store = RedisSessionStore::builder_for(servers)
    ///     .cache_keygen(|key| format!("myapp:session:{key}"))
    ///     .build_now()
    ///     .unwrap();
    /// # let _ = store;
    /// ```
    pub fn builder_for(servers: RedisServers) -> RedisSessionStoreBuilder {
        Self::builder_with(Ok(servers))
    }

    fn builder_with(servers: Result<RedisServers, redis::RedisError>) -> RedisSessionStoreBuilder {
        RedisSessionStoreBuilder {
            servers,
            keygen: Box::new(str::to_owned),
            timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(1),
            reconnect_interval: Duration::from_secs(1),
            per_user: DEFAULT_SESSIONS_PER_USER,
        }
    }

    /// A store for `url` with the defaults.
    pub async fn new(url: impl Into<String>) -> Result<Self, redis::RedisError> {
        Self::builder(url).build_now()
    }

    /// Runs `cmd` with the command timeout; a failure drops the connection.
    async fn query<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> anyhow::Result<T> {
        Ok(self.inner.conn.query(cmd, None).await?)
    }

    fn key(&self, session_key: &str) -> String {
        (self.inner.keygen)(session_key)
    }

    /// Ends every session of the user with this id, on every server (their next request is
    /// anonymous), and says how many there were: "log out everywhere", or after an account
    /// was taken over. Fails when Redis does not answer within the command timeout.
    ///
    /// ```no_run
    /// use dmr_runtime::backends::session::RedisSessionStore;
    ///
    /// # actix_web::rt::System::new().block_on(async {
    /// let store = RedisSessionStore::builder("redis://127.0.0.1:6379").build_now().unwrap();
    /// let ended = store.end_user_sessions("42").await.unwrap();
    /// println!("{ended} sessions ended");
    /// # });
    /// ```
    pub async fn end_user_sessions(&self, user_id: &str) -> anyhow::Result<usize> {
        let index = self.key(&redis_index::index_name(user_id));
        redis_index::end_all(&self.inner.conn, &index).await
    }

    /// Indexes the session stored under `key` when `state` holds a logged-in user.
    async fn index(
        &self,
        key: &str,
        state: &HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> anyhow::Result<()> {
        let Some(user) = state_user(state) else {
            return Ok(());
        };
        let index = self.key(&redis_index::index_name(&user));
        let conn = &self.inner.conn;
        redis_index::add(conn, &index, key, self.inner.per_user, seconds(ttl))
            .await
            .map(drop)
    }
}

impl RedisSessionStoreBuilder {
    /// How Redis keys are made from session ids (default: the id itself); a prefix keeps
    /// applications sharing one Redis apart.
    pub fn cache_keygen<F>(mut self, keygen: F) -> Self
    where
        F: Fn(&str) -> String + Send + Sync + 'static,
    {
        self.keygen = Box::new(keygen);
        self
    }

    /// The longest wait for one command's answer (default 1 second).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest wait for a connection (default 1 second).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The least time between two connection attempts after a failure (default 1 second):
    /// while Redis is down, at most one attempt per interval, and every request in between
    /// fails at once.
    pub fn reconnect_interval(mut self, interval: Duration) -> Self {
        self.reconnect_interval = interval;
        self
    }

    /// The most sessions one user keeps (at least 1; default [`DEFAULT_SESSIONS_PER_USER`]): a
    /// login beyond it ends that user's oldest login.
    pub fn per_user(mut self, sessions: usize) -> Self {
        self.per_user = sessions.max(1);
        self
    }

    /// The store (the URL is checked; no connection is made yet).
    pub fn build_now(self) -> Result<RedisSessionStore, redis::RedisError> {
        let servers = self.servers?;
        Ok(RedisSessionStore {
            inner: Arc::new(Inner {
                keygen: self.keygen,
                conn: RedisConnection::new(
                    "redis.session",
                    servers,
                    self.connect_timeout,
                    self.timeout,
                    self.reconnect_interval,
                ),
                per_user: self.per_user,
            }),
        })
    }

    /// [`build_now`](Self::build_now), as an `async fn` like `actix-session`'s builder.
    pub async fn build(self) -> Result<RedisSessionStore, redis::RedisError> {
        self.build_now()
    }
}

fn seconds(ttl: &CookieDuration) -> i64 {
    ttl.whole_seconds().max(1)
}

impl SessionStore for RedisSessionStore {
    async fn load(
        &self,
        session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        let cmd = redis::Cmd::get(self.key(session_key.as_ref()));
        let value: Option<String> = self.query(&cmd).await.map_err(LoadError::Other)?;
        match value {
            None => Ok(None),
            Some(v) => serde_json::from_str(&v)
                .map(Some)
                .map_err(|e| LoadError::Deserialization(e.into())),
        }
    }

    async fn save(
        &self,
        session_state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        let body = serde_json::to_string(&session_state)
            .map_err(|e| SaveError::Serialization(e.into()))?;
        // a fresh id is taken with NX: a collision (never seen) draws another
        for _ in 0..3 {
            let key = new_session_key().map_err(SaveError::Other)?;
            let stored = self.key(key.as_ref());
            let mut cmd = redis::cmd("SET");
            cmd.arg(&stored)
                .arg(&body)
                .arg("NX")
                .arg("EX")
                .arg(seconds(ttl));
            let set: Option<String> = self.query(&cmd).await.map_err(SaveError::Other)?;
            if set.is_some() {
                if let Err(e) = self.index(&stored, &session_state, ttl).await {
                    // a session the user's index does not know could outlive "log out
                    // everywhere": refuse it
                    let _ = self.query::<i64>(&redis::Cmd::del(&stored)).await;
                    return Err(SaveError::Other(e));
                }
                return Ok(key);
            }
        }
        Err(SaveError::Other(anyhow::anyhow!(
            "could not draw an unused session id"
        )))
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        let body = serde_json::to_string(&session_state)
            .map_err(|e| UpdateError::Serialization(e.into()))?;
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.key(session_key.as_ref()))
            .arg(&body)
            .arg("XX")
            .arg("EX")
            .arg(seconds(ttl));
        let set: Option<String> = self.query(&cmd).await.map_err(UpdateError::Other)?;
        if set.is_some() {
            return Ok(session_key);
        }
        // the session expired meanwhile: store it under a new id
        self.save(session_state, ttl).await.map_err(|e| match e {
            SaveError::Serialization(e) => UpdateError::Serialization(e),
            SaveError::Other(e) => UpdateError::Other(e),
        })
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl: &CookieDuration,
    ) -> anyhow::Result<()> {
        let cmd = redis::Cmd::expire(self.key(session_key.as_ref()), seconds(ttl));
        self.query::<i64>(&cmd).await.map(drop)
    }

    async fn delete(&self, session_key: &SessionKey) -> anyhow::Result<()> {
        let cmd = redis::Cmd::del(self.key(session_key.as_ref()));
        self.query::<i64>(&cmd).await.map(drop)
    }
}
