//! The key cache of one provider: a thread of its own fetches the keys (at startup, on the
//! refresh schedule, and when requests ask for a refetch), and requests read the last good
//! key set without waiting.
//!
//! Requests ask for a refetch when a token names an unknown `kid` or a cached key fails its
//! signature. Such a refetch happens at most once per refetch interval, and every request
//! asking while one is under way waits for that one (single flight, bounded by the fetch
//! timeouts): a flood of tokens with random `kid`s costs at most one fetch per interval, and
//! the cache holds nothing keyed by what clients send.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use super::fetch::{Fetched, Fetcher};
use super::jwks::KeySet;
use super::settings::CacheSettings;

/// Where the keys come from.
#[derive(Debug, Clone)]
pub(super) enum Source {
    /// `jwks_uri` of the issuer's discovery document.
    Discovery(String),
    /// A JWKS URL.
    Jwks(String),
}

/// What a request may verify with now.
pub(super) enum Keys {
    /// The last good key set.
    Ready(Arc<KeySet>),
    /// No key set yet, or the last one is older than the allowed staleness: 503.
    Unavailable,
}

struct State {
    keys: Option<Arc<KeySet>>,
    fetched_at: Option<Instant>,
    /// When the last fetch started (the refetch interval counts from it).
    attempted_at: Option<Instant>,
    /// A fetch is asked for or under way.
    pending: bool,
    /// Completed fetches, good or not.
    generation: u64,
    next_refresh: Instant,
    jwks_url: Option<String>,
}

struct Shared {
    source: Source,
    settings: CacheSettings,
    state: Mutex<State>,
    changed: Condvar,
    completed: tokio::sync::watch::Sender<u64>,
    fetches: AtomicU64,
}

/// A handle on one provider's key cache; clones share it. The thread stops soon after the
/// last handle is dropped.
#[derive(Clone)]
pub(super) struct KeyCache {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyCache")
            .field("source", &self.shared.source)
            .finish_non_exhaustive()
    }
}

impl KeyCache {
    /// Starts the cache's thread and waits, at most `startup_wait`, for the first fetch.
    pub(super) fn start(source: Source, settings: CacheSettings) -> std::io::Result<Self> {
        let jwks_url = match &source {
            Source::Jwks(url) => Some(url.clone()),
            Source::Discovery(_) => None,
        };
        let (completed, _) = tokio::sync::watch::channel(0);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                keys: None,
                fetched_at: None,
                attempted_at: None,
                pending: true,
                generation: 0,
                next_refresh: Instant::now(),
                jwks_url,
            }),
            source,
            changed: Condvar::new(),
            completed,
            fetches: AtomicU64::new(0),
            settings,
        });
        let weak = Arc::downgrade(&shared);
        std::thread::Builder::new()
            .name("dmr-oidc-keys".into())
            .spawn(move || run(&weak))?;
        let cache = Self { shared };
        cache.wait_sync(0, cache.shared.settings.startup_wait);
        Ok(cache)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.shared)
    }

    /// The key set requests verify with now.
    pub(super) fn keys(&self) -> Keys {
        let state = self.lock();
        match (&state.keys, state.fetched_at) {
            (Some(keys), Some(at)) if at.elapsed() <= self.shared.settings.max_stale => {
                Keys::Ready(keys.clone())
            }
            _ => Keys::Unavailable,
        }
    }

    /// Asks for a refetch unless one happened less than the refetch interval ago; returns the
    /// generation to wait past, or `None` when no refetch is coming.
    fn ask(&self) -> Option<u64> {
        let mut state = self.lock();
        if state.pending {
            return Some(state.generation);
        }
        let interval = self.shared.settings.refetch_interval;
        if state.attempted_at.is_some_and(|at| at.elapsed() < interval) {
            return None;
        }
        state.pending = true;
        self.shared.changed.notify_all();
        Some(state.generation)
    }

    /// Asks for a refetch (rate-limited) without waiting for it: a request answered 503
    /// makes the keys come sooner.
    pub(super) fn nudge(&self) {
        let _ = self.ask();
    }

    /// The longest a request waits for a refetch: a whole fetch and a little.
    fn fetch_bound(&self) -> Duration {
        let s = &self.shared.settings;
        s.connect_timeout + s.read_timeout + Duration::from_millis(250)
    }

    /// A rate-limited refetch, waited for on this thread; the key set after it, if one came.
    pub(super) fn refetch_sync(&self) -> Option<Arc<KeySet>> {
        let seen = self.ask()?;
        self.wait_sync(seen, self.fetch_bound());
        self.fresh_after(seen)
    }

    /// A rate-limited refetch, awaited; the key set after it, if one came.
    pub(super) async fn refetch(&self) -> Option<Arc<KeySet>> {
        let mut completed = self.shared.completed.subscribe();
        let seen = self.ask()?;
        let wait = completed.wait_for(|generation| *generation > seen);
        let _ = tokio::time::timeout(self.fetch_bound(), wait).await;
        self.fresh_after(seen)
    }

    fn fresh_after(&self, seen: u64) -> Option<Arc<KeySet>> {
        let state = self.lock();
        (state.generation > seen)
            .then(|| state.keys.clone())
            .flatten()
    }

    fn wait_sync(&self, seen: u64, bound: Duration) {
        let state = self.lock();
        let _ = self
            .shared
            .changed
            .wait_timeout_while(state, bound, |s| s.generation <= seen);
    }

    /// How many JWKS documents were fetched (good or not).
    pub(super) fn fetches(&self) -> u64 {
        self.shared.fetches.load(Ordering::Relaxed)
    }
}

fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    shared
        .state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The cache's thread: waits for a refetch request or the refresh time, fetches, repeats;
/// ends when every handle is gone (checked at least twice a second).
fn run(weak: &Weak<Shared>) {
    let Some(fetcher) = weak.upgrade().map(|s| Fetcher::new(&s.settings)) else {
        return;
    };
    while let Some(shared) = weak.upgrade() {
        let due = {
            let mut state = lock(&shared);
            if !state.pending && Instant::now() >= state.next_refresh {
                state.pending = true;
            }
            if !state.pending {
                let wait = state
                    .next_refresh
                    .saturating_duration_since(Instant::now())
                    .min(Duration::from_millis(500));
                state = shared
                    .changed
                    .wait_timeout_while(state, wait, |s| !s.pending)
                    .map_or_else(|e| e.into_inner().0, |r| r.0);
            }
            if state.pending {
                state.attempted_at = Some(Instant::now());
                Some(state.jwks_url.clone())
            } else {
                None
            }
        };
        if let Some(jwks_url) = due {
            // a panic while reading the provider's answer (a parser's bug) is a failed fetch,
            // not the end of the cache's thread
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                fetch(&shared, &fetcher, jwks_url)
            }))
            .unwrap_or_else(|_| Err("reading the keys panicked".to_owned()));
            settle(&shared, outcome);
        }
    }
}

/// One fetch: discovery when the JWKS URL is not known yet, then the JWKS.
fn fetch(
    shared: &Shared,
    fetcher: &Fetcher,
    jwks_url: Option<String>,
) -> Result<(String, Fetched), String> {
    let url = match (jwks_url, &shared.source) {
        (Some(url), _) => url,
        (None, Source::Discovery(issuer)) => fetcher.discover(issuer).map_err(|e| e.to_string())?,
        (None, Source::Jwks(url)) => url.clone(),
    };
    shared.fetches.fetch_add(1, Ordering::Relaxed);
    let fetched = fetcher.jwks(&url).map_err(|e| e.to_string())?;
    Ok((url, fetched))
}

fn settle(shared: &Shared, outcome: Result<(String, Fetched), String>) {
    let settings = &shared.settings;
    let mut state = lock(shared);
    let now = Instant::now();
    match outcome {
        Ok((url, fetched)) => {
            state.keys = Some(Arc::new(fetched.keys));
            state.fetched_at = Some(now);
            state.next_refresh = now + settings.refresh_after(fetched.max_age);
            state.jwks_url = Some(url);
        }
        Err(why) => {
            tracing::warn!("identity provider keys ({:?}): {why}", shared.source);
            // try again after the refetch interval; discovery again if it came from there
            state.next_refresh = now + settings.refetch_interval;
            if matches!(shared.source, Source::Discovery(_)) {
                state.jwks_url = None;
            }
        }
    }
    state.pending = false;
    state.generation += 1;
    let generation = state.generation;
    drop(state);
    shared.changed.notify_all();
    shared.completed.send_replace(generation);
}
