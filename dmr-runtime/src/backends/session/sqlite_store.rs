//! [`SqliteSessionStore`]: sessions in a SQLite file (`dmr_sessions`), the embedded store
//! that survives a restart and that the processes of one machine can share; bounded by
//! [`SessionLimits`] as the memory store is.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieDuration;
use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};

use super::server_store::{SessionLimits, StoreFull, new_session_key, state_user, ttl_seconds};

type State = std::collections::HashMap<String, String>;

/// The tables, created if missing: the sessions (`state` as JSON, the logged-in user's id,
/// the expiry in milliseconds since the Unix epoch) and their count, kept by two triggers so
/// that the capacity check reads one row.
pub const SQLITE_SESSION_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS dmr_sessions (
    session_key TEXT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL,
    user_id TEXT,
    expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dmr_sessions_expires_at ON dmr_sessions (expires_at);
CREATE INDEX IF NOT EXISTS dmr_sessions_user_id ON dmr_sessions (user_id, expires_at);
CREATE TABLE IF NOT EXISTS dmr_sessions_count (n INTEGER NOT NULL);
INSERT INTO dmr_sessions_count (n) SELECT COUNT(*) FROM dmr_sessions
    WHERE NOT EXISTS (SELECT 1 FROM dmr_sessions_count);
CREATE TRIGGER IF NOT EXISTS dmr_sessions_added AFTER INSERT ON dmr_sessions
    BEGIN UPDATE dmr_sessions_count SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS dmr_sessions_removed AFTER DELETE ON dmr_sessions
    BEGIN UPDATE dmr_sessions_count SET n = n - 1; END;";

/// Sessions in a SQLite file: the cookie holds a random 64-character id (encrypted with the
/// session key), the session is a row of `dmr_sessions` ([`SQLITE_SESSION_SCHEMA`]). Logout
/// and a new login (the id is renewed) delete the old row, so a copy of the cookie taken
/// before is refused afterwards; [`end_user_sessions`](Self::end_user_sessions) ends every
/// session of one user. Sessions survive a restart (with the same session key), and the
/// processes of one machine can share the file.
///
/// Every operation runs on tokio's blocking pool (actix's), one at a time per store, in a
/// transaction; the session middleware bounds each by
/// [`store_timeout`](super::SessionConfig::store_timeout) and answers 503 when the file
/// cannot be read or written (locked, full disk), never a session it could not check.
/// Waits for another process's lock are bounded by SQLite's busy timeout (1 s). Bounded by
/// its [`SessionLimits`] (TTL, a quota per user, a capacity; what happens when it is full is
/// written there).
///
/// ```
/// use dmr_runtime::backends::session::{SessionLimits, SqliteSessionStore};
///
/// let store = SqliteSessionStore::open_in_memory() // or SqliteSessionStore::open("sessions.db")
///     .unwrap()
///     .limits(SessionLimits::default().capacity(50_000));
/// assert_eq!(store.len().unwrap(), 0);
/// ```
#[derive(Clone)]
pub struct SqliteSessionStore {
    conn: Arc<Mutex<Connection>>,
    limits: SessionLimits,
}

impl std::fmt::Debug for SqliteSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteSessionStore")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Now, in milliseconds since the Unix epoch.
fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn expiry(now: i64, ttl: &CookieDuration) -> i64 {
    let ttl = i64::try_from(ttl_seconds(ttl)).unwrap_or(i64::MAX / 1000);
    now.saturating_add(ttl.saturating_mul(1000))
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl SqliteSessionStore {
    /// Opens (or creates) the database file and the tables.
    pub fn open(path: impl AsRef<Path>) -> rusqlite::Result<Self> {
        Self::with_connection(Connection::open(path)?)
    }

    /// A private in-memory database (tests).
    pub fn open_in_memory() -> rusqlite::Result<Self> {
        Self::with_connection(Connection::open_in_memory()?)
    }

    /// Uses an open connection, creating the tables if missing.
    pub fn with_connection(mut conn: Connection) -> rusqlite::Result<Self> {
        conn.busy_timeout(Duration::from_secs(1))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(SQLITE_SESSION_SCHEMA)?;
        tx.commit()?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            limits: SessionLimits::default(),
        })
    }

    /// The store with these bounds.
    pub fn limits(mut self, limits: SessionLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Its bounds.
    pub fn get_limits(&self) -> SessionLimits {
        self.limits
    }

    /// How many sessions the file holds (expired ones not yet dropped included). Blocks.
    pub fn len(&self) -> rusqlite::Result<usize> {
        let n: i64 =
            self.with(|c| c.query_row("SELECT n FROM dmr_sessions_count", [], |r| r.get(0)))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Whether the file holds no session. Blocks.
    pub fn is_empty(&self) -> rusqlite::Result<bool> {
        self.len().map(|n| n == 0)
    }

    /// Ends every session of the user with this id (their next request is anonymous) and
    /// says how many there were: "log out everywhere", or after an account was taken over.
    /// A password change or a deactivation ends them without this (session auth compares a
    /// fingerprint of the password hash, and the active flag, on every request). Blocks: call
    /// it from a sync endpoint or through `actix_web::web::block`.
    pub fn end_user_sessions(&self, user_id: &str) -> rusqlite::Result<usize> {
        self.with(|c| c.execute("DELETE FROM dmr_sessions WHERE user_id = ?1", [user_id]))
    }

    fn with<R, E>(&self, f: impl FnOnce(&mut Connection) -> Result<R, E>) -> Result<R, E> {
        f(&mut self.conn.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Runs `f` on the blocking pool.
    async fn spawn<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Self) -> anyhow::Result<R> + Send + 'static,
    ) -> anyhow::Result<R> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || f(&this)).await?
    }

    /// The state (JSON) of the live session under `key`.
    fn load_blocking(&self, key: &str, now: i64) -> rusqlite::Result<Option<String>> {
        self.with(|c| {
            c.query_row(
                "SELECT state FROM dmr_sessions WHERE session_key = ?1 AND expires_at > ?2",
                params![key, now],
                |r| r.get(0),
            )
            .optional()
        })
    }

    /// A new session under a fresh id, within the limits (see [`SessionLimits`]).
    fn save_blocking(
        &self,
        state: &State,
        body: &str,
        now: i64,
        expires: i64,
    ) -> anyhow::Result<SessionKey> {
        let user = state_user(state);
        let limits = self.limits;
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM dmr_sessions WHERE expires_at <= ?1", [now])?;
            if let Some(user) = &user {
                let held: i64 = tx.query_row(
                    "SELECT COUNT(*) FROM dmr_sessions WHERE user_id = ?1",
                    [user],
                    |r| r.get(0),
                )?;
                let over = held - count(limits.get_per_user()) + 1;
                if over > 0 {
                    tx.execute(
                        "DELETE FROM dmr_sessions WHERE session_key IN (SELECT session_key \
                         FROM dmr_sessions WHERE user_id = ?1 ORDER BY expires_at LIMIT ?2)",
                        params![user, over],
                    )?;
                }
            }
            let held: i64 = tx.query_row("SELECT n FROM dmr_sessions_count", [], |r| r.get(0))?;
            let over = held - count(limits.get_capacity()) + 1;
            if over > 0 {
                let freed = tx.execute(
                    "DELETE FROM dmr_sessions WHERE session_key IN (SELECT session_key \
                     FROM dmr_sessions WHERE user_id IS NULL ORDER BY expires_at LIMIT ?1)",
                    [over],
                )?;
                if count(freed) < over {
                    // rolled back with the transaction: nothing changed
                    let held = usize::try_from(held).unwrap_or(usize::MAX);
                    return Err(StoreFull(held).into());
                }
            }
            for _ in 0..3 {
                let key = new_session_key()?;
                let added = tx.execute(
                    "INSERT INTO dmr_sessions (session_key, state, user_id, expires_at) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (session_key) DO NOTHING",
                    params![key.as_ref(), body, user, expires],
                )?;
                if added == 1 {
                    tx.commit()?;
                    return Ok(key);
                }
            }
            Err(anyhow::anyhow!("could not draw an unused session id"))
        })
    }
}

fn serialized(state: &State) -> Result<String, serde_json::Error> {
    serde_json::to_string(state)
}

impl SessionStore for SqliteSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<State>, LoadError> {
        let key = session_key.as_ref().to_owned();
        let body = self
            .spawn(move |s| Ok(s.load_blocking(&key, now_millis())?))
            .await
            .map_err(LoadError::Other)?;
        body.map(|b| serde_json::from_str(&b))
            .transpose()
            .map_err(|e| LoadError::Deserialization(e.into()))
    }

    async fn save(&self, state: State, ttl: &CookieDuration) -> Result<SessionKey, SaveError> {
        let body = serialized(&state).map_err(|e| SaveError::Serialization(e.into()))?;
        let ttl = *ttl;
        self.spawn(move |s| {
            let now = now_millis();
            s.save_blocking(&state, &body, now, expiry(now, &ttl))
        })
        .await
        .map_err(SaveError::Other)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        state: State,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        let body = serialized(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let (ttl, key) = (*ttl, session_key.as_ref().to_owned());
        let kept = self
            .spawn(move |s| {
                let now = now_millis();
                let updated = s.with(|c| {
                    c.execute(
                        "UPDATE dmr_sessions SET state = ?1, user_id = ?2, expires_at = ?3 \
                         WHERE session_key = ?4 AND expires_at > ?5",
                        params![body, state_user(&state), expiry(now, &ttl), key, now],
                    )
                })?;
                if updated == 1 {
                    return Ok(None);
                }
                // it ended meanwhile (logout elsewhere, expiry): a new session, never the old
                // id back
                s.save_blocking(&state, &body, now, expiry(now, &ttl))
                    .map(Some)
            })
            .await
            .map_err(UpdateError::Other)?;
        Ok(kept.unwrap_or(session_key))
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl: &CookieDuration,
    ) -> anyhow::Result<()> {
        let (ttl, key) = (*ttl, session_key.as_ref().to_owned());
        self.spawn(move |s| {
            let now = now_millis();
            s.with(|c| {
                c.execute(
                    "UPDATE dmr_sessions SET expires_at = ?1 WHERE session_key = ?2 AND expires_at > ?3",
                    params![expiry(now, &ttl), key, now],
                )
            })?;
            Ok(())
        })
        .await
    }

    async fn delete(&self, session_key: &SessionKey) -> anyhow::Result<()> {
        let key = session_key.as_ref().to_owned();
        self.spawn(move |s| {
            s.with(|c| c.execute("DELETE FROM dmr_sessions WHERE session_key = ?1", [key]))?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests;
