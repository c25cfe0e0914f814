//! What the server-side session stores share: fresh session ids, the TTL in whole seconds,
//! and the bounds of the embedded stores ([`SessionLimits`]: a capacity, a quota per user,
//! and what a full store answers).

use actix_session::storage::SessionKey;
use actix_web::cookie::time::Duration as CookieDuration;

use super::state::SESSION_USER_ID_KEY;

/// The default [`SessionLimits::capacity`]: sessions one embedded store keeps at most.
pub const DEFAULT_SESSION_CAPACITY: usize = 100_000;

/// The default [`SessionLimits::per_user`]: live sessions one user keeps at most.
pub const DEFAULT_SESSIONS_PER_USER: usize = 100;

/// The bounds of an embedded server-side store ([`MemorySessionStore`],
/// [`SqliteSessionStore`]), so that no client, and no account, can fill it for the others:
///
/// * **TTL**: a session is gone [`session_ttl`](super::SessionConfig::session_ttl) after its
///   last write; expired sessions are dropped before anything else, as new ones come in.
/// * **Per user** (default [`DEFAULT_SESSIONS_PER_USER`]): a login beyond the quota ends that
///   user's session closest to expiry (their oldest): one account cannot take more than its
///   quota of the store, however often it logs in.
/// * **Capacity** (default [`DEFAULT_SESSION_CAPACITY`]; in memory a session with what a
///   login keeps in it takes about 1.1 KB, so 100 000 take about 105 MiB): when it is full, a new
///   session first pushes out the anonymous session (one without a logged-in user, say a
///   CSRF secret kept in the session) closest to expiry. If every session is a live login, the
///   new session is refused: its request gets 503 `Session store unavailable: retry later`
///   with `Retry-After: 1` (the session middleware's
///   [`StoreUnavailable`](super::StoreUnavailable)) and an error is logged
///   (`session store: save failed: the session store is full ..`); nobody already logged in is
///   logged out to make room.
///
/// ```
/// use dmr_runtime::backends::session::{MemorySessionStore, SessionLimits};
///
/// let limits = SessionLimits::default().capacity(10_000).per_user(5);
/// let store = MemorySessionStore::new().limits(limits);
/// assert_eq!(store.get_limits().get_capacity(), 10_000);
/// assert_eq!(store.get_limits().get_per_user(), 5);
/// ```
///
/// [`MemorySessionStore`]: super::MemorySessionStore
/// [`SqliteSessionStore`]: super::SqliteSessionStore
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    capacity: usize,
    per_user: usize,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self {
            capacity: DEFAULT_SESSION_CAPACITY,
            per_user: DEFAULT_SESSIONS_PER_USER,
        }
    }
}

impl SessionLimits {
    /// At most `capacity` sessions (at least 1).
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(1);
        self
    }

    /// At most `per_user` live sessions per user (at least 1).
    pub fn per_user(mut self, per_user: usize) -> Self {
        self.per_user = per_user.max(1);
        self
    }

    /// The most sessions the store keeps.
    pub fn get_capacity(&self) -> usize {
        self.capacity
    }

    /// The most live sessions of one user.
    pub fn get_per_user(&self) -> usize {
        self.per_user
    }
}

/// The store is full of live logins: the new session is refused (see [`SessionLimits`]).
#[derive(Debug)]
pub(super) struct StoreFull(pub(super) usize);

impl std::fmt::Display for StoreFull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the session store is full ({} sessions, every one a live login): new sessions are \
             refused until some end; raise its capacity",
            self.0
        )
    }
}

impl std::error::Error for StoreFull {}

/// A new random session id: 64 characters of `[0-9A-Za-z]` (381 bits).
pub(super) fn new_session_key() -> anyhow::Result<SessionKey> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut key = String::with_capacity(64);
    while key.len() < 64 {
        let mut buf = [0u8; 64];
        getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        // 248 = 4 * 62: no bias
        for b in buf.into_iter().filter(|b| *b < 248) {
            if key.len() < 64 {
                key.push(char::from(ALPHABET[usize::from(b % 62)]));
            }
        }
    }
    SessionKey::try_from(key).map_err(|e| anyhow::anyhow!("{e}"))
}

/// A session TTL in whole seconds, at least 1.
pub(super) fn ttl_seconds(ttl: &CookieDuration) -> u64 {
    u64::try_from(ttl.whole_seconds()).unwrap_or(0).max(1)
}

/// The user a session state belongs to: the id a login wrote under
/// [`SESSION_USER_ID_KEY`] (actix-session keeps values as JSON), if any.
pub(super) fn state_user(state: &std::collections::HashMap<String, String>) -> Option<String> {
    state
        .get(SESSION_USER_ID_KEY)
        .and_then(|v| serde_json::from_str::<String>(v).ok())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn ids_are_64_alphanumerics_and_differ() {
        let a = new_session_key().unwrap();
        let b = new_session_key().unwrap();
        assert_eq!(a.as_ref().len(), 64);
        assert!(a.as_ref().bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn the_user_is_read_from_the_login_key() {
        let mut state = HashMap::new();
        assert_eq!(state_user(&state), None);
        state.insert(SESSION_USER_ID_KEY.to_owned(), "\"7\"".to_owned());
        assert_eq!(state_user(&state).as_deref(), Some("7"));
        state.insert(SESSION_USER_ID_KEY.to_owned(), "7".to_owned());
        assert_eq!(state_user(&state), None, "not a JSON string: anonymous");
    }

    #[test]
    fn limits_are_at_least_one() {
        let limits = SessionLimits::default().capacity(0).per_user(0);
        assert_eq!((limits.get_capacity(), limits.get_per_user()), (1, 1));
        assert_eq!(ttl_seconds(&CookieDuration::ZERO), 1);
        assert_eq!(ttl_seconds(&CookieDuration::minutes(2)), 120);
    }
}
