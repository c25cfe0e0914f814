//! Revoked tokens: the [`BlocklistStore`] trait, the bounded in-memory [`MemoryBlocklist`]
//! and, with the `redis-blocklist` feature, [`RedisBlocklist`] for several servers.
//!
//! A store keeps two kinds of [`Entry`]: a token id (`jti`) and a refresh family (every token
//! descending from one login carries the same `extras.fam`). Each entry lives until a given
//! Unix time (the token's `exp` plus the auth's leeway) and is forgotten after it, so a store
//! never grows with tokens that would be refused as expired anyway.
//!
//! A JWT auth with a blocklist ([`JwtAuth::blocklist`](super::JwtAuth::blocklist)) refuses,
//! with the standard 401, a token without `jti` and a token whose `jti` or family is revoked.
//! When the store cannot answer (Redis down, a timeout, the memory store full), the request is
//! refused with **503**, `Retry-After: 1` and the body
//! `{"detail":[{"msg":"Token blocklist unavailable, try again later"}]}` (through the
//! endpoint's error model): the check fails closed, and the next request asks the store again,
//! so service resumes by itself when the store is back.
//!
//! The credential views revoke on behalf of the token's subject
//! ([`BlocklistStore::insert_for`]): the in-memory store bounds what one subject holds
//! ([`MemoryBlocklist::per_subject`]), so one account refreshing in a loop fills its own quota
//! (its refreshes then answer 429 with `Retry-After`), not the store everyone's logout needs.

mod memory;
#[cfg(feature = "redis-blocklist")]
mod redis;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::StatusCode;

pub use memory::MemoryBlocklist;
#[cfg(feature = "redis-blocklist")]
pub use redis::RedisBlocklist;

use super::JwtToken;
use crate::auth::AuthError;

/// The message of the 503 a failing store causes.
pub const BLOCKLIST_UNAVAILABLE: &str = "Token blocklist unavailable, try again later";

pub use super::token::FAMILY_CLAIM;

/// One thing a store can revoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry<'a> {
    /// A token, by its `jti`.
    Token(&'a str),
    /// Every token of a refresh family, by its family id.
    Family(&'a str),
}

impl Entry<'_> {
    /// A short tag and the id (`("jti", "4f..")`): what stores build keys from.
    pub fn parts(&self) -> (&'static str, &str) {
        match self {
            Self::Token(id) => ("jti", id),
            Self::Family(id) => ("fam", id),
        }
    }
}

/// Why a store could not answer, or refused a revocation. The message is for logs, never for
/// the client.
///
/// ```
/// use std::time::Duration;
/// use dmr_runtime::backends::jwt::blocklist::BlocklistError;
///
/// let err = BlocklistError::new("connection refused");
/// assert_eq!(err.to_string(), "token blocklist failed: connection refused");
/// assert!(!err.is_over_quota());
/// let over = BlocklistError::over_quota("subject 7 holds 1000 entries", Duration::from_secs(60));
/// assert!(over.is_over_quota());
/// assert_eq!(over.retry_after(), Some(Duration::from_secs(60)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlocklistError {
    why: String,
    /// `Some` when the revocation was refused because its subject holds its whole quota
    /// (the wait to suggest); `None` for a store that failed, timed out or is full.
    over_quota: Option<Duration>,
}

impl BlocklistError {
    /// An error with a message for the logs: the store failed, timed out or is full (503).
    pub fn new(why: impl Into<String>) -> Self {
        Self {
            why: why.into(),
            over_quota: None,
        }
    }

    /// The revocation's subject already holds its whole quota of the store: the credential
    /// views answer 429 `Too many requests` with `Retry-After` (`retry_after`, at least a
    /// second) instead of 503, since only that subject is refused.
    pub fn over_quota(why: impl Into<String>, retry_after: Duration) -> Self {
        Self {
            why: why.into(),
            over_quota: Some(retry_after.max(Duration::from_secs(1))),
        }
    }

    /// Whether the subject of the revocation is over its quota (see [`over_quota`](Self::over_quota)).
    pub fn is_over_quota(&self) -> bool {
        self.over_quota.is_some()
    }

    /// The wait a refusal over quota suggests.
    pub fn retry_after(&self) -> Option<Duration> {
        self.over_quota
    }

    /// The 503 `Token blocklist unavailable, try again later` this error becomes (logged),
    /// with `Retry-After: 1`.
    pub fn into_auth_error(self) -> AuthError {
        crate::observe::flood::gated!(error, "blocklist", "{self}");
        AuthError::rejected(StatusCode::SERVICE_UNAVAILABLE, BLOCKLIST_UNAVAILABLE)
    }
}

impl fmt::Display for BlocklistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "token blocklist failed: {}", self.why)
    }
}

impl std::error::Error for BlocklistError {}

/// A boxed future of a store operation.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BlocklistError>> + Send + 'a>>;

/// Where revoked tokens and families are kept.
///
/// Each operation exists twice: a plain method that may block (called on actix's blocking
/// pool, by sync endpoints) and an `_async` one (called by async endpoints). Implementations
/// bound every call with a timeout and return an error rather than wait.
///
/// ```
/// use dmr_runtime::backends::jwt::blocklist::{BlocklistStore, Entry, MemoryBlocklist};
///
/// let store = MemoryBlocklist::new(1000);
/// let far = i64::MAX;
/// assert!(store.insert(Entry::Token("a"), far).unwrap()); // newly revoked
/// assert!(!store.insert(Entry::Token("a"), far).unwrap()); // already revoked
/// assert!(store.contains_any(&[Entry::Token("b"), Entry::Token("a")]).unwrap());
/// assert!(!store.contains_any(&[Entry::Family("a")]).unwrap());
/// ```
pub trait BlocklistStore: Send + Sync + 'static {
    /// Whether any of `entries` is revoked (may block).
    fn contains_any(&self, entries: &[Entry<'_>]) -> Result<bool, BlocklistError>;

    /// Revokes `entry` until the Unix time `until`, atomically: `true` if this call revoked
    /// it, `false` if it already was (so two concurrent calls never both get `true`). May
    /// block.
    fn insert(&self, entry: Entry<'_>, until: i64) -> Result<bool, BlocklistError>;

    /// [`contains_any`](Self::contains_any), awaiting instead of blocking.
    fn contains_any_async<'a>(&'a self, entries: &'a [Entry<'a>]) -> StoreFuture<'a, bool>;

    /// [`insert`](Self::insert), awaiting instead of blocking.
    fn insert_async<'a>(&'a self, entry: Entry<'a>, until: i64) -> StoreFuture<'a, bool>;

    /// [`insert`](Self::insert) on behalf of `subject` (the revoked token's `sub`): the
    /// credential views revoke through it, so that a store bounding what one subject may hold
    /// ([`MemoryBlocklist::per_subject`]) can refuse that subject alone
    /// ([`BlocklistError::over_quota`]). The default ignores the subject.
    fn insert_for(
        &self,
        entry: Entry<'_>,
        until: i64,
        subject: &str,
    ) -> Result<bool, BlocklistError> {
        let _ = subject;
        self.insert(entry, until)
    }

    /// Whether a token issued at `issued_at` (its `iat`) with `entries` must be refused: one
    /// of them is revoked, or the store lost what it held after the token was issued
    /// ([`RedisBlocklist`]'s epoch marker). The auths and the credential views ask this. The
    /// default is [`contains_any`](Self::contains_any).
    fn refuses(&self, entries: &[Entry<'_>], issued_at: i64) -> Result<bool, BlocklistError> {
        let _ = issued_at;
        self.contains_any(entries)
    }

    /// [`refuses`](Self::refuses), awaiting instead of blocking.
    fn refuses_async<'a>(
        &'a self,
        entries: &'a [Entry<'a>],
        issued_at: i64,
    ) -> StoreFuture<'a, bool> {
        let _ = issued_at;
        self.contains_any_async(entries)
    }

    /// Called once by [`Blocklist::new`], when the application starts: a store that watches
    /// for its own loss ([`RedisBlocklist`]) writes its epoch marker here. The default does
    /// nothing.
    fn start(&self) {}

    /// [`insert_for`](Self::insert_for), awaiting instead of blocking.
    fn insert_for_async<'a>(
        &'a self,
        entry: Entry<'a>,
        until: i64,
        subject: &'a str,
    ) -> StoreFuture<'a, bool> {
        let _ = subject;
        self.insert_async(entry, until)
    }
}

/// No blocklist: the default of a [`JwtAuth`](super::JwtAuth), whose check then neither
/// blocks nor awaits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoBlocklist;

/// A shared handle on a [`BlocklistStore`], with the auth's leeway (entries outlive the token's
/// `exp` by it, as the token does).
///
/// ```
/// use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist};
///
/// let blocklist = Blocklist::new(MemoryBlocklist::new(10_000));
/// let same = blocklist.clone(); // both see the same store
/// # let _ = same;
/// ```
#[derive(Clone)]
pub struct Blocklist {
    store: Arc<dyn BlocklistStore>,
}

impl fmt::Debug for Blocklist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Blocklist(..)")
    }
}

impl Blocklist {
    /// A handle on `store`.
    pub fn new(store: impl BlocklistStore) -> Self {
        store.start();
        Self {
            store: Arc::new(store),
        }
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn BlocklistStore> {
        &self.store
    }
}

/// The entries that revoke a token: its `jti` and, if it has one, its family (no allocation).
pub(crate) struct Entries<'a> {
    both: [Entry<'a>; 2],
    len: usize,
}

impl<'a> Entries<'a> {
    pub(crate) fn as_slice(&self) -> &[Entry<'a>] {
        &self.both[..self.len]
    }
}

/// The entries that revoke `token`; `None` without a `jti`.
pub(crate) fn entries_of(token: &JwtToken) -> Option<Entries<'_>> {
    let jti = token.jti.as_deref()?;
    let family = token.family();
    Some(Entries {
        both: [Entry::Token(jti), Entry::Family(family.unwrap_or_default())],
        len: if family.is_some() { 2 } else { 1 },
    })
}

/// What a JWT auth does about revoked tokens: nothing ([`NoBlocklist`]) or ask a
/// [`Blocklist`].
pub trait Revocation: Clone + Send + Sync + 'static {
    /// The check for sync endpoints: `Ok` lets the token through.
    fn check_sync(&self, token: &JwtToken) -> Result<(), AuthError>;

    /// The check for async endpoints.
    fn check_async(&self, token: &JwtToken) -> impl Future<Output = Result<(), AuthError>>;
}

impl Revocation for NoBlocklist {
    #[inline]
    fn check_sync(&self, _: &JwtToken) -> Result<(), AuthError> {
        Ok(())
    }

    #[inline]
    fn check_async(&self, _: &JwtToken) -> impl Future<Output = Result<(), AuthError>> {
        std::future::ready(Ok(()))
    }
}

fn verdict(found: Result<bool, BlocklistError>) -> Result<(), AuthError> {
    match found {
        Ok(false) => Ok(()),
        Ok(true) => Err(AuthError::not_authenticated()),
        Err(e) => Err(e.into_auth_error()),
    }
}

impl Revocation for Blocklist {
    fn check_sync(&self, token: &JwtToken) -> Result<(), AuthError> {
        // a token without `jti` cannot be revoked, so it is not accepted
        let entries = entries_of(token).ok_or_else(AuthError::not_authenticated)?;
        verdict(self.store.refuses(entries.as_slice(), token.iat))
    }

    async fn check_async(&self, token: &JwtToken) -> Result<(), AuthError> {
        let entries = entries_of(token).ok_or_else(AuthError::not_authenticated)?;
        let refused = self.store.refuses_async(entries.as_slice(), token.iat);
        verdict(refused.await)
    }
}

#[cfg(test)]
mod tests;
