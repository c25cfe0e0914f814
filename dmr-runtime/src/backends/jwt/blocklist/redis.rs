//! [`RedisBlocklist`]: revoked entries in Redis, shared by every server, one key per entry
//! with a TTL, and an epoch marker that tells when Redis lost them.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use std::io::Write as _;

use redis::{Cmd, ConnectionLike, FromRedisValue, RedisWrite as _};

use super::{BlocklistError, BlocklistStore, Entry, StoreFuture};
use crate::backends::jwt::token::unix_now;
use crate::redis::{RedisConnection, RedisServers};

/// Idle blocking connections kept for sync endpoints.
const MAX_IDLE: usize = 16;

/// A check in one round trip: the epoch marker (`KEYS[1]`, written with `ARGV[1]`, the time
/// now, when it is missing) and whether any of the entries (`KEYS[2..]`) exists. Returns one
/// integer, `epoch * 4 + 2 * (an entry exists) + (the marker was written)` (see [`Answer`]):
/// the cheapest reply to read (a single integer, no array).
const CHECK: &str = "\
local epoch = redis.call('GET', KEYS[1])
local written = 0
if not epoch then
  redis.call('SET', KEYS[1], ARGV[1])
  epoch = ARGV[1]
  written = 1
end
local found = 0
if #KEYS > 1 and redis.call('EXISTS', unpack(KEYS, 2)) > 0 then
  found = 2
end
return tonumber(epoch) * 4 + found + written";

/// The [`CHECK`] script's answer, unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Answer {
    epoch: i64,
    found: bool,
    written: bool,
}

impl Answer {
    fn unpack(packed: i64) -> Self {
        Self {
            epoch: packed.div_euclid(4),
            found: packed.rem_euclid(4) & 2 != 0,
            written: packed.rem_euclid(4) & 1 != 0,
        }
    }
}

/// No epoch seen yet by this process.
const UNSEEN: i64 = i64::MIN;

/// A [`BlocklistStore`] in Redis: servers sharing it see each other's revocations.
///
/// Each entry is one key, `<prefix>jti:<jti>` or `<prefix>fam:<family>` (default prefix
/// `dmr:jwt:`), set with `SET .. NX EX <seconds left>`: Redis forgets it when the token would
/// have expired, and of two concurrent revocations exactly one is told it revoked the entry.
///
/// **A Redis that comes back empty.** Beside the entries lives an epoch marker,
/// `<prefix>epoch`: the Unix time it was written, with no TTL. It is written when the
/// application starts ([`Blocklist::new`](super::Blocklist::new) calls
/// [`BlocklistStore::start`]), and a check ([`BlocklistStore::refuses`]: every JWT auth and
/// credential view) is one Lua script, one round trip, that reads the marker together with
/// the token's entries. If the marker is missing, Redis lost its data (a restart without
/// persistence, a `FLUSHALL`, an eviction): the script writes a new one with the time now,
/// and from then on every token issued before that time (`iat` earlier than the marker) is
/// refused with 401 until it expires, since its revocation may be among the lost ones. A
/// warning is logged. Fail closed: after a loss every user logs in again (tokens issued
/// after the new marker are accepted), rather than a stolen, revoked token being accepted.
/// With persistence that survives a restart (`appendonly yes` with `appendfsync always`, or
/// `everysec` accepting up to a second of lost writes, marker and entries alike) and a
/// `maxmemory-policy` of `noeviction`, the marker is never missing and this never triggers.
/// What it cannot see: a partial loss that keeps the marker (a replica promoted before it
/// received the latest revocations).
///
/// On a Redis Cluster ([`on`](Self::on) with `RedisServers::cluster`) the prefix becomes a
/// hash tag (`{dmr:jwt:}jti:<jti>`, unless the prefix holds a `{..}` already): every entry is
/// in one slot, so a check of several keys is one command on one master.
///
/// Every operation is bounded by [`timeout`](Self::timeout) (default 250 ms, connecting
/// included). Nothing is connected up front: a connection is made on first use and dropped
/// after a timeout or a connection error, so the store reconnects by itself when Redis is
/// back; meanwhile every operation fails (503 from the auth: fail closed).
///
/// ```
/// use std::time::Duration;
/// use dmr_runtime::backends::jwt::blocklist::RedisBlocklist;
///
/// let store = RedisBlocklist::new("redis://127.0.0.1:6379")
///     .unwrap()
///     .prefix("myapp:jwt:")
///     .timeout(Duration::from_millis(100));
/// # let _ = store;
/// assert!(RedisBlocklist::new("not a url").is_err());
/// ```
pub struct RedisBlocklist {
    prefix: String,
    timeout: Duration,
    /// The async endpoints' connection (connecting and each command bounded by `timeout`).
    shared: Arc<RedisConnection>,
    idle: Mutex<Vec<Box<dyn ConnectionLike + Send>>>,
    /// The last epoch this process saw (or [`UNSEEN`]).
    epoch: AtomicI64,
}

impl std::fmt::Debug for RedisBlocklist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBlocklist")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

fn failed(e: impl std::fmt::Display) -> BlocklistError {
    BlocklistError::new(format!("redis: {e}"))
}

impl RedisBlocklist {
    /// A store on the Redis at `url` (`redis://host:port/db`); only the URL is checked here.
    pub fn new(url: &str) -> Result<Self, BlocklistError> {
        Ok(Self::on(RedisServers::single(url).map_err(failed)?))
    }

    /// A store on `servers`: one server, a Redis Cluster or the master that Sentinel names.
    ///
    /// ```no_run
    /// use dmr_runtime::backends::jwt::blocklist::RedisBlocklist;
    /// use dmr_runtime::redis::RedisServers;
    ///
    /// // or RedisServers::cluster([..]), RedisServers::sentinel([..], "mymaster")
    /// let servers = RedisServers::single("redis://10.0.0.1:6379").unwrap();
    /// let store = RedisBlocklist::on(servers).prefix("myapp:jwt:");
    /// # let _ = store;
    /// ```
    pub fn on(servers: RedisServers) -> Self {
        let timeout = Duration::from_millis(250);
        Self {
            prefix: servers.one_slot("dmr:jwt:"),
            timeout,
            shared: shared(servers, timeout),
            idle: Mutex::new(Vec::new()),
            epoch: AtomicI64::new(UNSEEN),
        }
    }

    /// The prefix of every key (default `dmr:jwt:`; on a cluster, made a hash tag).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = self.shared.servers().one_slot(&prefix.into());
        self
    }

    /// The bound on each operation, connecting included (default 250 ms).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self.shared = shared(self.shared.servers().clone(), timeout);
        self
    }

    /// Writes `<prefix><tag>:<id>`, the key of `entry`, as the next argument of `cmd`, in
    /// place (no string of its own: on every check).
    fn key_arg(&self, cmd: &mut Cmd, entry: &Entry<'_>) {
        let (tag, id) = entry.parts();
        let mut arg = cmd.writer_for_next_arg();
        // writing to the command's buffer cannot fail
        let _ = arg
            .write_all(self.prefix.as_bytes())
            .and_then(|()| arg.write_all(tag.as_bytes()))
            .and_then(|()| arg.write_all(b":"))
            .and_then(|()| arg.write_all(id.as_bytes()));
    }

    /// The bytes the keys of `entries` take.
    fn keys_len(&self, entries: &[Entry<'_>]) -> usize {
        entries
            .iter()
            .map(|e| self.prefix.len() + e.parts().0.len() + 1 + e.parts().1.len())
            .sum()
    }

    fn exists(&self, entries: &[Entry<'_>]) -> Cmd {
        let mut cmd = Cmd::with_capacity(1 + entries.len(), 6 + self.keys_len(entries));
        cmd.arg("EXISTS");
        for e in entries {
            self.key_arg(&mut cmd, e);
        }
        cmd
    }

    /// The [`CHECK`] script for `entries`, writing `now` as the epoch if there is none: one
    /// buffer sized for the whole command, the keys written into it.
    fn check(&self, entries: &[Entry<'_>], now: i64) -> Cmd {
        let args = 5 + entries.len();
        let bytes = 4 + CHECK.len() + 2 * 20 + self.prefix.len() + 5 + self.keys_len(entries);
        let mut cmd = Cmd::with_capacity(args, bytes);
        cmd.arg("EVAL").arg(CHECK).arg(1 + entries.len());
        let mut epoch = cmd.writer_for_next_arg();
        let _ = epoch
            .write_all(self.prefix.as_bytes())
            .and_then(|()| epoch.write_all(b"epoch"));
        drop(epoch);
        for e in entries {
            self.key_arg(&mut cmd, e);
        }
        cmd.arg(now);
        cmd
    }

    /// Whether a token issued at `issued_at` is refused, given the script's answer.
    fn judge(&self, packed: i64, issued_at: i64) -> bool {
        let Answer {
            epoch,
            found,
            written,
        } = Answer::unpack(packed);
        let seen = self.epoch.swap(epoch, Ordering::Relaxed);
        if written && seen != UNSEEN {
            crate::observe::flood::gated!(
                warn,
                "blocklist_epoch",
                epoch,
                "the Redis blocklist's epoch marker was missing: Redis lost its data (restart \
                 without persistence, flush or eviction); tokens issued before the new marker \
                 are refused until they expire"
            );
        }
        found || issued_at < epoch
    }

    fn set_nx(&self, entry: &Entry<'_>, until: i64) -> Cmd {
        let ttl = until.saturating_sub(unix_now()).max(1);
        let mut cmd = redis::cmd("SET");
        self.key_arg(&mut cmd, entry);
        cmd.arg(1).arg("NX").arg("EX").arg(ttl);
        cmd
    }

    /// Runs `cmd` on a blocking connection (an idle one, or a new one); on a cluster, from a
    /// blocking pool, through the shared async connection instead.
    fn run_blocking<T: FromRedisValue + Send + 'static>(
        &self,
        cmd: &Cmd,
    ) -> Result<T, BlocklistError> {
        #[cfg(feature = "redis-cluster")]
        if let Some(result) = crate::redis::query_blocking(&self.shared, cmd, self.timeout) {
            return result.map_err(|e| BlocklistError::new(e.to_string()));
        }
        let pooled = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut con = match pooled {
            Some(con) => con,
            None => self
                .shared
                .servers()
                .connect_blocking(self.timeout)
                .map_err(failed)?,
        };
        // an error drops the connection: the next call opens a fresh one
        let value = cmd.query::<T>(&mut *con).map_err(failed)?;
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < MAX_IDLE
        {
            idle.push(con);
        }
        Ok(value)
    }

    /// Runs `cmd` on the shared connection, connecting included within the timeout; a
    /// failure drops the connection so that the next call reconnects.
    async fn run_async<T: FromRedisValue>(&self, cmd: Cmd) -> Result<T, BlocklistError> {
        self.shared
            .query(&cmd, Some(self.timeout))
            .await
            .map_err(|e| BlocklistError::new(e.to_string()))
    }
}

/// The shared async connection: connecting and each command bounded by `timeout`, a new
/// attempt at once after a failure.
fn shared(servers: RedisServers, timeout: Duration) -> Arc<RedisConnection> {
    Arc::new(RedisConnection::new(
        "redis.blocklist",
        servers,
        timeout,
        timeout,
        Duration::ZERO,
    ))
}

impl BlocklistStore for RedisBlocklist {
    fn refuses(&self, entries: &[Entry<'_>], issued_at: i64) -> Result<bool, BlocklistError> {
        let answer = self.run_blocking(&self.check(entries, unix_now()))?;
        Ok(self.judge(answer, issued_at))
    }

    fn refuses_async<'a>(
        &'a self,
        entries: &'a [Entry<'a>],
        issued_at: i64,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let answer = self.run_async(self.check(entries, unix_now())).await?;
            Ok(self.judge(answer, issued_at))
        })
    }

    /// Writes the epoch marker if there is none (best effort, within the timeout: a Redis
    /// that does not answer now gets its marker from the first check).
    fn start(&self) {
        match self.run_blocking::<i64>(&self.check(&[], unix_now())) {
            Ok(packed) => self
                .epoch
                .store(Answer::unpack(packed).epoch, Ordering::Relaxed),
            Err(e) => crate::observe::flood::gated!(
                warn,
                "blocklist_start",
                "the Redis blocklist could not write its epoch marker at start (the first \
                 check will): {e}"
            ),
        }
    }

    fn contains_any(&self, entries: &[Entry<'_>]) -> Result<bool, BlocklistError> {
        if entries.is_empty() {
            return Ok(false);
        }
        Ok(self.run_blocking::<u64>(&self.exists(entries))? > 0)
    }

    fn insert(&self, entry: Entry<'_>, until: i64) -> Result<bool, BlocklistError> {
        Ok(self
            .run_blocking::<Option<String>>(&self.set_nx(&entry, until))?
            .is_some())
    }

    fn contains_any_async<'a>(&'a self, entries: &'a [Entry<'a>]) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            if entries.is_empty() {
                return Ok(false);
            }
            Ok(self.run_async::<u64>(self.exists(entries)).await? > 0)
        })
    }

    fn insert_async<'a>(&'a self, entry: Entry<'a>, until: i64) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let set = self
                .run_async::<Option<String>>(self.set_nx(&entry, until))
                .await?;
            Ok(set.is_some())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Answer;

    #[test]
    fn the_check_answer_unpacks_epoch_found_and_written() {
        let unpack = |epoch: i64, found: bool, written: bool| {
            Answer::unpack(epoch * 4 + 2 * i64::from(found) + i64::from(written))
        };
        for epoch in [0, 1, 1_767_000_000, -5] {
            for (found, written) in [(false, false), (true, false), (false, true), (true, true)] {
                let answer = Answer {
                    epoch,
                    found,
                    written,
                };
                assert_eq!(unpack(epoch, found, written), answer);
            }
        }
    }
}
