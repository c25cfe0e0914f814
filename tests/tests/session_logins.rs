//! Login hardening through a real server: password verifications are bounded by
//! `SessionConfig::max_concurrent_logins`, and unknown names are verified against the store's
//! own dummy hash (its costs, not the library's defaults).

mod session_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dmr_runtime::backends::session::CookieSessionStore;
use dmr_runtime::backends::users::{MemoryUsers, StoredUser, UserStore, UserStoreError};
use session_support::*;

/// Counters a [`Watched`] store shares with the test.
#[derive(Default)]
struct Watch {
    /// Verifications running now.
    running: AtomicUsize,
    /// The most that ever ran at once.
    high_water: AtomicUsize,
    /// Verifications of real users.
    verified: AtomicUsize,
    /// Dummy hashes handed out for unknown names.
    dummies: AtomicUsize,
}

/// The test users, with a slow `verify_password` that records how many run at once.
struct Watched {
    users: MemoryUsers,
    watch: Arc<Watch>,
}

impl UserStore for Watched {
    fn find_by_username(&self, username: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.users.find_by_username(username)
    }
    fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.users.find_by_id(id)
    }
    fn verify_password(&self, user: &StoredUser, password: &str) -> bool {
        let w = &self.watch;
        let now = w.running.fetch_add(1, Ordering::SeqCst) + 1;
        w.high_water.fetch_max(now, Ordering::SeqCst);
        w.verified.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(40));
        let ok = self.users.verify_password(user, password);
        w.running.fetch_sub(1, Ordering::SeqCst);
        ok
    }
    fn dummy_hash(&self) -> Option<&str> {
        self.watch.dummies.fetch_add(1, Ordering::SeqCst);
        self.users.dummy_hash()
    }
}

fn watched() -> (Watched, Arc<Watch>) {
    let watch = Arc::new(Watch::default());
    let store = Watched {
        users: users(),
        watch: Arc::clone(&watch),
    };
    (store, watch)
}

/// `n` logins of `admin` at once; every one succeeds.
async fn flood(srv: &dmr_tests::TestServer, n: usize) {
    let logins = (0..n).map(|_| async {
        let seen = login(srv, &mut Jar::default(), "admin", PASS).await;
        assert_eq!(seen.status, 200, "{}", seen.text());
    });
    futures_util::future::join_all(logins).await;
}

#[actix_rt::test]
async fn one_password_verification_at_a_time_when_limited_to_one() {
    let (store, watch) = watched();
    let cfg = dmr_runtime::backends::session::SessionConfig::new(store)
        .secure(false)
        .max_concurrent_logins(1);
    let srv = server(&cfg);
    flood(&srv, 8).await;
    assert_eq!(watch.verified.load(Ordering::SeqCst), 8);
    assert_eq!(watch.high_water.load(Ordering::SeqCst), 1);
}

#[actix_rt::test]
async fn the_limit_is_shared_by_every_worker() {
    let (store, watch) = watched();
    // 12 logins from one address: more than the default login throttles allow
    let cfg = dmr_runtime::backends::session::SessionConfig::new(store)
        .secure(false)
        .max_concurrent_logins(1)
        .login_throttle(None)
        .username_throttle(None);
    // four workers, each with its own app data (`cfg.app_data()` runs once per worker)
    let api = api(&cfg);
    let key = actix_web::cookie::Key::generate();
    let srv = actix_test::start_with(actix_test::config().workers(4), move || {
        let api = api.clone();
        actix_web::App::new()
            .wrap(cfg.middleware(CookieSessionStore::default(), key.clone()))
            .app_data(cfg.app_data())
            .configure(move |c| api.configure(c))
    });
    flood(&srv, 12).await;
    assert_eq!(watch.verified.load(Ordering::SeqCst), 12);
    assert_eq!(watch.high_water.load(Ordering::SeqCst), 1);
}

#[actix_rt::test]
async fn the_default_limit_is_the_available_parallelism() {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(config(users()).get_max_concurrent_logins(), cpus);
    let zero = config(users()).max_concurrent_logins(0);
    assert_eq!(
        zero.get_max_concurrent_logins(),
        1,
        "never zero: logins would hang"
    );
}

#[actix_rt::test]
async fn unknown_names_are_checked_against_the_stores_dummy_hash() {
    let (store, watch) = watched();
    let srv = server(&dmr_runtime::backends::session::SessionConfig::new(store).secure(false));
    let seen = login(&srv, &mut Jar::default(), "ghost", PASS).await;
    assert_eq!(seen.status, 401);
    assert_eq!(watch.dummies.load(Ordering::SeqCst), 1);
    assert_eq!(watch.verified.load(Ordering::SeqCst), 0);
    let seen = login(&srv, &mut Jar::default(), "admin", "wrong").await;
    assert_eq!(seen.status, 401);
    assert_eq!(watch.dummies.load(Ordering::SeqCst), 1);
    assert_eq!(watch.verified.load(Ordering::SeqCst), 1);
    // the store's dummy carries the store's costs (the session tests' cheap ones)
    let dummy = users().dummy_hash().expect("a dummy hash").to_owned();
    let real = users().find_by_username("admin").unwrap().unwrap();
    let costs = |phc: &str| phc.split('$').nth(3).map(str::to_owned);
    assert_eq!(costs(&dummy), costs(&real.password_hash));
    assert_eq!(costs(&dummy).as_deref(), Some("m=8,t=1,p=1"));
}
