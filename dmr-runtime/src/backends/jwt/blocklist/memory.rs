//! [`MemoryBlocklist`]: revoked entries in this process, bounded, forgotten when they expire.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use super::{BlocklistError, BlocklistStore, Entry, StoreFuture};
use crate::backends::jwt::token::unix_now;

/// An in-memory [`BlocklistStore`] for one server (several servers need
/// [`RedisBlocklist`](super::RedisBlocklist), or a revocation on one is unknown to the others).
///
/// It holds at most `capacity` entries; an entry is dropped once its time has passed. When it
/// is full of entries that have not expired, a new revocation fails (a 503 from logout and
/// refresh) rather than forget an older one. It never blocks: both kinds of endpoints can use
/// it.
///
/// ```
/// use dmr_runtime::backends::jwt::blocklist::{BlocklistStore, Entry, MemoryBlocklist};
///
/// let store = MemoryBlocklist::new(1);
/// assert!(store.insert(Entry::Token("a"), i64::MAX).unwrap());
/// assert!(store.insert(Entry::Token("b"), i64::MAX).is_err()); // full
/// assert!(store.insert(Entry::Token("old"), 0).is_err()); // full too: "a" is still valid
/// assert_eq!(store.len(), 1);
/// ```
#[derive(Debug)]
pub struct MemoryBlocklist {
    inner: Mutex<Inner>,
    capacity: usize,
}

/// Revoked tokens and families (one map each, so a look-up needs no key to be built) and
/// every entry ordered by its time, for purging.
#[derive(Debug, Default)]
struct Inner {
    tokens: HashMap<String, i64>,
    families: HashMap<String, i64>,
    by_time: BTreeSet<(i64, bool, String)>,
}

impl Inner {
    fn map(&mut self, family: bool) -> &mut HashMap<String, i64> {
        if family {
            &mut self.families
        } else {
            &mut self.tokens
        }
    }

    fn len(&self) -> usize {
        self.tokens.len() + self.families.len()
    }

    /// Drops every entry whose time is `<= now`.
    fn purge(&mut self, now: i64) {
        while let Some(first) = self.by_time.first() {
            if first.0 > now {
                break;
            }
            if let Some((_, family, id)) = self.by_time.pop_first() {
                self.map(family).remove(&id);
            }
        }
    }

    fn live(&self, entry: &Entry<'_>, now: i64) -> bool {
        let found = match entry {
            Entry::Token(id) => self.tokens.get(*id),
            Entry::Family(id) => self.families.get(*id),
        };
        found.is_some_and(|&until| until > now)
    }
}

impl MemoryBlocklist {
    /// A store of at most `capacity` live entries (at least 1).
    pub fn new(capacity: usize) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            capacity: capacity.max(1),
        }
    }

    /// How many entries are held (expired ones included until the next revocation).
    pub fn len(&self) -> usize {
        self.lock().map_or(0, |i| i.len())
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Inner>, BlocklistError> {
        self.inner
            .lock()
            .map_err(|_| BlocklistError::new("the memory blocklist's lock is poisoned"))
    }
}

impl Default for MemoryBlocklist {
    /// 100 000 entries (a few tens of MiB at most).
    fn default() -> Self {
        Self::new(100_000)
    }
}

impl BlocklistStore for MemoryBlocklist {
    fn contains_any(&self, entries: &[Entry<'_>]) -> Result<bool, BlocklistError> {
        let now = unix_now();
        let inner = self.lock()?;
        Ok(entries.iter().any(|e| inner.live(e, now)))
    }

    fn insert(&self, entry: Entry<'_>, until: i64) -> Result<bool, BlocklistError> {
        let now = unix_now();
        let mut inner = self.lock()?;
        inner.purge(now);
        let (family, id) = match entry {
            Entry::Token(id) => (false, id),
            Entry::Family(id) => (true, id),
        };
        if let Some(&old) = inner.map(family).get(id) {
            if until > old {
                // keep the longer life: a family revoked again by a later token
                inner.by_time.remove(&(old, family, id.to_owned()));
                inner.by_time.insert((until, family, id.to_owned()));
                inner.map(family).insert(id.to_owned(), until);
            }
            return Ok(false);
        }
        if inner.len() >= self.capacity {
            return Err(BlocklistError::new(format!(
                "the memory blocklist is full ({} entries that have not expired); raise its \
                 capacity",
                self.capacity
            )));
        }
        inner.by_time.insert((until, family, id.to_owned()));
        inner.map(family).insert(id.to_owned(), until);
        Ok(true)
    }

    fn contains_any_async<'a>(&'a self, entries: &'a [Entry<'a>]) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(self.contains_any(entries)))
    }

    fn insert_async<'a>(&'a self, entry: Entry<'a>, until: i64) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(self.insert(entry, until)))
    }
}
