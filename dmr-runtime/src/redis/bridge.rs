//! A blocking call through the shared async connection, for the sync endpoints on a Redis
//! Cluster: the crate's blocking cluster connection waits on every node when it is made, so
//! a node that hangs would hold a sync call for several timeouts.

use std::sync::Arc;
use std::time::Duration;

use ::redis::{Cmd, FromRedisValue};

use super::connection::{ConnectionError, RedisConnection};

/// `cmd` on `conn`'s async connection, run on the runtime of the calling blocking thread and
/// waited for at most `total`; `None` (use a blocking connection) unless `conn` is on a
/// cluster and the caller is on a runtime's blocking pool (where the sync endpoints run).
pub(crate) fn query_blocking<T>(
    conn: &Arc<RedisConnection>,
    cmd: &Cmd,
    total: Duration,
) -> Option<Result<T, ConnectionError>>
where
    T: FromRedisValue + Send + 'static,
{
    if !conn.servers().is_cluster() {
        return None;
    }
    let handle = tokio::runtime::Handle::try_current().ok()?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let (conn, cmd) = (Arc::clone(conn), cmd.clone());
    handle.spawn(async move {
        let _ = tx.send(conn.query::<T>(&cmd, Some(total)).await);
    });
    Some(
        rx.recv_timeout(total)
            .unwrap_or(Err(ConnectionError::CommandTimeout(total))),
    )
}
