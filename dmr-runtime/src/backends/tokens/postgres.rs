//! [`PgTokens`]: token rows in PostgreSQL, through a deadpool-postgres pool.

use std::time::{Duration, SystemTime};

use crate::backends::postgres::{
    self, DEFAULT_PG_TIMEOUT, PgArgs, PgError, Pool, check_schema, migrate,
};

use super::model::{NewToken, TokenInfo};
use super::store::{AsyncUserLookup, StoreFuture, TokenStore, TokenStoreError};
use crate::backends::users::{PgUsers, StoredUser, UserStoreError};

/// The migrations of the token table, in order (`{schema}` stands for the store's schema):
/// apply them with [`PgTokens::migrate`], or copy them into your migration tool.
pub const PG_TOKEN_MIGRATIONS: &[(&str, &str)] = &[(
    "0001_dmr_tokens",
    "CREATE TABLE {schema}.dmr_tokens (
        id BIGSERIAL PRIMARY KEY,
        user_id TEXT NOT NULL,
        name VARCHAR(256) NOT NULL,
        token_hash VARCHAR(256) NOT NULL UNIQUE,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ,
        revoked_at TIMESTAMPTZ,
        last_used_at TIMESTAMPTZ
    );
    CREATE INDEX dmr_tokens_user_id ON {schema}.dmr_tokens (user_id);",
)];

const COLUMNS: &str = "id, name, user_id, created_at, expires_at, revoked_at, last_used_at";

/// Token rows in `<schema>.dmr_tokens` on PostgreSQL (`postgres` feature). Every operation
/// takes a pooled connection, runs one prepared (and per-connection cached) statement, and is
/// bounded by [`timeout`](Self::timeout) (2 s by default, waiting for a connection included).
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use dmr_runtime::backends::postgres::pg_pool;
/// use dmr_runtime::backends::tokens::PgTokens;
///
/// let pool = pg_pool("host=127.0.0.1 user=postgres dbname=app", 16)?;
/// let tokens = PgTokens::new(pool).schema("auth")?;
/// tokens.migrate().await?;          // or apply PG_TOKEN_MIGRATIONS with your own tool
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PgTokens {
    pool: Pool,
    schema: String,
    timeout: Duration,
    sql: std::sync::Arc<Sql>,
}

impl std::fmt::Debug for PgTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgTokens")
            .field("schema", &self.schema)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// The statements, with the schema filled in once.
struct Sql {
    insert: String,
    find: String,
    find_any: String,
    list: String,
    revoke: String,
    revoke_all: String,
    mark_used: String,
}

impl Sql {
    fn new(s: &str) -> Self {
        Self {
            insert: format!(
                "INSERT INTO {s}.dmr_tokens (user_id, name, token_hash, created_at, updated_at, expires_at)
                 VALUES ($1, $2, $3, $4, $4, $5) RETURNING id"
            ),
            find: format!("SELECT {COLUMNS} FROM {s}.dmr_tokens WHERE token_hash = $1"),
            // the first hash in the list's order that has a row (there is at most one row per
            // hash, and another hash of the same raw token has none in practice)
            find_any: format!(
                "SELECT {COLUMNS} FROM {s}.dmr_tokens WHERE token_hash = ANY($1)
                 ORDER BY array_position($1, token_hash) LIMIT 1"
            ),
            list: format!(
                "SELECT {COLUMNS} FROM {s}.dmr_tokens WHERE user_id = $1 ORDER BY id DESC"
            ),
            revoke: format!(
                "UPDATE {s}.dmr_tokens SET revoked_at = COALESCE(revoked_at, $1), updated_at = $1
                 WHERE id = $2 AND user_id = $3"
            ),
            revoke_all: format!(
                "UPDATE {s}.dmr_tokens SET revoked_at = $1, updated_at = $1
                 WHERE user_id = $2 AND revoked_at IS NULL"
            ),
            mark_used: format!(
                "UPDATE {s}.dmr_tokens SET last_used_at = $1, updated_at = $1
                 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)"
            ),
        }
    }
}

fn row(r: &tokio_postgres::Row) -> Result<TokenInfo, tokio_postgres::Error> {
    Ok(TokenInfo {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        user_id: r.try_get(2)?,
        created_at: r.try_get(3)?,
        expires_at: r.try_get(4)?,
        revoked_at: r.try_get(5)?,
        last_used_at: r.try_get(6)?,
    })
}

fn store_err(e: PgError) -> TokenStoreError {
    TokenStoreError::new(e)
}

impl PgTokens {
    /// Tokens in `public.dmr_tokens` over `pool`.
    pub fn new(pool: Pool) -> Self {
        Self {
            pool,
            schema: "public".to_owned(),
            timeout: DEFAULT_PG_TIMEOUT,
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

    /// The bound on one operation (default 2 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The pool.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Creates the schema and applies the [`PG_TOKEN_MIGRATIONS`] not applied yet.
    pub async fn migrate(&self) -> Result<(), PgError> {
        migrate(&self.pool, &self.schema, PG_TOKEN_MIGRATIONS, self.timeout).await
    }

    async fn query(
        &self,
        sql: &str,
        args: &PgArgs<'_>,
    ) -> Result<Vec<tokio_postgres::Row>, PgError> {
        postgres::query(&self.pool, self.timeout, sql, args).await
    }

    /// The first row `sql` returns, as a token.
    async fn find_one(
        &self,
        sql: &str,
        args: &PgArgs<'_>,
    ) -> Result<Option<TokenInfo>, TokenStoreError> {
        let rows = self.query(sql, args).await.map_err(store_err)?;
        rows.first()
            .map(row)
            .transpose()
            .map_err(TokenStoreError::new)
    }

    async fn execute(&self, sql: &str, args: &PgArgs<'_>) -> Result<u64, PgError> {
        postgres::execute(&self.pool, self.timeout, sql, args).await
    }
}

impl TokenStore for PgTokens {
    /// [`timeout`](Self::timeout): each call is one timer around waiting for a connection
    /// and the statement.
    fn own_timeout(&self) -> Option<Duration> {
        Some(self.timeout)
    }

    fn insert(&self, t: NewToken) -> StoreFuture<'_, TokenInfo> {
        Box::pin(async move {
            let rows = self
                .query(
                    &self.sql.insert,
                    &[
                        &t.user_id,
                        &t.name,
                        &t.token_hash,
                        &t.created_at,
                        &t.expires_at,
                    ],
                )
                .await
                .map_err(store_err)?;
            let id: i64 = rows
                .first()
                .ok_or_else(|| TokenStoreError::new("insert returned no id"))?
                .try_get(0)
                .map_err(TokenStoreError::new)?;
            Ok(TokenInfo {
                id,
                name: t.name,
                user_id: t.user_id,
                created_at: t.created_at,
                expires_at: t.expires_at,
                revoked_at: None,
                last_used_at: None,
            })
        })
    }

    fn find_by_hash(&self, token_hash: String) -> StoreFuture<'_, Option<TokenInfo>> {
        Box::pin(async move { self.find_one(&self.sql.find, &[&token_hash]).await })
    }

    /// One statement (`token_hash = ANY($1)`): one round trip however many hashes.
    fn find_by_any_hash(&self, token_hashes: Vec<String>) -> StoreFuture<'_, Option<TokenInfo>> {
        Box::pin(async move { self.find_one(&self.sql.find_any, &[&token_hashes]).await })
    }

    fn list_for_user(&self, user_id: String) -> StoreFuture<'_, Vec<TokenInfo>> {
        Box::pin(async move {
            let rows = self
                .query(&self.sql.list, &[&user_id])
                .await
                .map_err(store_err)?;
            rows.iter()
                .map(row)
                .collect::<Result<_, _>>()
                .map_err(TokenStoreError::new)
        })
    }

    fn revoke(&self, id: i64, user_id: String, at: SystemTime) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            self.execute(&self.sql.revoke, &[&at, &id, &user_id])
                .await
                .map(|n| n > 0)
                .map_err(store_err)
        })
    }

    fn revoke_all(&self, user_id: String, at: SystemTime) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            self.execute(&self.sql.revoke_all, &[&at, &user_id])
                .await
                .map_err(store_err)
        })
    }

    fn mark_used(&self, id: i64, at: SystemTime, interval: Duration) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let due = at.checked_sub(interval).unwrap_or(SystemTime::UNIX_EPOCH);
            self.execute(&self.sql.mark_used, &[&at, &id, &due])
                .await
                .map(|n| n > 0)
                .map_err(store_err)
        })
    }
}

impl AsyncUserLookup for PgUsers {
    fn find_by_id_async(
        &self,
        id: String,
    ) -> std::pin::Pin<
        Box<dyn Future<Output = Result<Option<StoredUser>, UserStoreError>> + Send + '_>,
    > {
        Box::pin(async move {
            PgUsers::find_by_id_async(self, &id)
                .await
                .map_err(UserStoreError::new)
        })
    }

    fn own_timeout(&self) -> Option<Duration> {
        Some(self.query_timeout())
    }
}
