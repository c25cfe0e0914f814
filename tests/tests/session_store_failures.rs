//! A session store that hangs or fails, without Redis: every operation is bounded by
//! `SessionConfig::store_timeout` and a failure is the documented 503, never a hang or a 500.

mod session_support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use actix_web::cookie::Key;
use actix_web::cookie::time::Duration as CookieDuration;
use dmr_runtime::backends::session::{CookieSessionStore, SessionConfig};
use dmr_tests::{TestServer, serve_with};
use session_support::*;

const UNAVAILABLE: &str = r#"{"detail":[{"msg":"Session store unavailable: retry later"}]}"#;

/// How [`Flaky`] behaves now.
const WORKS: u8 = 0;
const HANGS: u8 = 1;
const FAILS: u8 = 2;

/// The cookie store, with a switch that makes every operation hang or fail.
#[derive(Clone, Default)]
struct Flaky {
    inner: Arc<CookieSessionStore>,
    mode: Arc<AtomicU8>,
}

mod store_impl {
    use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};

    use super::*;

    impl Flaky {
        async fn gate(&self) -> anyhow::Result<()> {
            match self.mode.load(Ordering::SeqCst) {
                HANGS => std::future::pending().await,
                FAILS => anyhow::bail!("store is down"),
                _ => Ok(()),
            }
        }
    }

    impl SessionStore for Flaky {
        async fn load(
            &self,
            key: &SessionKey,
        ) -> Result<Option<HashMap<String, String>>, LoadError> {
            self.gate().await.map_err(LoadError::Other)?;
            self.inner.load(key).await
        }
        async fn save(
            &self,
            state: HashMap<String, String>,
            ttl: &CookieDuration,
        ) -> Result<SessionKey, SaveError> {
            self.gate().await.map_err(SaveError::Other)?;
            self.inner.save(state, ttl).await
        }
        async fn update(
            &self,
            key: SessionKey,
            state: HashMap<String, String>,
            ttl: &CookieDuration,
        ) -> Result<SessionKey, UpdateError> {
            self.gate().await.map_err(UpdateError::Other)?;
            self.inner.update(key, state, ttl).await
        }
        async fn update_ttl(&self, key: &SessionKey, ttl: &CookieDuration) -> anyhow::Result<()> {
            self.gate().await?;
            self.inner.update_ttl(key, ttl).await
        }
        async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
            self.gate().await?;
            self.inner.delete(key).await
        }
    }
}

fn flaky_server(cfg: &SessionConfig, store: &Flaky) -> TestServer {
    let (cfg, store, key) = (cfg.clone(), store.clone(), Key::generate());
    serve_with(api(&cfg), move || {
        actix_web::App::new()
            .wrap(cfg.middleware(store.clone(), key.clone()))
            .app_data(cfg.app_data())
    })
}

#[actix_rt::test]
async fn a_hanging_or_failing_store_is_503_and_service_resumes() {
    let store = Flaky::default();
    let cfg = config(users()).store_timeout(Duration::from_millis(200));
    let srv = flaky_server(&cfg, &store);
    let jar = logged_in(&srv, "admin").await;
    for mode in [HANGS, FAILS] {
        store.mode.store(mode, Ordering::SeqCst);
        let seen = call(&srv, &mut jar.clone(), "GET", "/p/", &[], None).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (503, UNAVAILABLE.to_owned())
        );
        assert_eq!(seen.header("retry-after"), Some("1"));
        let seen = login(&srv, &mut Jar::default(), "admin", PASS).await;
        assert_eq!(seen.status, 503, "login while the store is down");
        assert!(set_cookies(&seen).is_empty());
    }
    store.mode.store(WORKS, Ordering::SeqCst);
    let seen = call(&srv, &mut jar.clone(), "GET", "/p/", &[], None).await;
    assert_eq!(seen.text(), "session:admin");
}
