//! A blocking connection to one server, its connecting, reads and writes each bounded.

use std::time::Duration;

use ::redis::{Client, Connection, RedisError};

/// A blocking connection to `client`, each of connecting, a read and a write within `timeout`.
pub(crate) fn blocking_node(client: &Client, timeout: Duration) -> Result<Connection, RedisError> {
    let con = client.get_connection_with_timeout(timeout)?;
    con.set_read_timeout(Some(timeout))?;
    con.set_write_timeout(Some(timeout))?;
    Ok(con)
}
