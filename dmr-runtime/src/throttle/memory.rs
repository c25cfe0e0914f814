//! The in-memory store: a sharded map of fixed size from key hashes to counters, the smooth
//! algorithm computed by `governor` (GCRA) over it.

use std::collections::HashMap;
use std::collections::hash_map::{DefaultHasher, RandomState};
use std::hash::{BuildHasher, Hasher};
use std::net::Ipv4Addr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use governor::clock::{Clock, MonotonicClock};
use governor::middleware::StateInformationMiddleware;
use governor::nanos::Nanos;
use governor::state::StateStore;
use governor::{Quota, RateLimiter};

use super::store::{
    Algorithm, AsyncStore, Decision, HitFuture, LimiterSpec, StoreError, SyncStore, ThrottleStore,
};

const SHARDS: usize = 16;

/// Counters in this process's memory, in a map of bounded size.
///
/// At most [`MemoryStore::capacity`] keys are kept: each shard keeps a current and a previous
/// generation, and when the current one is full the previous one is dropped. Keys in use move
/// to the current generation on every request, so what is dropped is what was not seen for the
/// longest; a flood of distinct client addresses costs a fixed amount of memory (about 50
/// bytes per key) and at worst forgets the counters of quiet clients. Keys are stored as
/// 64-bit keyed hashes, never as the client's text.
///
/// Every server process counts on its own: with N servers a client gets N times the limit.
/// Use [`RedisStore`](super::RedisStore) to share the counters.
///
/// [`MemoryStore::default`] is one store shared by the whole process (100 000 keys); create
/// your own with [`MemoryStore::new`] to give some throttles a separate budget.
///
/// ```
/// use dmr_runtime::throttle::{MemoryStore, Throttle};
///
/// let store = MemoryStore::new(10_000);
/// let throttle = Throttle::per_minute(10).store(store.clone());
/// assert_eq!(store.len(), 0);
/// # let _ = throttle;
/// ```
#[derive(Clone)]
pub struct MemoryStore {
    inner: Arc<Inner>,
}

struct Inner {
    shards: Box<[Mutex<Shard>]>,
    per_generation: usize,
    hasher: RandomState,
    epoch: Instant,
    next_namespace: AtomicU64,
}

/// The keys are keyed SipHash outputs already (`Inner::hasher`), so the maps hash them again
/// with a fast unkeyed hash.
type Counters = HashMap<u64, u64, foldhash::fast::FixedState>;

#[derive(Default)]
struct Shard {
    current: Counters,
    previous: Counters,
}

/// The capacity of [`MemoryStore::default`].
pub const DEFAULT_CAPACITY: usize = 100_000;

impl Default for MemoryStore {
    fn default() -> Self {
        static SHARED: OnceLock<MemoryStore> = OnceLock::new();
        SHARED.get_or_init(|| Self::new(DEFAULT_CAPACITY)).clone()
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("capacity", &self.capacity())
            .field("len", &self.len())
            .finish()
    }
}

impl MemoryStore {
    /// A store of its own keeping at most `capacity` keys (at least 2).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(2);
        let shards = SHARDS.min(capacity / 2).max(1);
        let per_generation = (capacity / (2 * shards)).max(1);
        Self {
            inner: Arc::new(Inner {
                shards: (0..shards).map(|_| Mutex::default()).collect(),
                per_generation,
                hasher: RandomState::new(),
                epoch: Instant::now(),
                next_namespace: AtomicU64::new(1),
            }),
        }
    }

    /// The most keys it keeps.
    pub fn capacity(&self) -> usize {
        self.inner.shards.len() * 2 * self.inner.per_generation
    }

    /// The keys it holds now.
    pub fn len(&self) -> usize {
        self.inner
            .shards
            .iter()
            .map(|s| {
                s.lock()
                    .map(|s| s.current.len() + s.previous.len())
                    .unwrap_or(0)
            })
            .sum()
    }

    /// Whether it holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn now_ms(&self) -> u64 {
        let elapsed = self.inner.epoch.elapsed();
        elapsed
            .as_secs()
            .saturating_mul(1000)
            .saturating_add(u64::from(elapsed.subsec_millis()))
    }

    /// Counts one request from `addr` (the default key, without writing it as text): the
    /// same counter as [`SyncStore::hit`] with the address's text.
    pub(crate) fn hit_ipv4(
        &self,
        limiter: &MemoryLimiter,
        addr: Ipv4Addr,
    ) -> Result<Decision, StoreError> {
        self.decide(limiter, limiter.ipv4_key(addr))
    }

    fn decide(&self, limiter: &MemoryLimiter, hashed: u64) -> Result<Decision, StoreError> {
        let limit = limiter.limit;
        Ok(match &limiter.algorithm {
            LimiterKind::Window { period_ms } => {
                let now = self.now_ms();
                let window = now / period_ms;
                let reset = Duration::from_millis(period_ms - now % period_ms);
                let count = self.inner.update(hashed, |old| {
                    let count = match old {
                        Some(v) if v >> 32 == window & 0xffff_ffff => (v & 0xffff_ffff) + 1,
                        _ => 1,
                    };
                    let stored = count.min(u64::from(limit) + 1);
                    Ok::<_, StoreError>((count, ((window & 0xffff_ffff) << 32) | stored))
                })?;
                let allowed = count <= u64::from(limit);
                Decision {
                    allowed,
                    limit,
                    remaining: u32::try_from(u64::from(limit).saturating_sub(count)).unwrap_or(0),
                    reset,
                    retry_after: if allowed { Duration::ZERO } else { reset },
                }
            }
            LimiterKind::Smooth { gcra, interval } => match gcra.check_key(&hashed) {
                Ok(snapshot) => {
                    let remaining = snapshot.remaining_burst_capacity();
                    Decision {
                        allowed: true,
                        limit,
                        remaining,
                        reset: *interval * (limit - remaining.min(limit)),
                        retry_after: Duration::ZERO,
                    }
                }
                Err(not_until) => {
                    let wait = not_until.wait_time_from(gcra.clock().now());
                    Decision {
                        allowed: false,
                        limit,
                        remaining: 0,
                        reset: *interval * limit,
                        retry_after: wait,
                    }
                }
            },
        })
    }
}

impl Inner {
    /// Reads the counter of `key`, lets `f` decide, stores what it returns.
    fn update<T, E>(
        &self,
        key: u64,
        f: impl FnOnce(Option<u64>) -> Result<(T, u64), E>,
    ) -> Result<T, E> {
        // (the shard count is a power of two)
        let shard = &self.shards[key as usize & (self.shards.len() - 1)];
        let mut shard = shard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // a key in use: one look-up, updated in place
        if let Some(slot) = shard.current.get_mut(&key) {
            let (out, new) = f(Some(*slot))?;
            *slot = new;
            return Ok(out);
        }
        let old = shard.previous.remove(&key);
        let (out, new) = match f(old) {
            Ok((out, new)) => (Ok(out), Some(new)),
            Err(e) => (Err(e), old),
        };
        if let Some(new) = new {
            if shard.current.len() >= self.per_generation {
                shard.previous = std::mem::take(&mut shard.current);
            }
            shard.current.insert(key, new);
        }
        out
    }
}

/// A view of the store for `governor`: it keeps its GCRA state in our bounded map.
#[doc(hidden)]
pub struct GcraState(Arc<Inner>);

impl StateStore for GcraState {
    type Key = u64;

    fn measure_and_replace<T, F, E>(&self, key: &u64, f: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        self.0.update(*key, |old| {
            f(old.map(Nanos::from)).map(|(t, n)| (t, n.as_u64()))
        })
    }
}

type Gcra = RateLimiter<u64, GcraState, MonotonicClock, StateInformationMiddleware>;

/// One throttle's limiter on one endpoint, in a [`MemoryStore`].
#[doc(hidden)]
pub struct MemoryLimiter {
    /// The store's keyed SipHash with this limiter's namespace written: each request hashes
    /// only its key value.
    seeded: DefaultHasher,
    limit: u32,
    algorithm: LimiterKind,
}

/// The top byte of the `u64` an IPv4 address is hashed as (its four bytes below). A text key
/// is hashed as its bytes and `0xff` (`str`'s `Hash`): one ends in `0xfe`, the other in
/// `0xff`, so the two never give the same input.
const IPV4_TAG: u64 = 0xfe << 56;

impl MemoryLimiter {
    /// The stored key of a text value. A value that is an IPv4 address in its one canonical
    /// form (what `Ipv4Addr`'s `Display` writes: the client address key) is hashed as the
    /// address, so a client counts on one counter whichever way its address arrives.
    fn text_key(&self, value: &str) -> u64 {
        if let Some(addr) = canonical_ipv4(value) {
            return self.ipv4_key(addr);
        }
        let mut h = self.seeded.clone();
        h.write(value.as_bytes());
        h.write_u8(0xff);
        h.finish()
    }

    fn ipv4_key(&self, addr: Ipv4Addr) -> u64 {
        let mut h = self.seeded.clone();
        // one write of eight bytes (SipHash's block): the cheapest input on every request
        h.write_u64(IPV4_TAG | u64::from(addr.to_bits()));
        h.finish()
    }
}

/// `value` as an IPv4 address when it is one written as `Display` writes it (std's parser
/// takes exactly four decimal octets without leading zeros: nothing else round-trips).
fn canonical_ipv4(value: &str) -> Option<Ipv4Addr> {
    if value.len() > 15 || !value.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    value.parse().ok()
}

enum LimiterKind {
    Window { period_ms: u64 },
    Smooth { gcra: Box<Gcra>, interval: Duration },
}

impl ThrottleStore for MemoryStore {
    type Limiter = MemoryLimiter;

    fn name(&self) -> &'static str {
        "memory"
    }

    fn limiter(&self, spec: &LimiterSpec) -> MemoryLimiter {
        // A namespace per limiter: two APIs built in one process never share counters, and
        // governor's times are relative to its own limiter.
        let namespace = self.inner.next_namespace.fetch_add(1, Ordering::Relaxed);
        let mut seeded = self.inner.hasher.build_hasher();
        seeded.write_u64(namespace);
        let limit = spec.rate.max();
        let period = spec.rate.period();
        let algorithm = match spec.algorithm {
            Algorithm::FixedWindow => LimiterKind::Window {
                period_ms: u64::try_from(period.as_millis()).unwrap_or(u64::MAX).max(1),
            },
            Algorithm::Smooth => {
                let interval = (period / limit).max(Duration::from_nanos(1));
                let burst = NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN);
                let quota = Quota::with_period(interval)
                    .unwrap_or_else(|| Quota::per_second(burst))
                    .allow_burst(burst);
                let gcra = Gcra::new(quota, GcraState(Arc::clone(&self.inner)), MonotonicClock);
                LimiterKind::Smooth {
                    gcra: Box::new(gcra),
                    interval,
                }
            }
        };
        MemoryLimiter {
            seeded,
            limit,
            algorithm,
        }
    }
}

impl SyncStore for MemoryStore {
    fn hit(&self, limiter: &MemoryLimiter, key: &str) -> Result<Decision, StoreError> {
        self.decide(limiter, limiter.text_key(key))
    }

    fn blocks(&self) -> bool {
        false
    }
}

impl AsyncStore for MemoryStore {
    fn hit<'a>(&'a self, limiter: &'a MemoryLimiter, key: &'a str) -> HitFuture<'a> {
        Box::pin(std::future::ready(SyncStore::hit(self, limiter, key)))
    }

    fn hit_now(&self, limiter: &MemoryLimiter, key: &str) -> Option<Result<Decision, StoreError>> {
        Some(SyncStore::hit(self, limiter, key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::throttle::Rate;

    fn spec(rate: Rate, algorithm: Algorithm) -> LimiterSpec {
        LimiterSpec {
            rate,
            algorithm,
            namespace: "t".into(),
        }
    }

    #[test]
    fn fixed_window_counts_to_the_limit() {
        let store = MemoryStore::new(100);
        let l = store.limiter(&spec(Rate::per_minute(3), Algorithm::FixedWindow));
        let hits: Vec<Decision> = (0..4)
            .map(|_| SyncStore::hit(&store, &l, "a").unwrap())
            .collect();
        assert_eq!(
            hits.iter()
                .map(|d| (d.allowed, d.remaining))
                .collect::<Vec<_>>(),
            [(true, 2), (true, 1), (true, 0), (false, 0)]
        );
        assert!(hits[3].retry_after > Duration::ZERO);
        assert!(SyncStore::hit(&store, &l, "b").unwrap().allowed);
    }

    #[test]
    fn an_address_counts_on_one_counter_as_text_or_as_bytes() {
        let store = MemoryStore::new(100);
        let l = store.limiter(&spec(Rate::per_minute(10), Algorithm::FixedWindow));
        let addr = Ipv4Addr::new(192, 0, 2, 7);
        assert_eq!(store.hit_ipv4(&l, addr).unwrap().remaining, 9);
        assert_eq!(
            SyncStore::hit(&store, &l, "192.0.2.7").unwrap().remaining,
            8
        );
        assert_eq!(store.hit_ipv4(&l, addr).unwrap().remaining, 7);
        // other texts are other keys: not the canonical form, or not an address
        for other in [
            "192.0.2.07",
            "192.0.2.7 ",
            "0192.0.2.7",
            "::ffff:192.0.2.7",
            "c000:0207",
        ] {
            assert_eq!(
                SyncStore::hit(&store, &l, other).unwrap().remaining,
                9,
                "{other}"
            );
        }
        // another limiter of the same store counts on its own
        let l2 = store.limiter(&spec(Rate::per_minute(10), Algorithm::FixedWindow));
        assert_eq!(store.hit_ipv4(&l2, addr).unwrap().remaining, 9);
    }

    #[test]
    fn only_what_display_writes_is_read_as_an_address() {
        for text in ["0.0.0.0", "1.2.3.4", "255.255.255.255", "10.0.195.79"] {
            let addr = canonical_ipv4(text).unwrap();
            assert_eq!(addr.to_string(), text);
        }
        for text in [
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1.2.3.4/8",
            "",
            "a.b.c.d",
        ] {
            assert_eq!(canonical_ipv4(text), None, "{text}");
        }
    }

    #[test]
    fn smooth_allows_the_burst_then_refuses() {
        let store = MemoryStore::new(100);
        let l = store.limiter(&spec(Rate::per_minute(2), Algorithm::Smooth));
        assert!(SyncStore::hit(&store, &l, "a").unwrap().allowed);
        assert!(SyncStore::hit(&store, &l, "a").unwrap().allowed);
        let refused = SyncStore::hit(&store, &l, "a").unwrap();
        assert!(!refused.allowed);
        assert!(refused.retry_after > Duration::from_secs(20));
    }

    #[test]
    fn never_holds_more_than_its_capacity() {
        let store = MemoryStore::new(1000);
        let l = store.limiter(&spec(Rate::per_minute(3), Algorithm::Smooth));
        for i in 0..50_000 {
            SyncStore::hit(&store, &l, &format!("10.0.{}.{}", i / 256, i % 256)).unwrap();
        }
        assert!(store.len() <= store.capacity(), "{}", store.len());
        assert!(store.capacity() <= 1000);
        // the most recent key is still counted
        assert!(SyncStore::hit(&store, &l, "10.0.195.79").unwrap().remaining < 2);
    }
}
