//! The per-user index of [`RedisSessionStore`](super::RedisSessionStore): which sessions a
//! user logged in to, so that "log out everywhere" reaches every server and one account
//! cannot keep more than its quota of sessions.
//!
//! One sorted set per user (`<keygen("user:<sha256 of the id>")>`), members the sessions'
//! Redis keys, scores the login times. A login adds its session in one script that also
//! keeps the newest `per_user` members, returns the ones it dropped (their sessions are then
//! deleted) and sets the set's TTL to the session TTL, so that a user who stops logging in
//! leaves nothing behind. Members whose session already ended (a logout, a renewed id) stay
//! until pushed out or expired: deleting them again is harmless, and they are bounded by the
//! quota.

use crate::redis::RedisConnection;

/// Adds `ARGV[1]` (a session's key) with score `ARGV[2]` (now, in milliseconds) to the set
/// `KEYS[1]`, keeps its newest `ARGV[3]` members, expires the set after `ARGV[4]` seconds,
/// and returns the members it dropped.
const ADD: &str = r"
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
local dropped = {}
if over > 0 then
  dropped = redis.call('ZRANGE', KEYS[1], 0, over - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1)
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return dropped
";

/// The index key of `user_id`, before the store's key function: the id is hashed, so that
/// no user id, whatever its bytes, can name another key.
pub(super) fn index_name(user_id: &str) -> String {
    format!("user:{}", crate::throttle::hex_sha256(user_id))
}

/// Records that the session stored under `session` belongs to the user whose index is
/// `index`; deletes the sessions beyond the newest `per_user`, and says how many.
pub(super) async fn add(
    conn: &RedisConnection,
    index: &str,
    session: &str,
    per_user: usize,
    ttl_seconds: i64,
) -> anyhow::Result<usize> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(ADD)
        .arg(1)
        .arg(index)
        .arg(session)
        .arg(now.to_string())
        .arg(per_user)
        .arg(ttl_seconds);
    let dropped: Vec<String> = conn.query(&cmd, None).await?;
    delete_each(conn, &dropped).await
}

/// Deletes every session in the index `index`, then the index; says how many sessions were
/// still there.
pub(super) async fn end_all(conn: &RedisConnection, index: &str) -> anyhow::Result<usize> {
    let members: Vec<String> = conn.query(&redis::Cmd::zrange(index, 0, -1), None).await?;
    let ended = delete_each(conn, &members).await?;
    conn.query::<i64>(&redis::Cmd::del(index), None).await?;
    Ok(ended)
}

/// Deletes each of `keys` with a command of its own (on a cluster each key may live on
/// another node); says how many existed.
async fn delete_each(conn: &RedisConnection, keys: &[String]) -> anyhow::Result<usize> {
    let mut deleted = 0;
    for key in keys {
        let n: i64 = conn.query(&redis::Cmd::del(key), None).await?;
        deleted += usize::from(n > 0);
    }
    Ok(deleted)
}
