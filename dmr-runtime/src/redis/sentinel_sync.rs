//! The blocking path's master look-up through Sentinel, every connection bounded by the
//! store's timeout (the crate's blocking Sentinel client connects without one).

use std::time::Duration;

use ::redis::sentinel::SentinelNodeConnectionInfo;
use ::redis::{Client, Connection, ConnectionAddr, ConnectionInfo, ErrorKind, RedisError};

use super::blocking::blocking_node;

/// A blocking connection to the master of `service`: the first sentinel that answers names
/// it, and the master must say it is one (`ROLE`), as the async client checks.
pub(crate) fn master(
    sentinels: &[ConnectionInfo],
    service: &str,
    settings: &SentinelNodeConnectionInfo,
    timeout: Duration,
) -> Result<Connection, RedisError> {
    let mut last = None;
    for sentinel in sentinels {
        match ask(sentinel, service, timeout) {
            Ok(Some((host, port))) => {
                let info = ConnectionInfo {
                    addr: ConnectionAddr::Tcp(host, port),
                    redis: settings.redis_connection_info.clone().unwrap_or_default(),
                };
                let mut con = blocking_node(&Client::open(info)?, timeout)?;
                let role: Vec<::redis::Value> = ::redis::cmd("ROLE").query(&mut con)?;
                let is_master = matches!(role.first(),
                    Some(::redis::Value::BulkString(b)) if b.as_slice() == b"master");
                if is_master {
                    return Ok(con);
                }
                last = Some(RedisError::from((
                    ErrorKind::MasterNameNotFoundBySentinel,
                    "the server named by sentinel is not a master",
                )));
            }
            Ok(None) => {
                last = Some(RedisError::from((
                    ErrorKind::MasterNameNotFoundBySentinel,
                    "sentinel does not know the master name",
                )));
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        RedisError::from((ErrorKind::InvalidClientConfig, "no sentinel address"))
    }))
}

/// `SENTINEL GET-MASTER-ADDR-BY-NAME service` at one sentinel.
fn ask(
    sentinel: &ConnectionInfo,
    service: &str,
    timeout: Duration,
) -> Result<Option<(String, u16)>, RedisError> {
    let mut con = blocking_node(&Client::open(sentinel.clone())?, timeout)?;
    ::redis::cmd("SENTINEL")
        .arg("GET-MASTER-ADDR-BY-NAME")
        .arg(service)
        .query(&mut con)
}
