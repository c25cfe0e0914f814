//! [`SqliteTokens`]: token rows in a SQLite table (`dmr_tokens`), the embedded default.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use rusqlite::{Connection, OptionalExtension as _, params};

use super::model::{NewToken, TokenInfo, from_micros, to_micros};
use super::store::{StoreFuture, TokenStore, TokenStoreError};

/// The table, created if missing. Times are microseconds since the Unix epoch.
pub const SQLITE_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS dmr_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER,
    last_used_at INTEGER
);
CREATE INDEX IF NOT EXISTS dmr_tokens_user_id ON dmr_tokens (user_id);";

/// The columns [`row`] reads, in its order (a macro: the statements below are literals, so that
/// each is prepared once per connection and then taken from rusqlite's statement cache).
macro_rules! columns {
    () => {
        "id, name, user_id, created_at, expires_at, revoked_at, last_used_at"
    };
}

/// Token rows in the SQLite table `dmr_tokens` ([`SQLITE_SCHEMA`], created if missing).
/// Every operation runs on tokio's blocking pool (actix's), one at a time per store; sync
/// endpoints call it directly. Lock waits are bounded by SQLite's busy timeout (2 s).
///
/// ```
/// use dmr_runtime::backends::tokens::SqliteTokens;
///
/// let tokens = SqliteTokens::open_in_memory().unwrap();
/// # let _ = tokens;
/// ```
///
/// **System calls per look-up.** In SQLite's default journal mode (`DELETE`) every read
/// transaction, so every token check, locks and unlocks the file and checks for a hot journal
/// and a changed file: 8 system calls (4 `fcntl`, 3 `stat`, 1 `pread`); in WAL mode 2 (`fcntl`
/// on the shared-memory index), and readers never wait for a writer. WAL is a property of the
/// database file (it adds `-wal` and `-shm` files beside it, and needs a local file system), so
/// the store leaves it to you: open the connection in WAL mode and hand it over.
///
/// ```
/// use dmr_runtime::backends::tokens::SqliteTokens;
///
/// let path = std::env::temp_dir().join(format!("dmr-doc-wal-{}.sqlite3", std::process::id()));
/// let conn = rusqlite::Connection::open(&path).unwrap();
/// let mode: String = conn
///     .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
///     .unwrap();
/// assert_eq!(mode, "wal");
/// let tokens = SqliteTokens::with_connection(conn).unwrap();
/// # drop(tokens);
/// # for end in ["", "-wal", "-shm"] {
/// #     let _ = std::fs::remove_file(format!("{}{end}", path.display()));
/// # }
/// ```
#[derive(Clone)]
pub struct SqliteTokens {
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for SqliteTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteTokens").finish_non_exhaustive()
    }
}

fn err(e: impl std::error::Error + Send + Sync + 'static) -> TokenStoreError {
    TokenStoreError::new(e)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenInfo> {
    Ok(TokenInfo {
        id: r.get(0)?,
        name: r.get(1)?,
        user_id: r.get(2)?,
        created_at: from_micros(r.get(3)?),
        expires_at: r.get::<_, Option<i64>>(4)?.map(from_micros),
        revoked_at: r.get::<_, Option<i64>>(5)?.map(from_micros),
        last_used_at: r.get::<_, Option<i64>>(6)?.map(from_micros),
    })
}

impl SqliteTokens {
    /// Opens (or creates) the database file and the table.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, TokenStoreError> {
        Self::with_connection(Connection::open(path).map_err(err)?)
    }

    /// A private in-memory database (tests, demos).
    pub fn open_in_memory() -> Result<Self, TokenStoreError> {
        Self::with_connection(Connection::open_in_memory().map_err(err)?)
    }

    /// Uses an open connection, creating the table if missing.
    pub fn with_connection(conn: Connection) -> Result<Self, TokenStoreError> {
        conn.busy_timeout(Duration::from_secs(2)).map_err(err)?;
        conn.execute_batch(SQLITE_SCHEMA).map_err(err)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    fn with<R>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
    ) -> Result<R, TokenStoreError> {
        f(&self.conn.lock().unwrap_or_else(PoisonError::into_inner)).map_err(err)
    }

    /// Runs `f` on the blocking pool.
    fn spawn<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Self) -> Result<R, TokenStoreError> + Send + 'static,
    ) -> StoreFuture<'_, R> {
        let this = self.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || f(&this))
                .await
                .map_err(err)?
        })
    }

    /// Inserts a row (blocking).
    pub fn insert_blocking(&self, t: &NewToken) -> Result<TokenInfo, TokenStoreError> {
        self.with(|c| {
            let created = to_micros(t.created_at);
            c.prepare_cached(
                "INSERT INTO dmr_tokens (user_id, name, token_hash, created_at, updated_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
            )?
            .execute(params![t.user_id, t.name, t.token_hash, created, t.expires_at.map(to_micros)])?;
            Ok(TokenInfo {
                id: c.last_insert_rowid(),
                name: t.name.clone(),
                user_id: t.user_id.clone(),
                created_at: t.created_at,
                expires_at: t.expires_at,
                revoked_at: None,
                last_used_at: None,
            })
        })
    }

    /// Every row of a user, newest first (blocking).
    pub fn list_blocking(&self, user_id: &str) -> Result<Vec<TokenInfo>, TokenStoreError> {
        self.with(|c| {
            let mut st = c.prepare_cached(concat!(
                "SELECT ",
                columns!(),
                " FROM dmr_tokens WHERE user_id = ?1 ORDER BY id DESC"
            ))?;
            st.query_map([user_id], row)?.collect()
        })
    }

    /// Revokes one row of a user (blocking).
    pub fn revoke_blocking(
        &self,
        id: i64,
        user_id: &str,
        at: SystemTime,
    ) -> Result<bool, TokenStoreError> {
        self.with(|c| {
            c.prepare_cached(
                "UPDATE dmr_tokens SET revoked_at = COALESCE(revoked_at, ?1), updated_at = ?1
                 WHERE id = ?2 AND user_id = ?3",
            )?
            .execute(params![to_micros(at), id, user_id])
        })
        .map(|n| n > 0)
    }

    /// Revokes every active row of a user (blocking).
    pub fn revoke_all_blocking(
        &self,
        user_id: &str,
        at: SystemTime,
    ) -> Result<u64, TokenStoreError> {
        self.with(|c| {
            c.prepare_cached(
                "UPDATE dmr_tokens SET revoked_at = ?1, updated_at = ?1
                 WHERE user_id = ?2 AND revoked_at IS NULL",
            )?
            .execute(params![to_micros(at), user_id])
        })
        .map(|n| n as u64)
    }
}

/// The look-up of one row by hash (a check runs it once per hash it tries).
const FIND_BY_HASH: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM dmr_tokens WHERE token_hash = ?1"
);

impl TokenStore for SqliteTokens {
    fn insert(&self, token: NewToken) -> StoreFuture<'_, TokenInfo> {
        self.spawn(move |s| s.insert_blocking(&token))
    }

    fn find_by_hash(&self, token_hash: String) -> StoreFuture<'_, Option<TokenInfo>> {
        self.spawn(move |s| s.find_by_hash_blocking(token_hash))
    }

    /// One trip to the blocking pool, one cached statement run for each hash in turn.
    fn find_by_any_hash(&self, token_hashes: Vec<String>) -> StoreFuture<'_, Option<TokenInfo>> {
        self.spawn(move |s| s.find_by_any_hash_blocking(token_hashes))
    }

    fn list_for_user(&self, user_id: String) -> StoreFuture<'_, Vec<TokenInfo>> {
        self.spawn(move |s| s.list_blocking(&user_id))
    }

    fn revoke(&self, id: i64, user_id: String, at: SystemTime) -> StoreFuture<'_, bool> {
        self.spawn(move |s| s.revoke_blocking(id, &user_id, at))
    }

    fn revoke_all(&self, user_id: String, at: SystemTime) -> StoreFuture<'_, u64> {
        self.spawn(move |s| s.revoke_all_blocking(&user_id, at))
    }

    fn mark_used(&self, id: i64, at: SystemTime, interval: Duration) -> StoreFuture<'_, bool> {
        self.spawn(move |s| s.mark_used_blocking(id, at, interval))
    }

    fn find_by_hash_blocking(
        &self,
        token_hash: String,
    ) -> Result<Option<TokenInfo>, TokenStoreError> {
        self.with(|c| {
            c.prepare_cached(FIND_BY_HASH)?
                .query_row([token_hash], row)
                .optional()
        })
    }

    fn find_by_any_hash_blocking(
        &self,
        token_hashes: Vec<String>,
    ) -> Result<Option<TokenInfo>, TokenStoreError> {
        self.with(|c| {
            let mut st = c.prepare_cached(FIND_BY_HASH)?;
            for hash in token_hashes {
                if let Some(found) = st.query_row([hash], row).optional()? {
                    return Ok(Some(found));
                }
            }
            Ok(None)
        })
    }

    fn mark_used_blocking(
        &self,
        id: i64,
        at: SystemTime,
        interval: Duration,
    ) -> Result<bool, TokenStoreError> {
        let at = to_micros(at);
        let due = at.saturating_sub(i64::try_from(interval.as_micros()).unwrap_or(i64::MAX));
        self.with(|c| {
            c.prepare_cached(
                "UPDATE dmr_tokens SET last_used_at = ?1, updated_at = ?1
                 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at <= ?3)",
            )?
            .execute(params![at, id, due])
        })
        .map(|n| n > 0)
    }
}
