//! What the Redis stores (sessions, the JWT blocklist, the throttle) share: one lazily made
//! connection with its timeouts and reconnect schedule.

mod connection;

pub(crate) use connection::RedisConnection;
