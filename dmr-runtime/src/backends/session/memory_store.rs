//! [`MemorySessionStore`]: sessions in this process's memory, the embedded default. The
//! cookie holds an id only, so logout, a new login and [`end_user_sessions`] end a session
//! for good; bounded by [`SessionLimits`].
//!
//! [`end_user_sessions`]: MemorySessionStore::end_user_sessions

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieDuration;

use super::server_store::{SessionLimits, StoreFull, new_session_key, state_user, ttl_seconds};

type State = HashMap<String, String>;

/// Where a session stands in the eviction order: its expiry, then its arrival.
type Order = (Instant, u64);

/// Sessions in this process's memory: the cookie holds a random 64-character id (encrypted
/// with the session key), the session lives here. Logout and a new login (the id is
/// renewed) delete the old id, so a copy of the cookie taken before is refused afterwards;
/// [`end_user_sessions`](Self::end_user_sessions) ends every session of one user.
///
/// One process only: a restart ends every session, and several servers need
/// [`SqliteSessionStore`](super::SqliteSessionStore) on a shared file or
/// [`RedisSessionStore`](super::RedisSessionStore). Bounded by its [`SessionLimits`] (TTL,
/// a quota per user, a capacity; what happens when it is full is written there). Every
/// operation is a few map updates under one lock, never awaited.
///
/// Clones share the sessions. [`MemorySessionStore::default`] is one store shared by the
/// whole process, so that every worker's `App` (built once per worker) finds the same
/// sessions; [`MemorySessionStore::new`] is a store of its own, to clone into every worker
/// (a store made anew per worker would know only the sessions of its own worker).
///
/// ```
/// use actix_web::App;
/// use actix_web::cookie::Key;
/// use dmr_runtime::backends::session::{MemorySessionStore, SessionConfig};
/// use dmr_runtime::backends::users::MemoryUsers;
///
/// let sessions = SessionConfig::new(MemoryUsers::new());
/// let key = Key::generate(); // one for every worker
/// // in `HttpServer::new(move || ..)`: the process's store, the same for every worker
/// let app = App::new()
///     .wrap(sessions.middleware(MemorySessionStore::default(), key.clone()))
///     .app_data(sessions.app_data());
/// # let _ = app;
/// let own = MemorySessionStore::new(); // apart from the process's one
/// assert_eq!(own.len(), 0);
/// ```
#[derive(Clone)]
pub struct MemorySessionStore {
    sessions: Arc<Mutex<Sessions>>,
    limits: SessionLimits,
}

impl std::fmt::Debug for MemorySessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemorySessionStore")
            .field("sessions", &self.len())
            .field("limits", &self.limits)
            .finish()
    }
}

impl Default for MemorySessionStore {
    /// The process's store (with the default [`SessionLimits`]): every call gives a handle on
    /// the same sessions.
    fn default() -> Self {
        static SHARED: OnceLock<MemorySessionStore> = OnceLock::new();
        SHARED.get_or_init(Self::new).clone()
    }
}

impl MemorySessionStore {
    /// An empty store of its own, with the default [`SessionLimits`].
    pub fn new() -> Self {
        Self {
            sessions: Arc::default(),
            limits: SessionLimits::default(),
        }
    }

    /// The store with these bounds.
    pub fn limits(mut self, limits: SessionLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Its bounds.
    pub fn get_limits(&self) -> SessionLimits {
        self.limits
    }

    /// How many sessions it holds now (expired ones not yet dropped included).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether it holds no session.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Ends every session of the user with this id (their next request is anonymous) and
    /// says how many there were: "log out everywhere", or after an account was taken over.
    /// A password change or a deactivation ends them without this (session auth compares a
    /// fingerprint of the password hash, and the active flag, on every request).
    pub fn end_user_sessions(&self, user_id: &str) -> usize {
        self.lock().end_user(user_id)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Sessions> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn expiry(now: Instant, ttl: &CookieDuration) -> Instant {
    now + Duration::from_secs(ttl_seconds(ttl))
}

/// One stored session.
struct Entry {
    state: State,
    order: Order,
    user: Option<Arc<str>>,
}

/// The sessions and their three indexes: every session by expiry, anonymous ones by expiry,
/// each user's by expiry (a short sorted list: at most the per-user quota, most users have
/// one or two).
#[derive(Default)]
struct Sessions {
    entries: HashMap<Arc<str>, Entry>,
    by_expiry: BTreeMap<Order, Arc<str>>,
    anonymous: BTreeMap<Order, Arc<str>>,
    by_user: HashMap<Arc<str>, Vec<(Order, Arc<str>)>>,
    arrivals: u64,
}

impl Sessions {
    /// Drops every session expired at `now` (oldest first: each costs one index step).
    fn purge(&mut self, now: Instant) {
        while let Some(((at, _), key)) = self.by_expiry.first_key_value() {
            if *at > now {
                break;
            }
            let key = Arc::clone(key);
            self.remove(&key);
        }
    }

    fn remove(&mut self, key: &str) -> Option<Entry> {
        let entry = self.entries.remove(key)?;
        self.by_expiry.remove(&entry.order);
        match &entry.user {
            None => {
                self.anonymous.remove(&entry.order);
            }
            Some(user) => {
                if let Some(own) = self.by_user.get_mut(user) {
                    if let Ok(at) = own.binary_search_by_key(&entry.order, |(o, _)| *o) {
                        own.remove(at);
                    }
                    if own.is_empty() {
                        self.by_user.remove(user);
                    }
                }
            }
        }
        Some(entry)
    }

    /// Makes room for a new session of `user`, within `limits`: the user's oldest session
    /// goes when they are at their quota, the oldest anonymous session when the store is
    /// full; refused when the store is full of logins.
    fn make_room(
        &mut self,
        user: Option<&Arc<str>>,
        limits: SessionLimits,
    ) -> Result<(), StoreFull> {
        if let Some(user) = user {
            while let Some(oldest) = self
                .by_user
                .get(user)
                .filter(|own| own.len() >= limits.get_per_user())
                .and_then(|own| own.first())
                .map(|(_, k)| Arc::clone(k))
            {
                self.remove(&oldest);
            }
        }
        while self.entries.len() >= limits.get_capacity() {
            let Some((_, oldest)) = self.anonymous.first_key_value() else {
                return Err(StoreFull(self.entries.len()));
            };
            let oldest = Arc::clone(oldest);
            self.remove(&oldest);
        }
        Ok(())
    }

    /// Stores `state` under `key` and indexes it.
    fn put(&mut self, key: Arc<str>, state: State, user: Option<Arc<str>>, expires: Instant) {
        self.arrivals += 1;
        let order = (expires, self.arrivals);
        self.by_expiry.insert(order, Arc::clone(&key));
        if let Some(user) = &user {
            let own = self.by_user.entry(Arc::clone(user)).or_default();
            let at = own.partition_point(|(o, _)| *o < order);
            own.insert(at, (order, Arc::clone(&key)));
        } else {
            self.anonymous.insert(order, Arc::clone(&key));
        }
        self.entries.insert(key, Entry { state, order, user });
    }

    /// A new session under a fresh id.
    fn save(
        &mut self,
        state: State,
        now: Instant,
        expires: Instant,
        limits: SessionLimits,
    ) -> anyhow::Result<SessionKey> {
        self.purge(now);
        let user = state_user(&state).map(Arc::from);
        self.make_room(user.as_ref(), limits)?;
        let key = loop {
            let key = new_session_key()?;
            if !self.entries.contains_key(key.as_ref()) {
                break key;
            }
        };
        self.put(Arc::from(key.as_ref()), state, user, expires);
        Ok(key)
    }

    /// The state of a live session.
    fn load(&mut self, key: &str, now: Instant) -> Option<State> {
        let entry = self.entries.get(key)?;
        if entry.order.0 > now {
            return Some(entry.state.clone());
        }
        self.remove(key);
        None
    }

    /// Removes the live session under `key` for the caller to put back (`None` when there
    /// is none: expired, ended). Put back, it takes the place it had: no room to make, no
    /// quota to count (both were counted when it was saved).
    fn take_live(&mut self, key: &str, now: Instant) -> Option<Entry> {
        self.remove(key).filter(|entry| entry.order.0 > now)
    }

    fn end_user(&mut self, user: &str) -> usize {
        let keys: Vec<Arc<str>> = self
            .by_user
            .get(user)
            .map(|own| own.iter().map(|(_, k)| Arc::clone(k)).collect())
            .unwrap_or_default();
        for key in &keys {
            self.remove(key);
        }
        keys.len()
    }
}

impl SessionStore for MemorySessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<State>, LoadError> {
        Ok(self.lock().load(session_key.as_ref(), Instant::now()))
    }

    async fn save(&self, state: State, ttl: &CookieDuration) -> Result<SessionKey, SaveError> {
        let now = Instant::now();
        self.lock()
            .save(state, now, expiry(now, ttl), self.limits)
            .map_err(SaveError::Other)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        state: State,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        let now = Instant::now();
        let mut sessions = self.lock();
        if sessions.take_live(session_key.as_ref(), now).is_some() {
            let user = state_user(&state).map(Arc::from);
            sessions.put(
                Arc::from(session_key.as_ref()),
                state,
                user,
                expiry(now, ttl),
            );
            return Ok(session_key);
        }
        // it ended meanwhile (logout elsewhere, expiry): a new session, never the old id back
        sessions
            .save(state, now, expiry(now, ttl), self.limits)
            .map_err(UpdateError::Other)
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl: &CookieDuration,
    ) -> anyhow::Result<()> {
        let now = Instant::now();
        let mut sessions = self.lock();
        if let Some(entry) = sessions.take_live(session_key.as_ref(), now) {
            let key = Arc::from(session_key.as_ref());
            sessions.put(key, entry.state, entry.user, expiry(now, ttl));
        }
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> anyhow::Result<()> {
        self.lock().remove(session_key.as_ref());
        Ok(())
    }
}

#[cfg(test)]
mod tests;
