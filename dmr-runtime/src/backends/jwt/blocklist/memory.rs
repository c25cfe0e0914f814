//! [`MemoryBlocklist`]: revoked entries in this process, bounded in all and per subject,
//! forgotten when they expire.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{BlocklistError, BlocklistStore, Entry, StoreFuture};
use crate::backends::jwt::token::unix_now;

/// What a client over its subject's quota is told to wait: the subject's entries expire one
/// by one, at times the store does not track per subject.
const QUOTA_RETRY: Duration = Duration::from_secs(60);

/// An in-memory [`BlocklistStore`] for one server (several servers need
/// [`RedisBlocklist`](super::RedisBlocklist), or a revocation on one is unknown to the others).
///
/// It holds at most `capacity` entries (default 100 000), and at most
/// [`per_subject`](Self::per_subject) entries of each kind (tokens, families) revoked on
/// behalf of one subject (default 1 000; the credential views revoke on behalf of the
/// token's `sub`, see [`BlocklistStore::insert_for`]): one account refreshing or logging out
/// in a loop fills its own quota, never the store. An entry is dropped once its time has
/// passed, and expired entries are dropped before any revocation is refused. A revocation
/// that finds the store full of live entries fails (logout and refresh answer 503 with
/// `Retry-After: 1`), and one over its subject's quota fails as over quota (429 `Too many
/// requests` with `Retry-After: 60`), rather than forget an older one; both write a
/// flood-limited warning for the operator. It never blocks: both kinds of endpoints can
/// use it.
///
/// ```
/// use dmr_runtime::backends::jwt::blocklist::{BlocklistStore, Entry, MemoryBlocklist};
///
/// let store = MemoryBlocklist::new(1);
/// assert!(store.insert(Entry::Token("a"), i64::MAX).unwrap());
/// assert!(store.insert(Entry::Token("b"), i64::MAX).is_err()); // full
/// assert!(store.insert(Entry::Token("old"), 0).is_err()); // full too: "a" is still valid
/// assert_eq!(store.len(), 1);
///
/// let store = MemoryBlocklist::new(100).per_subject(1);
/// assert!(store.insert_for(Entry::Token("a"), i64::MAX, "mallory").unwrap());
/// let over = store.insert_for(Entry::Token("b"), i64::MAX, "mallory").unwrap_err();
/// assert!(over.is_over_quota());
/// assert!(store.insert_for(Entry::Token("c"), i64::MAX, "alice").unwrap()); // others unaffected
/// ```
#[derive(Debug)]
pub struct MemoryBlocklist {
    inner: Mutex<Inner>,
    capacity: usize,
    per_subject: usize,
}

/// One held entry: until when, and on whose behalf.
#[derive(Debug)]
struct Held {
    until: i64,
    subject: Option<Arc<str>>,
}

/// Revoked tokens and families (one map each, so a look-up needs no key to be built), every
/// entry ordered by its time, for purging, and the live entries of each kind per subject (a
/// subject is there only while it holds an entry: the map is bounded by the capacity).
#[derive(Debug, Default)]
struct Inner {
    tokens: HashMap<String, Held>,
    families: HashMap<String, Held>,
    by_time: BTreeSet<(i64, bool, String)>,
    subjects: HashMap<Arc<str>, [usize; 2]>,
}

impl Inner {
    fn map(&mut self, family: bool) -> &mut HashMap<String, Held> {
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
            if let Some((_, family, id)) = self.by_time.pop_first()
                && let Some(held) = self.map(family).remove(&id)
                && let Some(subject) = held.subject
            {
                self.release(&subject, family);
            }
        }
    }

    fn held_by(&self, subject: &str, family: bool) -> usize {
        self.subjects
            .get(subject)
            .map_or(0, |counts| counts[usize::from(family)])
    }

    fn release(&mut self, subject: &str, family: bool) {
        if let Some(counts) = self.subjects.get_mut(subject) {
            let kind = &mut counts[usize::from(family)];
            *kind = kind.saturating_sub(1);
            if counts == &[0, 0] {
                self.subjects.remove(subject);
            }
        }
    }

    fn live(&self, entry: &Entry<'_>, now: i64) -> bool {
        let found = match entry {
            Entry::Token(id) => self.tokens.get(*id),
            Entry::Family(id) => self.families.get(*id),
        };
        found.is_some_and(|held| held.until > now)
    }
}

impl MemoryBlocklist {
    /// A store of at most `capacity` live entries (at least 1), 1 000 of each kind per
    /// subject.
    pub fn new(capacity: usize) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            capacity: capacity.max(1),
            per_subject: 1_000,
        }
    }

    /// At most `max` live entries of each kind (tokens, families) revoked on behalf of one
    /// subject (at least 1; default 1 000). With refresh rotation every refresh revokes the
    /// presented refresh token until it would have expired: a client refreshing every
    /// `access_ttl` holds up to `refresh_ttl / access_ttl` entries per login, so raise it for
    /// short access tokens and long refresh tokens.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::blocklist::MemoryBlocklist;
    ///
    /// let store = MemoryBlocklist::new(1_000_000).per_subject(5_000);
    /// assert_eq!(store.get_per_subject(), 5_000);
    /// ```
    pub fn per_subject(mut self, max: usize) -> Self {
        self.per_subject = max.max(1);
        self
    }

    /// The quota of each subject.
    pub fn get_per_subject(&self) -> usize {
        self.per_subject
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

    fn revoke(
        &self,
        entry: Entry<'_>,
        until: i64,
        subject: Option<&str>,
    ) -> Result<bool, BlocklistError> {
        let now = unix_now();
        let mut inner = self.lock()?;
        // expired entries go first
        inner.purge(now);
        let (family, id) = match entry {
            Entry::Token(id) => (false, id),
            Entry::Family(id) => (true, id),
        };
        if let Some(old) = inner.map(family).get(id).map(|held| held.until) {
            if until > old {
                // keep the longer life: a family revoked again by a later token
                inner.by_time.remove(&(old, family, id.to_owned()));
                inner.by_time.insert((until, family, id.to_owned()));
                if let Some(held) = inner.map(family).get_mut(id) {
                    held.until = until;
                }
            }
            return Ok(false);
        }
        if subject.is_some_and(|s| inner.held_by(s, family) >= self.per_subject) {
            crate::observe::flood::gated!(
                warn,
                "blocklist_quota",
                quota = self.per_subject,
                "a subject holds its whole quota of the memory blocklist: its refreshes and \
                 logouts answer 429 until its entries expire (raise `per_subject` if this is \
                 legitimate use)"
            );
            return Err(BlocklistError::over_quota(
                format!(
                    "a subject holds {} entries of the memory blocklist that have not expired",
                    self.per_subject
                ),
                QUOTA_RETRY,
            ));
        }
        if inner.len() >= self.capacity {
            crate::observe::flood::gated!(
                warn,
                "blocklist_full",
                capacity = self.capacity,
                "the memory blocklist is full: logouts and refreshes answer 503 until entries \
                 expire (raise its capacity)"
            );
            return Err(BlocklistError::new(format!(
                "the memory blocklist is full ({} entries that have not expired); raise its \
                 capacity",
                self.capacity
            )));
        }
        let subject = subject.map(|s| match inner.subjects.get_key_value(s) {
            Some((held, _)) => Arc::clone(held),
            None => Arc::from(s),
        });
        if let Some(s) = &subject {
            inner.subjects.entry(Arc::clone(s)).or_default()[usize::from(family)] += 1;
        }
        inner.by_time.insert((until, family, id.to_owned()));
        inner
            .map(family)
            .insert(id.to_owned(), Held { until, subject });
        Ok(true)
    }
}

impl Default for MemoryBlocklist {
    /// 100 000 entries (a few tens of MiB at most), 1 000 of each kind per subject.
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
        self.revoke(entry, until, None)
    }

    fn insert_for(
        &self,
        entry: Entry<'_>,
        until: i64,
        subject: &str,
    ) -> Result<bool, BlocklistError> {
        self.revoke(entry, until, Some(subject))
    }

    fn contains_any_async<'a>(&'a self, entries: &'a [Entry<'a>]) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(self.contains_any(entries)))
    }

    fn insert_async<'a>(&'a self, entry: Entry<'a>, until: i64) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(self.insert(entry, until)))
    }

    fn insert_for_async<'a>(
        &'a self,
        entry: Entry<'a>,
        until: i64,
        subject: &'a str,
    ) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(self.insert_for(entry, until, subject)))
    }
}
