//! Where the Redis stores (sessions, the JWT blocklist, the throttle) find Redis
//! ([`RedisServers`]: one server, a Redis Cluster, or Sentinel's master), and what they share:
//! one lazily made connection with its timeouts and reconnect schedule.

// (the blocking connections are the JWT blocklist's, for sync endpoints)
#[cfg_attr(not(feature = "redis-blocklist"), allow(dead_code))]
mod blocking;
#[cfg(all(feature = "redis-blocklist", feature = "redis-cluster"))]
mod bridge;
mod connection;
#[cfg(feature = "redis-sentinel")]
#[cfg_attr(not(feature = "redis-blocklist"), allow(dead_code))]
mod sentinel_sync;
mod servers;

#[cfg(all(feature = "redis-blocklist", feature = "redis-cluster"))]
pub(crate) use bridge::query_blocking;
pub(crate) use connection::RedisConnection;
pub use servers::RedisServers;
