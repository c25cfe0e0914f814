//! [`RedisServers`]: where the Redis stores find Redis (one server, a Redis Cluster, or the
//! master that Sentinel names), and the connections made to it.

use std::time::Duration;

use ::redis::aio::MultiplexedConnection;
use ::redis::{AsyncConnectionConfig, Client, Cmd, RedisError, RedisFuture, Value};

use super::blocking::blocking_node;

/// Where a Redis store finds Redis: one server, a Redis Cluster, or the master of a group
/// watched by Redis Sentinel. Every Redis store takes one (`RedisSessionStore::builder_for`,
/// `RedisBlocklist::on`, `throttle::RedisStore::on`, each with its cargo feature); their
/// `new(url)` is `RedisServers::single(url)`.
///
/// Only the addresses are checked here; nothing is connected before a store's first command.
/// The stores' timeouts bound every call, whatever the kind:
///
/// - **One server**: one multiplexed connection, made again after a failure.
/// - **Cluster** (cargo feature `redis-cluster`): a cluster connection that learns which master
///   serves which slot from any of the given nodes, follows `MOVED` and `ASK`, and reconnects
///   to a node that failed by itself (a node that is down or hangs fails only its own slots).
///   Every command and script of the stores names keys of one slot (see README "Redis Cluster
///   and Sentinel").
/// - **Sentinel** (cargo feature `redis-sentinel`): each connection asks the sentinels, in
///   order, for the current master of `service` and checks that it is one; after a failover
///   the next connection goes to the new master.
///
/// ```
/// use dmr_runtime::redis::RedisServers;
///
/// let one = RedisServers::single("redis://127.0.0.1:6379/0").unwrap();
/// # let _ = one;
/// assert!(RedisServers::single("not a url").is_err());
/// ```
#[derive(Clone)]
pub struct RedisServers {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Single(Client),
    #[cfg(feature = "redis-cluster")]
    Cluster(Vec<::redis::ConnectionInfo>),
    #[cfg(feature = "redis-sentinel")]
    Sentinel {
        sentinels: Vec<::redis::ConnectionInfo>,
        service: String,
        master: ::redis::sentinel::SentinelNodeConnectionInfo,
    },
}

impl std::fmt::Debug for RedisServers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // addresses only: a URL may hold a password
        f.write_str(match self.kind {
            Kind::Single(_) => "RedisServers::Single",
            #[cfg(feature = "redis-cluster")]
            Kind::Cluster(_) => "RedisServers::Cluster",
            #[cfg(feature = "redis-sentinel")]
            Kind::Sentinel { .. } => "RedisServers::Sentinel",
        })
    }
}

impl RedisServers {
    /// One Redis server at `url` (`redis://[user:password@]host:port[/db]`).
    pub fn single(url: &str) -> Result<Self, RedisError> {
        Ok(Self {
            kind: Kind::Single(Client::open(url)?),
        })
    }

    /// A Redis Cluster reached through any of `nodes` (`redis://host:port` each; one that
    /// answers is enough to learn the others).
    ///
    /// ```no_run
    /// use dmr_runtime::redis::RedisServers;
    /// use dmr_runtime::throttle::RedisStore;
    ///
    /// let cluster = RedisServers::cluster([
    ///     "redis://10.0.0.1:6379",
    ///     "redis://10.0.0.2:6379",
    ///     "redis://10.0.0.3:6379",
    /// ])
    /// .unwrap();
    /// let throttles = RedisStore::on(cluster);
    /// # let _ = throttles;
    /// ```
    #[cfg(feature = "redis-cluster")]
    pub fn cluster<I, S>(nodes: I) -> Result<Self, RedisError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let nodes = infos(nodes)?;
        // the same checks as the client's (at least one node, no per-node db)
        ::redis::cluster::ClusterClient::new(nodes.clone())?;
        Ok(Self {
            kind: Kind::Cluster(nodes),
        })
    }

    /// The master named `service` by the Redis Sentinels at `sentinels` (`redis://host:port`
    /// each, tried in order). The master is reached with no password and database 0 unless
    /// [`master_settings`](Self::master_settings) says otherwise.
    ///
    /// ```no_run
    /// use dmr_runtime::backends::jwt::blocklist::RedisBlocklist;
    /// use dmr_runtime::redis::RedisServers;
    ///
    /// let servers = RedisServers::sentinel(
    ///     ["redis://10.0.0.1:26379", "redis://10.0.0.2:26379", "redis://10.0.0.3:26379"],
    ///     "mymaster",
    /// )
    /// .unwrap()
    /// .master_settings("redis://:secret@master/2")
    /// .unwrap();
    /// let blocklist = RedisBlocklist::on(servers);
    /// # let _ = blocklist;
    /// ```
    #[cfg(feature = "redis-sentinel")]
    pub fn sentinel<I, S>(sentinels: I, service: impl Into<String>) -> Result<Self, RedisError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let sentinels = infos(sentinels)?;
        if sentinels.is_empty() {
            return Err(RedisError::from((
                ::redis::ErrorKind::InvalidClientConfig,
                "no sentinel address",
            )));
        }
        Ok(Self {
            kind: Kind::Sentinel {
                sentinels,
                service: service.into(),
                master: ::redis::sentinel::SentinelNodeConnectionInfo::default(),
            },
        })
    }

    /// For [`sentinel`](Self::sentinel): the database, user name and password of the master
    /// (and of the replica that replaces it), read from `url`; its host is ignored.
    #[cfg(feature = "redis-sentinel")]
    pub fn master_settings(mut self, url: &str) -> Result<Self, RedisError> {
        use ::redis::IntoConnectionInfo;
        let settings = url.into_connection_info()?.redis;
        if let Kind::Sentinel { master, .. } = &mut self.kind {
            master.redis_connection_info = Some(settings);
        }
        Ok(self)
    }

    /// Whether keys of one operation must share a hash slot (a cluster).
    #[cfg_attr(not(feature = "redis-blocklist"), allow(dead_code))]
    pub(crate) fn is_cluster(&self) -> bool {
        #[cfg(feature = "redis-cluster")]
        if matches!(self.kind, Kind::Cluster(_)) {
            return true;
        }
        false
    }

    /// `prefix` made a hash tag on a cluster (`dmr:jwt:` -> `{dmr:jwt:}`) unless it holds one
    /// already, so that every key under it is in one slot; unchanged elsewhere.
    #[cfg_attr(not(feature = "redis-blocklist"), allow(dead_code))]
    pub(crate) fn one_slot(&self, prefix: &str) -> String {
        let tagged = prefix
            .find('{')
            .is_some_and(|open| prefix[open + 1..].find('}').is_some_and(|len| len > 0));
        if self.is_cluster() && !tagged {
            format!("{{{prefix}}}")
        } else {
            prefix.to_owned()
        }
    }

    /// A new async connection (not bounded here: the caller's timeout is). A server's
    /// connection has no response timeout: the caller's one timer per call bounds each
    /// command (`RedisConnection`); a cluster's has `command_timeout` for the commands it
    /// sends by itself (slot maps, redirections).
    pub(crate) async fn connect(
        &self,
        connect_timeout: Duration,
        #[cfg_attr(not(feature = "redis-cluster"), allow(unused_variables))]
        command_timeout: Duration,
    ) -> Result<Connection, RedisError> {
        let config = AsyncConnectionConfig::new().set_connection_timeout(connect_timeout);
        match &self.kind {
            Kind::Single(client) => client
                .get_multiplexed_async_connection_with_config(&config)
                .await
                .map(Connection::Node),
            #[cfg(feature = "redis-cluster")]
            Kind::Cluster(nodes) => cluster_client(nodes, connect_timeout, command_timeout)?
                .get_async_connection()
                .await
                .map(Connection::Cluster),
            #[cfg(feature = "redis-sentinel")]
            Kind::Sentinel {
                sentinels,
                service,
                master,
            } => {
                let mut client = ::redis::sentinel::SentinelClient::build(
                    sentinels.clone(),
                    service.clone(),
                    Some(master.clone()),
                    ::redis::sentinel::SentinelServerType::Master,
                )?;
                client
                    .get_async_connection_with_config(&config)
                    .await
                    .map(Connection::Node)
            }
        }
    }

    /// A new blocking connection whose connecting, reads and writes are each bounded by
    /// `timeout`.
    #[cfg_attr(not(feature = "redis-blocklist"), allow(dead_code))]
    pub(crate) fn connect_blocking(
        &self,
        timeout: Duration,
    ) -> Result<Box<dyn ::redis::ConnectionLike + Send>, RedisError> {
        match &self.kind {
            Kind::Single(client) => Ok(Box::new(blocking_node(client, timeout)?)),
            #[cfg(feature = "redis-cluster")]
            Kind::Cluster(nodes) => {
                let con = cluster_client(nodes, timeout, timeout)?.get_connection()?;
                con.set_read_timeout(Some(timeout))?;
                con.set_write_timeout(Some(timeout))?;
                Ok(Box::new(con))
            }
            #[cfg(feature = "redis-sentinel")]
            Kind::Sentinel {
                sentinels,
                service,
                master,
            } => super::sentinel_sync::master(sentinels, service, master, timeout)
                .map(|c| Box::new(c) as _),
        }
    }
}

#[cfg(any(feature = "redis-cluster", feature = "redis-sentinel"))]
fn infos<I, S>(urls: I) -> Result<Vec<::redis::ConnectionInfo>, RedisError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    use ::redis::IntoConnectionInfo;
    urls.into_iter()
        .map(|u| u.as_ref().into_connection_info())
        .collect()
}

/// A cluster client failing fast: one retry (a redirect), short waits between attempts; the
/// store's timeout bounds the whole call.
#[cfg(feature = "redis-cluster")]
fn cluster_client(
    nodes: &[::redis::ConnectionInfo],
    connect_timeout: Duration,
    command_timeout: Duration,
) -> Result<::redis::cluster::ClusterClient, RedisError> {
    ::redis::cluster::ClusterClient::builder(nodes.to_vec())
        .connection_timeout(connect_timeout)
        .response_timeout(command_timeout)
        .retries(1)
        .min_retry_wait(10)
        .max_retry_wait(50)
        .build()
}

/// An async connection of any kind (a Sentinel-found master is a node connection).
#[derive(Clone)]
pub(crate) enum Connection {
    Node(MultiplexedConnection),
    #[cfg(feature = "redis-cluster")]
    Cluster(::redis::cluster_async::ClusterConnection),
}

impl Connection {
    /// Whether the connection recovers from a node's failure by itself (a cluster connection
    /// reconnects to the node and refreshes its slot map) rather than being made again.
    pub(crate) fn heals_itself(&self) -> bool {
        match self {
            Self::Node(_) => false,
            #[cfg(feature = "redis-cluster")]
            Self::Cluster(_) => true,
        }
    }
}

impl ::redis::aio::ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::Node(c) => c.req_packed_command(cmd),
            #[cfg(feature = "redis-cluster")]
            Self::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a ::redis::Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Node(c) => c.req_packed_commands(cmd, offset, count),
            #[cfg(feature = "redis-cluster")]
            Self::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::Node(c) => c.get_db(),
            #[cfg(feature = "redis-cluster")]
            Self::Cluster(c) => c.get_db(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RedisServers;

    #[test]
    fn one_slot_tags_a_prefix_only_on_a_cluster() {
        let single = RedisServers::single("redis://127.0.0.1:1").unwrap();
        assert_eq!(single.one_slot("dmr:jwt:"), "dmr:jwt:");
        #[cfg(feature = "redis-cluster")]
        {
            let cluster = RedisServers::cluster(["redis://127.0.0.1:1"]).unwrap();
            assert_eq!(cluster.one_slot("dmr:jwt:"), "{dmr:jwt:}");
            assert_eq!(cluster.one_slot("app:{jwt}:"), "app:{jwt}:");
            assert_eq!(cluster.one_slot("app:{}:"), "{app:{}:}");
        }
    }
}
