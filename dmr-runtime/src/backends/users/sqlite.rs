//! [`SqliteUsers`]: users in a SQLite table (`dmr_users`), through `rusqlite`.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use argon2::Params;
use rusqlite::{Connection, OptionalExtension as _, params};

use super::{DummyHash, StoredUser, UserStore, UserStoreError, hash_password_with};

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS dmr_users (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1
)";

const SELECT: &str = "SELECT id, username, password_hash, is_active FROM dmr_users";

/// Users in the SQLite table `dmr_users` (`id`, `username`, `password_hash`, `is_active`),
/// created if missing. Look-ups block, so session auth runs them on actix's blocking pool
/// for async endpoints.
///
/// ```
/// use dmr_runtime::backends::users::{SqliteUsers, UserStore};
///
/// let users = SqliteUsers::open_in_memory().unwrap();
/// users.add("1", "admin", "pass").unwrap();
/// assert_eq!(users.authenticate("admin", "pass").unwrap().unwrap().id, "1");
/// users.set_active("admin", false).unwrap();
/// assert!(users.authenticate("admin", "pass").unwrap().is_none());
/// ```
pub struct SqliteUsers {
    conn: Mutex<Connection>,
    params: Params,
    /// What unknown names are verified against, made with `params`.
    dummy: DummyHash,
}

impl std::fmt::Debug for SqliteUsers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteUsers").finish_non_exhaustive()
    }
}

fn store_err(e: impl std::error::Error + Send + Sync + 'static) -> UserStoreError {
    UserStoreError::new(e)
}

impl SqliteUsers {
    /// Opens (or creates) the database file and the table.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, UserStoreError> {
        Self::with_connection(Connection::open(path).map_err(store_err)?)
    }

    /// A private in-memory database (tests, demos).
    pub fn open_in_memory() -> Result<Self, UserStoreError> {
        Self::with_connection(Connection::open_in_memory().map_err(store_err)?)
    }

    /// Uses an open connection, creating the table if missing.
    pub fn with_connection(conn: Connection) -> Result<Self, UserStoreError> {
        conn.execute(SCHEMA, []).map_err(store_err)?;
        Ok(Self {
            conn: Mutex::new(conn),
            params: Params::DEFAULT,
            dummy: DummyHash::default(),
        })
    }

    /// Hashes new passwords with these Argon2 costs; unknown user names are refused at the
    /// cost of one verification with them (so set them to the costs of imported hashes too).
    pub fn params(mut self, params: Params) -> Self {
        self.params = params;
        self.dummy = DummyHash::default();
        self
    }

    fn with<R>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
    ) -> Result<R, UserStoreError> {
        f(&self.conn.lock().unwrap_or_else(PoisonError::into_inner)).map_err(store_err)
    }

    /// Adds (or replaces) an active user, hashing the password.
    pub fn add(&self, id: &str, username: &str, password: &str) -> Result<(), UserStoreError> {
        let hash = hash_password_with(password, &self.params).map_err(store_err)?;
        self.insert(&StoredUser {
            id: id.to_owned(),
            username: username.to_owned(),
            password_hash: hash,
            is_active: true,
        })
    }

    /// Adds (or replaces) a user whose password is already hashed.
    pub fn insert(&self, user: &StoredUser) -> Result<(), UserStoreError> {
        self.with(|c| {
            c.execute(
                "INSERT OR REPLACE INTO dmr_users (id, username, password_hash, is_active) VALUES (?1, ?2, ?3, ?4)",
                params![user.id, user.username, user.password_hash, user.is_active],
            )
            .map(drop)
        })
    }

    /// Activates or deactivates a user; `Ok(false)` if there is no such user.
    pub fn set_active(&self, username: &str, active: bool) -> Result<bool, UserStoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE dmr_users SET is_active = ?1 WHERE username = ?2",
                params![active, username],
            )
        })
        .map(|n| n > 0)
    }

    /// Sets a new password (ending the user's other sessions); `Ok(false)` if there is no
    /// such user.
    pub fn set_password(&self, username: &str, password: &str) -> Result<bool, UserStoreError> {
        let hash = hash_password_with(password, &self.params).map_err(store_err)?;
        self.with(|c| {
            c.execute(
                "UPDATE dmr_users SET password_hash = ?1 WHERE username = ?2",
                params![hash, username],
            )
        })
        .map(|n| n > 0)
    }

    fn find(&self, column: &str, value: &str) -> Result<Option<StoredUser>, UserStoreError> {
        let sql = format!("{SELECT} WHERE {column} = ?1");
        self.with(|c| {
            c.query_row(&sql, [value], |row| {
                Ok(StoredUser {
                    id: row.get(0)?,
                    username: row.get(1)?,
                    password_hash: row.get(2)?,
                    is_active: row.get(3)?,
                })
            })
            .optional()
        })
    }
}

impl UserStore for SqliteUsers {
    fn find_by_username(&self, username: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.find("username", username)
    }

    fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.find("id", id)
    }

    fn dummy_hash(&self) -> Option<&str> {
        self.dummy.get(&self.params)
    }
}
