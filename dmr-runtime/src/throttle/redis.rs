//! The Redis store: one limit shared by every server, each check one round trip running a
//! server-side Lua script (atomic), under a timeout.

use std::sync::Arc;
use std::time::Duration;

use super::store::{
    Algorithm, AsyncStore, Decision, HitFuture, LimiterSpec, StoreError, ThrottleStore,
};
use crate::redis::{RedisConnection, RedisServers};

/// Fixed window: count, start the window's expiry on the first hit; returns the count and the
/// milliseconds left in the window.
const FIXED_WINDOW: &str = r"
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
";

/// GCRA on the server's clock (microseconds). ARGV: emission interval, burst. Returns
/// {allowed, remaining, retry_after, reset}, times in microseconds.
const SMOOTH: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tolerance = interval * (burst - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if now < tat - tolerance then
  return {0, 0, tat - tolerance - now, tat - now}
end
local new_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
return {1, math.floor((now + tolerance - tat) / interval), 0, new_tat - now}
";

/// Counters in Redis (or any Redis-compatible server), shared by every server of the API.
///
/// Each check is one round trip: a Lua script (sent once, then called by its hash) that
/// counts and decides atomically, so concurrent servers never over-admit. Every call has a
/// timeout (500 ms by default, [`RedisStore::timeout`]); a server that is down or slow gives
/// the throttle's [`Outage`](super::Outage) behaviour (503 by default, never a 500), and
/// service resumes by itself when the server is back. Keys are `<prefix><operation>|<method>|
/// redis|<algorithm>|<key kind>|<limit>|<period ms>|<key value>`, with identities hashed.
///
/// On a Redis Cluster or behind Sentinel, [`on`](Self::on) takes the [`RedisServers`]: each
/// script reads and writes its one key, so it runs in that key's slot and the counters spread
/// over the cluster's masters.
///
/// ```no_run
/// use dmr_runtime::throttle::{RedisStore, Throttle};
///
/// let redis = RedisStore::new("redis://127.0.0.1:6379").unwrap().prefix("myapp:throttle:");
/// let login = Throttle::per_minute(10).smooth().store(redis.clone());
/// # let _ = login;
/// ```
#[derive(Clone)]
pub struct RedisStore {
    inner: Arc<Inner>,
}

struct Inner {
    /// The shared connection (connecting and each check bounded by `timeout`); dropped on a
    /// connection error or a timeout, so the next check reconnects.
    connection: RedisConnection,
    prefix: String,
    timeout: Duration,
    fixed_window: redis::Script,
    smooth: redis::Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.inner.prefix)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store on the server at `url` (`redis://host:port/db`); nothing is connected until the
    /// first check. Fails only on a malformed URL.
    pub fn new(url: &str) -> Result<Self, redis::RedisError> {
        Ok(Self::on(RedisServers::single(url)?))
    }

    /// A store on `servers`: one server, a Redis Cluster or the master that Sentinel names.
    ///
    /// ```no_run
    /// use dmr_runtime::redis::RedisServers;
    /// use dmr_runtime::throttle::RedisStore;
    ///
    /// // or RedisServers::cluster([..]), RedisServers::sentinel([..], "mymaster")
    /// let servers = RedisServers::single("redis://10.0.0.1:6379").unwrap();
    /// let store = RedisStore::on(servers).prefix("myapp:throttle:");
    /// # let _ = store;
    /// ```
    pub fn on(servers: RedisServers) -> Self {
        Self::build(servers, "dmr:throttle:".into(), Duration::from_millis(500))
    }

    fn build(servers: RedisServers, prefix: String, timeout: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                connection: RedisConnection::new(
                    "redis.throttle",
                    servers,
                    timeout,
                    timeout,
                    Duration::ZERO,
                ),
                prefix,
                timeout,
                fixed_window: redis::Script::new(FIXED_WINDOW),
                smooth: redis::Script::new(SMOOTH),
            }),
        }
    }

    /// The prefix of every key (default `dmr:throttle:`).
    pub fn prefix(self, prefix: impl Into<String>) -> Self {
        Self::build(
            self.inner.connection.servers().clone(),
            prefix.into(),
            self.inner.timeout,
        )
    }

    /// The longest a check may take, connecting included (default 500 ms).
    pub fn timeout(self, timeout: Duration) -> Self {
        Self::build(
            self.inner.connection.servers().clone(),
            self.inner.prefix.clone(),
            timeout,
        )
    }

    /// One check: the limiter's script for `key`, within the timeout.
    async fn check(&self, limiter: &RedisLimiter, key: &str) -> Result<Decision, StoreError> {
        let redis_key = format!("{}{}|{key}", self.inner.prefix, limiter.namespace);
        let limit = limiter.limit;
        let conn = &self.inner.connection;
        let timeout = self.inner.timeout;
        match limiter.algorithm {
            Algorithm::FixedWindow => {
                let (count, ttl_ms): (u64, i64) = conn
                    .invoke(
                        &self.inner.fixed_window,
                        &redis_key,
                        &[limiter.period_ms],
                        timeout,
                    )
                    .await
                    .map_err(StoreError::new)?;
                let reset = Duration::from_millis(u64::try_from(ttl_ms).unwrap_or(0));
                let allowed = count <= u64::from(limit);
                Ok(Decision {
                    allowed,
                    limit,
                    remaining: u32::try_from(u64::from(limit).saturating_sub(count)).unwrap_or(0),
                    reset,
                    retry_after: if allowed { Duration::ZERO } else { reset },
                })
            }
            Algorithm::Smooth => {
                let (allowed, remaining, retry_us, reset_us): (i64, i64, i64, i64) = conn
                    .invoke(
                        &self.inner.smooth,
                        &redis_key,
                        &[limiter.interval_us, u64::from(limit)],
                        timeout,
                    )
                    .await
                    .map_err(StoreError::new)?;
                let micros = |v: i64| Duration::from_micros(u64::try_from(v).unwrap_or(0));
                Ok(Decision {
                    allowed: allowed == 1,
                    limit,
                    remaining: u32::try_from(remaining).unwrap_or(0).min(limit),
                    reset: micros(reset_us),
                    retry_after: micros(retry_us),
                })
            }
        }
    }
}

/// One throttle's limiter on one endpoint, in a [`RedisStore`].
#[doc(hidden)]
pub struct RedisLimiter {
    namespace: String,
    algorithm: Algorithm,
    limit: u32,
    period_ms: u64,
    interval_us: u64,
}

impl ThrottleStore for RedisStore {
    type Limiter = RedisLimiter;

    fn name(&self) -> &'static str {
        "redis"
    }

    fn limiter(&self, spec: &LimiterSpec) -> RedisLimiter {
        let period = spec.rate.period();
        let limit = spec.rate.max();
        RedisLimiter {
            namespace: spec.namespace.clone(),
            algorithm: spec.algorithm,
            limit,
            period_ms: u64::try_from(period.as_millis()).unwrap_or(u64::MAX).max(1),
            interval_us: u64::try_from((period / limit).as_micros())
                .unwrap_or(u64::MAX)
                .max(1),
        }
    }
}

impl AsyncStore for RedisStore {
    fn hit<'a>(&'a self, limiter: &'a RedisLimiter, key: &'a str) -> HitFuture<'a> {
        Box::pin(self.check(limiter, key))
    }
}
