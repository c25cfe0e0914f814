//! What the PostgreSQL stores share: the connection pool (`PgPool`, deadpool over
//! tokio-postgres), the schema their tables live in, the per-operation timeout, and the
//! migrations table.

use std::time::Duration;

pub use deadpool_postgres::Pool;
use deadpool_postgres::{Manager, ManagerConfig, RecyclingMethod, Runtime, Timeouts};
use tokio_postgres::NoTls;

/// The default bound on one store operation (waiting for a connection included).
pub const DEFAULT_PG_TIMEOUT: Duration = Duration::from_secs(2);

/// A pool of PostgreSQL connections (plain TCP, no TLS: for a database on the same host or
/// a private network) with bounded waits: a connection is created within `timeout`, and a
/// request waits at most `timeout` for a free one. Dropped connections are replaced on their
/// next checkout, so service resumes by itself after a database restart.
///
/// A connection is driven by the tokio runtime that opened it (the first request, or
/// `migrate()`, that needed it): open the pool in `#[actix_web::main]` (whose runtime keeps
/// running the server) or let the workers open it, never on a runtime that stops or blocks.
///
/// ```no_run
/// use dmr_runtime::backends::postgres::pg_pool;
///
/// let pool = pg_pool("host=127.0.0.1 user=postgres dbname=app", 16).unwrap();
/// # let _ = pool;
/// ```
pub fn pg_pool(config: &str, max_size: usize) -> Result<Pool, PgError> {
    let pg: tokio_postgres::Config = config.parse().map_err(PgError::new)?;
    let mut pg = pg;
    pg.connect_timeout(DEFAULT_PG_TIMEOUT);
    let manager = Manager::from_config(
        pg,
        NoTls,
        ManagerConfig {
            // a closed connection (server restart, pg_terminate_backend) is dropped at checkout
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(max_size.max(1))
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(DEFAULT_PG_TIMEOUT))
        .create_timeout(Some(DEFAULT_PG_TIMEOUT))
        .recycle_timeout(Some(DEFAULT_PG_TIMEOUT))
        .build()
        .map_err(PgError::new)
}

/// A PostgreSQL store failed (connection, query, timeout); never contains a secret.
#[derive(Debug)]
pub struct PgError(Box<dyn std::error::Error + Send + Sync>);

impl PgError {
    /// Wraps the underlying error.
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(e.into())
    }
}

impl std::fmt::Display for PgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "postgres: {}", self.0)
    }
}

impl std::error::Error for PgError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// A schema name the stores put their tables in: lowercase ASCII letters, digits and `_`,
/// not starting with a digit, at most 63 bytes (so it needs no quoting).
pub(crate) fn check_schema(schema: &str) -> Result<(), PgError> {
    let ok = !schema.is_empty()
        && schema.len() <= 63
        && !schema.starts_with(|c: char| c.is_ascii_digit())
        && schema
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(PgError::new(format!(
            "invalid schema name `{schema}`: use lowercase letters, digits and `_`"
        )))
    }
}

/// Runs `op` within `limit`.
pub(crate) async fn timed<T, E: Into<Box<dyn std::error::Error + Send + Sync>>>(
    limit: Duration,
    op: impl Future<Output = Result<T, E>>,
) -> Result<T, PgError> {
    match tokio::time::timeout(limit, op).await {
        Ok(r) => r.map_err(PgError::new),
        Err(_) => Err(PgError::new(format!("no answer within {limit:?}"))),
    }
}

/// A checkout with no timer of its own (the caller's one timer bounds it).
const UNTIMED: Timeouts = Timeouts::new();

/// The arguments of one statement.
pub(crate) type PgArgs<'a> = [&'a (dyn tokio_postgres::types::ToSql + Sync)];

/// Runs `sql` (prepared once per connection and cached) with `args` on a connection from
/// `pool`, all within `limit`: its rows.
pub(crate) async fn query(
    pool: &Pool,
    limit: Duration,
    sql: &str,
    args: &PgArgs<'_>,
) -> Result<Vec<tokio_postgres::Row>, PgError> {
    prepared(pool, limit, sql, async |c, st| c.query(st, args).await).await
}

/// [`query`] for a statement that returns no rows: how many rows it changed.
pub(crate) async fn execute(
    pool: &Pool,
    limit: Duration,
    sql: &str,
    args: &PgArgs<'_>,
) -> Result<u64, PgError> {
    prepared(pool, limit, sql, async |c, st| c.execute(st, args).await).await
}

/// Runs `op` with a connection from `pool` and `sql` prepared on it, within `limit`: one
/// timer for the whole call (the pool's own wait, create and recycle timeouts are not
/// layered inside it: `limit` bounds them all).
async fn prepared<T>(
    pool: &Pool,
    limit: Duration,
    sql: &str,
    op: impl AsyncFnOnce(
        &deadpool_postgres::Client,
        &tokio_postgres::Statement,
    ) -> Result<T, tokio_postgres::Error>,
) -> Result<T, PgError> {
    timed(limit, async {
        let client = pool.timeout_get(&UNTIMED).await.map_err(PgError::new)?;
        let st = client.prepare_cached(sql).await.map_err(PgError::new)?;
        op(&client, &st).await.map_err(PgError::new)
    })
    .await
}

/// Applies `migrations` (name, SQL with `{schema}` placeholders) that are not yet recorded in
/// `<schema>.dmr_migrations`, in order, each in its own transaction, under an advisory lock so
/// that several servers starting together apply each once.
pub(crate) async fn migrate(
    pool: &Pool,
    schema: &str,
    migrations: &[(&str, &str)],
    limit: Duration,
) -> Result<(), PgError> {
    let mut client = timed(limit, pool.get()).await?;
    let tx = timed(limit, client.transaction()).await?;
    timed(
        limit,
        tx.batch_execute(&format!(
            "SELECT pg_advisory_xact_lock(hashtext('dmr_migrations:{schema}'));
             CREATE SCHEMA IF NOT EXISTS {schema};
             CREATE TABLE IF NOT EXISTS {schema}.dmr_migrations (
                 name TEXT PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             );"
        )),
    )
    .await?;
    for (name, sql) in migrations {
        let done = timed(
            limit,
            tx.query_opt(
                &format!("SELECT 1 FROM {schema}.dmr_migrations WHERE name = $1"),
                &[name],
            ),
        )
        .await?;
        if done.is_some() {
            continue;
        }
        timed(limit, tx.batch_execute(&sql.replace("{schema}", schema))).await?;
        timed(
            limit,
            tx.execute(
                &format!("INSERT INTO {schema}.dmr_migrations (name) VALUES ($1)"),
                &[name],
            ),
        )
        .await?;
    }
    timed(limit, tx.commit()).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_names() {
        assert!(super::check_schema("public").is_ok());
        assert!(super::check_schema("t_1").is_ok());
        for bad in ["", "1a", "A", "a;b", "a b", "\"x\""] {
            assert!(super::check_schema(bad).is_err(), "{bad}");
        }
    }
}
