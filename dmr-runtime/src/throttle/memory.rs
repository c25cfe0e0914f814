//! The in-memory store: a sharded map of fixed size from key hashes to counters, the smooth
//! algorithm computed by `governor` (GCRA) over it.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
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

    fn key(&self, namespace: u64, value: &str) -> u64 {
        self.inner.hasher.hash_one((namespace, value))
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.inner.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

impl Inner {
    /// Reads the counter of `key`, lets `f` decide, stores what it returns.
    fn update<T, E>(
        &self,
        key: u64,
        f: impl FnOnce(Option<u64>) -> Result<(T, u64), E>,
    ) -> Result<T, E> {
        let shard = &self.shards[(key % self.shards.len() as u64) as usize];
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
    namespace: u64,
    limit: u32,
    algorithm: LimiterKind,
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
            namespace,
            limit,
            algorithm,
        }
    }
}

impl SyncStore for MemoryStore {
    fn hit(&self, limiter: &MemoryLimiter, key: &str) -> Result<Decision, StoreError> {
        let hashed = self.key(limiter.namespace, key);
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
