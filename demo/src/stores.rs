//! Where the demo keeps what several servers must share: in the process's memory by default,
//! or in the Redis that `DMR_DEMO_REDIS_URL` names (the sessions, the counters of every
//! credential throttle and the JWT blocklist), under the prefix `DMR_DEMO_REDIS_PREFIX`.
//! Servers given one Redis, one `DMR_DEMO_SESSION_KEY`, one JWT secret and one user
//! database (a session is bound to its user's password hash) then share sessions, guess
//! budgets and revocations.

use std::sync::LazyLock;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist, RedisBlocklist};
use dmr_runtime::backends::session::{MemorySessionStore, RedisSessionStore};
use dmr_runtime::throttle::RedisStore;

use crate::config::DemoConfig;

/// A session's values, as actix-session keeps them.
type State = std::collections::HashMap<String, String>;

/// The demo's session store: the process's memory, or Redis.
#[derive(Clone)]
pub enum Sessions {
    /// The embedded default: one process.
    Memory(MemorySessionStore),
    /// Every server on the Redis.
    Redis(RedisSessionStore),
}

/// A Redis URL the demo cannot use stops it at startup, naming the variable.
fn bad_url(e: &dyn std::fmt::Display) -> ! {
    panic!("`DMR_DEMO_REDIS_URL` is not a Redis URL ({e}); fix or unset it")
}

static SESSIONS: LazyLock<Sessions> = LazyLock::new(|| {
    let cfg = DemoConfig::get();
    match &cfg.redis_url {
        Some(url) => {
            let prefix = format!("{}session:", cfg.redis_prefix);
            let store = RedisSessionStore::builder(url.clone())
                .cache_keygen(move |id| format!("{prefix}{id}"))
                .build_now()
                .unwrap_or_else(|e| bad_url(&e));
            Sessions::Redis(store)
        }
        None => Sessions::Memory(MemorySessionStore::default()),
    }
});

/// The session store (one for every worker).
pub fn sessions() -> Sessions {
    SESSIONS.clone()
}

/// The counters of the credential throttles, when they live in Redis.
pub fn throttle_counters() -> Option<RedisStore> {
    let cfg = DemoConfig::get();
    let url = cfg.redis_url.as_deref()?;
    let store = RedisStore::new(url).unwrap_or_else(|e| bad_url(&e));
    Some(store.prefix(format!("{}throttle:", cfg.redis_prefix)))
}

/// The revoked JWTs: in memory, or in Redis.
pub fn blocklist() -> Blocklist {
    static BLOCKLIST: LazyLock<Blocklist> = LazyLock::new(|| {
        let cfg = DemoConfig::get();
        match &cfg.redis_url {
            Some(url) => {
                let store = RedisBlocklist::new(url)
                    .unwrap_or_else(|e| bad_url(&e))
                    .prefix(format!("{}jwt:", cfg.redis_prefix));
                Blocklist::new(store)
            }
            None => Blocklist::new(MemoryBlocklist::default()),
        }
    });
    BLOCKLIST.clone()
}

impl SessionStore for Sessions {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        match self {
            Self::Memory(s) => s.load(key).await,
            Self::Redis(s) => s.load(key).await,
        }
    }

    async fn save(&self, state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        match self {
            Self::Memory(s) => s.save(state, ttl).await,
            Self::Redis(s) => s.save(state, ttl).await,
        }
    }

    async fn update(
        &self,
        key: SessionKey,
        state: State,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        match self {
            Self::Memory(s) => s.update(key, state, ttl).await,
            Self::Redis(s) => s.update(key, state, ttl).await,
        }
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &Duration) -> anyhow::Result<()> {
        match self {
            Self::Memory(s) => s.update_ttl(key, ttl).await,
            Self::Redis(s) => s.update_ttl(key, ttl).await,
        }
    }

    async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
        match self {
            Self::Memory(s) => s.delete(key).await,
            Self::Redis(s) => s.delete(key).await,
        }
    }
}
