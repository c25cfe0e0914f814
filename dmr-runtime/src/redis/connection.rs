//! [`RedisConnection`]: one connection to Redis (a server, a cluster, or Sentinel's master:
//! [`RedisServers`]), made on first use, bounded by a connect timeout and a command timeout,
//! dropped after a connection failure and made again no sooner than a reconnect interval later.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[cfg(any(feature = "redis-session", feature = "redis-blocklist"))]
use ::redis::Cmd;
#[cfg(feature = "redis-throttle")]
use ::redis::Script;
use ::redis::{ErrorKind, FromRedisValue, RedisError};

use super::servers::{Connection, RedisServers};

use crate::observe::Health;

/// The shared connection of one Redis store (every clone of the store uses the same one).
pub(crate) struct RedisConnection {
    servers: RedisServers,
    connect_timeout: Duration,
    command_timeout: Duration,
    reconnect_interval: Duration,
    state: tokio::sync::Mutex<State>,
    health: Health,
}

/// The current connection, if any, and when the last one failed.
#[derive(Default)]
struct State {
    current: Option<(u64, Connection)>,
    generation: u64,
    last_failure: Option<Instant>,
}

/// Why a command got no answer.
#[derive(Debug)]
pub(crate) enum ConnectionError {
    /// A connection failed less than the reconnect interval ago: no attempt was made.
    Waiting,
    /// No connection within the connect timeout.
    ConnectTimeout(Duration),
    /// No answer within the command timeout.
    CommandTimeout(Duration),
    /// Redis or the connection reported an error.
    Redis(RedisError),
}

impl std::fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Waiting => f.write_str(
                "redis is unavailable (next connection attempt after the reconnect interval)",
            ),
            Self::ConnectTimeout(t) => write!(f, "redis did not accept a connection within {t:?}"),
            Self::CommandTimeout(t) => write!(f, "redis did not answer within {t:?}"),
            Self::Redis(e) => write!(f, "redis: {e}"),
        }
    }
}

impl std::error::Error for ConnectionError {}

impl ConnectionError {
    /// The `kind` label of the store error metric.
    fn kind(&self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::ConnectTimeout(_) | Self::CommandTimeout(_) => "timeout",
            Self::Redis(_) => "error",
        }
    }
}

/// Whether `e` may have broken the connection (rather than being Redis's answer); a server
/// that is no longer a master (`READONLY`, after a Sentinel failover) or a cluster that is
/// down counts too: the next connection finds the current master and slots again.
fn breaks_connection(e: &RedisError) -> bool {
    e.is_io_error()
        || e.is_connection_dropped()
        || e.is_timeout()
        || e.is_unrecoverable_error()
        || matches!(
            e.kind(),
            ErrorKind::ReadOnly | ErrorKind::ClusterDown | ErrorKind::MasterDown
        )
}

impl RedisConnection {
    /// Nothing is connected yet. A zero `reconnect_interval` reconnects on the next command.
    pub(crate) fn new(
        store: &'static str,
        servers: RedisServers,
        connect_timeout: Duration,
        command_timeout: Duration,
        reconnect_interval: Duration,
    ) -> Self {
        Self {
            servers,
            connect_timeout,
            command_timeout,
            reconnect_interval,
            state: tokio::sync::Mutex::new(State::default()),
            health: Health::new(store),
        }
    }

    /// Where Redis is (to make another connection with other settings).
    #[cfg(any(feature = "redis-blocklist", feature = "redis-throttle"))]
    pub(crate) fn servers(&self) -> &RedisServers {
        &self.servers
    }

    /// The connect timeout.
    #[cfg(feature = "redis-session")]
    pub(crate) fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The command timeout.
    #[cfg(feature = "redis-session")]
    pub(crate) fn command_timeout(&self) -> Duration {
        self.command_timeout
    }

    /// The reconnect interval.
    #[cfg(feature = "redis-session")]
    pub(crate) fn reconnect_interval(&self) -> Duration {
        self.reconnect_interval
    }

    /// The current connection, or a new one if the schedule allows an attempt now (one
    /// attempt at a time: others wait for its outcome).
    async fn connection(&self) -> Result<(u64, Connection), ConnectionError> {
        let mut state = self.state.lock().await;
        if let Some(c) = &state.current {
            return Ok(c.clone());
        }
        if let Some(t) = state.last_failure
            && t.elapsed() < self.reconnect_interval
        {
            return Err(ConnectionError::Waiting);
        }
        let attempt = self
            .servers
            .connect(self.connect_timeout, self.command_timeout);
        match tokio::time::timeout(self.connect_timeout, attempt).await {
            Ok(Ok(c)) => {
                state.generation += 1;
                state.current = Some((state.generation, c.clone()));
                state.last_failure = None;
                Ok((state.generation, c))
            }
            Ok(Err(e)) => {
                state.last_failure = Some(Instant::now());
                Err(ConnectionError::Redis(e))
            }
            Err(_) => {
                state.last_failure = Some(Instant::now());
                Err(ConnectionError::ConnectTimeout(self.connect_timeout))
            }
        }
    }

    /// Drops connection `generation` (unless a newer one replaced it already).
    async fn forget(&self, generation: u64) {
        let mut state = self.state.lock().await;
        if state
            .current
            .as_ref()
            .is_some_and(|(g, _)| *g == generation)
        {
            state.current = None;
            state.last_failure = Some(Instant::now());
        }
    }

    /// Runs `op` on the connection within the command timeout, and the whole (waiting for
    /// the connection included) within `total` when given; a timeout or an error that may have
    /// broken the connection drops it.
    async fn run<T, F>(
        &self,
        total: Option<Duration>,
        op: impl FnOnce(Connection) -> F,
    ) -> Result<T, ConnectionError>
    where
        F: Future<Output = Result<T, RedisError>>,
    {
        let start = Instant::now();
        let result = self.run_once(total, op).await;
        match &result {
            Ok(_) => self.health.ok(start.elapsed()),
            Err(e) => self.health.failed(e.kind(), e),
        }
        result
    }

    /// One timer per call: with `total`, one timeout around waiting for the connection and
    /// the command together; without, one around the command (connecting is bounded by the
    /// connect timeout). The connection itself has no response timeout of its own.
    async fn run_once<T, F>(
        &self,
        total: Option<Duration>,
        op: impl FnOnce(Connection) -> F,
    ) -> Result<T, ConnectionError>
    where
        F: Future<Output = Result<T, RedisError>>,
    {
        // the connection to drop if the call breaks it (0: none yet). A cluster connection
        // reconnects to each node by itself: making it again would wait on every node, so one
        // node that hangs would stop the others' slots too; it is never dropped.
        let used = AtomicU64::new(0);
        let limit = total.unwrap_or(self.command_timeout);
        let outcome = match total {
            Some(total) => {
                let call = async {
                    let (generation, conn) = self.connection().await?;
                    if !conn.heals_itself() {
                        used.store(generation, Ordering::Relaxed);
                    }
                    op(conn).await.map_err(ConnectionError::Redis)
                };
                tokio::time::timeout(total, call).await
            }
            None => {
                let (generation, conn) = self.connection().await?;
                if !conn.heals_itself() {
                    used.store(generation, Ordering::Relaxed);
                }
                tokio::time::timeout(limit, op(conn))
                    .await
                    .map(|r| r.map_err(ConnectionError::Redis))
            }
        };
        let broken = match &outcome {
            Ok(Err(ConnectionError::Redis(e))) => breaks_connection(e),
            Ok(_) => false,
            Err(_) => true,
        };
        let generation = used.load(Ordering::Relaxed);
        if broken && generation != 0 {
            self.forget(generation).await;
        }
        outcome.unwrap_or(Err(ConnectionError::CommandTimeout(limit)))
    }

    #[cfg(any(feature = "redis-session", feature = "redis-blocklist"))]
    /// Sends `cmd`; with `total`, the whole call (connecting included) ends within it.
    pub(crate) async fn query<T: FromRedisValue>(
        &self,
        cmd: &Cmd,
        total: Option<Duration>,
    ) -> Result<T, ConnectionError> {
        self.run(total, |mut conn| async move {
            cmd.query_async::<T>(&mut conn).await
        })
        .await
    }

    #[cfg(feature = "redis-throttle")]
    /// Calls `script` (by its SHA-1, loading it first if Redis does not know it) with `key`
    /// and `args`, the whole call (connecting included) within `total`.
    pub(crate) async fn invoke<T: FromRedisValue>(
        &self,
        script: &Script,
        key: &str,
        args: &[u64],
        total: Duration,
    ) -> Result<T, ConnectionError> {
        self.run(Some(total), |mut conn| async move {
            let mut invocation = script.key(key);
            for a in args {
                invocation.arg(*a);
            }
            invocation.invoke_async::<T>(&mut conn).await
        })
        .await
    }
}
