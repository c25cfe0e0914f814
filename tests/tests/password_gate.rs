//! One password gate for the process: the session login, the JWT obtain controllers and the
//! token obtain controller, each configured on its own with the defaults, together run at
//! most one password check per CPU (their own binary: no other test shares the gate here).

mod login_endpoints;
mod tokens_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dmr_runtime::backends::jwt::JwtIssuer;
use dmr_runtime::backends::session::SessionConfig;
use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
use dmr_runtime::backends::users::{MemoryUsers, StoredUser, UserStore, UserStoreError};
use dmr_tests::post_as;

/// The test users, counting the password checks running at once (each takes 100 ms).
struct Counting {
    inner: Arc<MemoryUsers>,
    running: AtomicUsize,
    most: AtomicUsize,
}

impl UserStore for Counting {
    fn find_by_username(&self, name: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.inner.find_by_username(name)
    }
    fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.inner.find_by_id(id)
    }
    fn authenticate(&self, name: &str, pw: &str) -> Result<Option<StoredUser>, UserStoreError> {
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(100));
        let found = self.inner.authenticate(name, pw);
        self.running.fetch_sub(1, Ordering::SeqCst);
        found
    }
}

#[actix_rt::test]
async fn every_credential_endpoint_shares_the_process_gate_by_default() {
    let users = Arc::new(Counting {
        inner: tokens_support::memory_users(),
        running: AtomicUsize::new(0),
        most: AtomicUsize::new(0),
    });
    // three configurations, each built on its own with its defaults; no throttle, so that
    // every attempt reaches the gate
    let sessions = SessionConfig::new(Arc::clone(&users))
        .secure(false)
        .login_throttle(None)
        .username_throttle(None);
    let issuer = JwtIssuer::hs256("password-gate-0123456789abcdef-0123", Arc::clone(&users))
        .unwrap()
        .login_throttle(None)
        .username_throttle(None);
    let tokens = ApiTokens::new(
        SqliteTokens::open_in_memory().unwrap(),
        Arc::clone(&users),
        TokenHasher::new("password-gate-secret"),
    )
    .login_throttle(None)
    .username_throttle(None);
    let srv = login_endpoints::server(sessions, issuer, tokens);
    let cpus = std::thread::available_parallelism().unwrap().get();
    let body = format!(
        r#"{{"username":"admin","password":"{}"}}"#,
        tokens_support::PASS
    );
    let logins = (0..3 * cpus)
        .flat_map(|_| login_endpoints::PATHS)
        .map(|path| post_as(&srv, path, Some("application/json"), &body));
    let answers = futures_util::future::join_all(logins).await;
    for seen in &answers {
        assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());
    }
    let most = users.most.load(Ordering::SeqCst);
    println!(
        "{} logins over 4 endpoints: at most {most} password checks at once, {cpus} CPUs",
        answers.len()
    );
    assert!(
        most <= cpus,
        "{most} checks ran at once: the endpoints did not share one gate of {cpus}"
    );
}
