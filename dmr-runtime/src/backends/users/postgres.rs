//! [`PgUsers`]: users in PostgreSQL, through a deadpool-postgres pool.

use std::time::Duration;

use argon2::Params;

use super::{DummyHash, StoredUser, UserStore, UserStoreError, hash_password_with};
use crate::backends::postgres::{
    self, DEFAULT_PG_TIMEOUT, PgArgs, PgError, Pool, check_schema, migrate,
};

/// The migrations of the user table, in order (`{schema}` stands for the store's schema):
/// apply them with [`PgUsers::migrate`], or copy them into your migration tool.
pub const PG_USER_MIGRATIONS: &[(&str, &str)] = &[(
    "0001_dmr_users",
    "CREATE TABLE {schema}.dmr_users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        is_active BOOLEAN NOT NULL DEFAULT TRUE
    );",
)];

/// Users in `<schema>.dmr_users` on PostgreSQL (`postgres` feature): the same columns and
/// password rules as [`SqliteUsers`](super::SqliteUsers) (Argon2 hashes, a dummy hash with the
/// store's costs for unknown names). Every query is prepared, cached per connection and
/// bounded by [`timeout`](Self::timeout).
///
/// The async methods ([`find_by_id_async`](Self::find_by_id_async), ..) never block. The
/// [`UserStore`] methods block until the query is answered, so they run on actix's blocking
/// pool, as every blocking store's do: session auth on async endpoints and the login
/// controllers already call them there (`is_blocking()` is `true`).
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use dmr_runtime::backends::postgres::pg_pool;
/// use dmr_runtime::backends::users::PgUsers;
///
/// let users = PgUsers::new(pg_pool("host=127.0.0.1 user=postgres dbname=app", 16)?);
/// users.migrate().await?;
/// users.add("1", "admin", "pass").await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PgUsers {
    pool: Pool,
    schema: String,
    timeout: Duration,
    params: Params,
    dummy: DummyHash,
    sql: std::sync::Arc<Sql>,
}

/// The statements, with the schema filled in once (not on every look-up).
struct Sql {
    by_id: String,
    by_username: String,
    insert: String,
    set_active: String,
}

impl Sql {
    fn new(s: &str) -> Self {
        let select = format!("SELECT id, username, password_hash, is_active FROM {s}.dmr_users");
        Self {
            by_id: format!("{select} WHERE id = $1"),
            by_username: format!("{select} WHERE username = $1"),
            insert: format!(
                "INSERT INTO {s}.dmr_users (id, username, password_hash, is_active) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO UPDATE SET username = $2, password_hash = $3, is_active = $4"
            ),
            set_active: format!("UPDATE {s}.dmr_users SET is_active = $1 WHERE username = $2"),
        }
    }
}

impl std::fmt::Debug for PgUsers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgUsers")
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

fn store_err(e: PgError) -> UserStoreError {
    UserStoreError::new(e)
}

impl PgUsers {
    /// Users in `public.dmr_users` over `pool`.
    pub fn new(pool: Pool) -> Self {
        Self {
            pool,
            schema: "public".to_owned(),
            timeout: DEFAULT_PG_TIMEOUT,
            params: Params::DEFAULT,
            dummy: DummyHash::default(),
            sql: std::sync::Arc::new(Sql::new("public")),
        }
    }

    /// Another schema (lowercase letters, digits, `_`); created by [`migrate`](Self::migrate).
    pub fn schema(mut self, schema: &str) -> Result<Self, PgError> {
        check_schema(schema)?;
        schema.clone_into(&mut self.schema);
        self.sql = std::sync::Arc::new(Sql::new(schema));
        Ok(self)
    }

    /// The bound on one query (default 2 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The bound on one query ([`timeout`](Self::timeout)).
    pub(crate) fn query_timeout(&self) -> Duration {
        self.timeout
    }

    /// Argon2 costs for new passwords and for the dummy hash of unknown names.
    pub fn params(mut self, params: Params) -> Self {
        self.params = params;
        self.dummy = DummyHash::default();
        self
    }

    /// Creates the schema and applies the [`PG_USER_MIGRATIONS`] not applied yet.
    pub async fn migrate(&self) -> Result<(), PgError> {
        migrate(&self.pool, &self.schema, PG_USER_MIGRATIONS, self.timeout).await
    }

    async fn execute(&self, sql: &str, args: &PgArgs<'_>) -> Result<u64, PgError> {
        postgres::execute(&self.pool, self.timeout, sql, args).await
    }

    /// Adds (or replaces) an active user, hashing the password (on the blocking pool).
    pub async fn add(&self, id: &str, username: &str, password: &str) -> Result<(), PgError> {
        let params = self.params.clone();
        let password = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || hash_password_with(&password, &params))
            .await
            .map_err(PgError::new)?
            .map_err(PgError::new)?;
        self.insert(&StoredUser {
            id: id.to_owned(),
            username: username.to_owned(),
            password_hash: hash,
            is_active: true,
        })
        .await
    }

    /// Adds (or replaces) a user whose password is already hashed.
    pub async fn insert(&self, user: &StoredUser) -> Result<(), PgError> {
        self.execute(
            &self.sql.insert,
            &[
                &user.id,
                &user.username,
                &user.password_hash,
                &user.is_active,
            ],
        )
        .await
        .map(drop)
    }

    /// Activates or deactivates a user; `Ok(false)` if there is no such user.
    pub async fn set_active(&self, username: &str, active: bool) -> Result<bool, PgError> {
        self.execute(&self.sql.set_active, &[&active, &username])
            .await
            .map(|n| n > 0)
    }

    async fn find(&self, sql: &str, value: &str) -> Result<Option<StoredUser>, PgError> {
        let rows = postgres::query(&self.pool, self.timeout, sql, &[&value]).await?;
        rows.first()
            .map(|r| {
                Ok(StoredUser {
                    id: r.try_get(0)?,
                    username: r.try_get(1)?,
                    password_hash: r.try_get(2)?,
                    is_active: r.try_get(3)?,
                })
            })
            .transpose()
            .map_err(|e: tokio_postgres::Error| PgError::new(e))
    }

    /// The user with this id, without blocking.
    pub async fn find_by_id_async(&self, id: &str) -> Result<Option<StoredUser>, PgError> {
        self.find(&self.sql.by_id, id).await
    }

    /// The user with this login name, without blocking.
    pub async fn find_by_username_async(
        &self,
        username: &str,
    ) -> Result<Option<StoredUser>, PgError> {
        self.find(&self.sql.by_username, username).await
    }
}

/// Runs a query to completion from a blocking-pool thread.
fn block_on<T>(fut: impl Future<Output = Result<T, PgError>>) -> Result<T, UserStoreError> {
    let handle = tokio::runtime::Handle::try_current().map_err(|_| {
        UserStoreError::new(
            "a blocking user-store call needs a tokio runtime: call it from actix's blocking pool",
        )
    })?;
    handle.block_on(fut).map_err(store_err)
}

impl UserStore for PgUsers {
    fn find_by_username(&self, username: &str) -> Result<Option<StoredUser>, UserStoreError> {
        block_on(self.find(&self.sql.by_username, username))
    }

    fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        block_on(self.find(&self.sql.by_id, id))
    }

    fn dummy_hash(&self) -> Option<&str> {
        self.dummy.get(&self.params)
    }
}
