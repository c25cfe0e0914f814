//! The embedded server-side session stores end sessions for good, through real servers, each
//! test over the memory store and over a SQLite file: a cookie copied before logout, or before
//! a new login, is refused afterwards (with the cookie store it is not: its trade-off); a
//! password change and `end_user_sessions` end every session of the user; a store full of
//! logins answers 503 with `Retry-After` and logs nobody out. The SQLite file keeps sessions
//! across a restart, and a locked file answers 503, then recovers.

mod session_support;

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use actix_web::cookie::Key;
use dmr_runtime::backends::session::{MemorySessionStore, SessionLimits, SqliteSessionStore};
use dmr_tests::{NOT_AUTHENTICATED, TestServer};
use session_support::*;

const UNAVAILABLE: &str = r#"{"detail":[{"msg":"Session store unavailable: retry later"}]}"#;

/// A SQLite file of this test's own, removed when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let file = format!("dmr-test-{name}-{}-{nanos}.sqlite3", std::process::id());
        Self(std::env::temp_dir().join(file))
    }

    fn store(&self) -> SqliteSessionStore {
        SqliteSessionStore::open(&self.0).expect("open the session file")
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// What the copied jar gets on both kinds of endpoint: 401 both times, or the user.
async fn seen_as(srv: &TestServer, jar: &Jar) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    for path in ["/p/", "/sync/"] {
        let seen = call(srv, &mut jar.clone(), "GET", path, &[], None).await;
        out.push((seen.status.as_u16(), seen.text()));
    }
    out
}

fn refused() -> Vec<(u16, String)> {
    vec![(401, NOT_AUTHENTICATED.to_owned()); 2]
}

fn admin() -> Vec<(u16, String)> {
    vec![
        (200, "session:admin".to_owned()),
        (200, "sync:admin".to_owned()),
    ]
}

/// Logs in, copies the cookies, logs out: the copy is refused afterwards.
async fn copy_outlives_logout(srv: &TestServer) -> Vec<(u16, String)> {
    let mut jar = logged_in(srv, "admin").await;
    let copy = jar.clone();
    assert_eq!(seen_as(srv, &copy).await, admin());
    assert_eq!(logout(srv, &mut jar).await.status, 204);
    assert_eq!(jar.get("sessionid"), None, "the client's cookie is cleared");
    seen_as(srv, &copy).await
}

#[actix_rt::test]
async fn logout_ends_the_session_a_cookie_copied_before_is_refused() {
    let cfg = config(users());
    let db = TempDb::new("logout");
    assert_eq!(copy_outlives_logout(&server(&cfg)).await, refused());
    assert_eq!(
        copy_outlives_logout(&server_on(&cfg, db.store())).await,
        refused()
    );
    // the cookie store's trade-off: the copy keeps working until the session's TTL
    assert_eq!(copy_outlives_logout(&cookie_server(&cfg)).await, admin());
}

async fn new_login_ends_the_previous_one(srv: &TestServer) {
    let mut jar = logged_in(srv, "admin").await;
    let before = jar.clone();
    assert_eq!(login(srv, &mut jar, "admin", PASS).await.status, 200);
    assert_ne!(jar.get("sessionid"), before.get("sessionid"), "a new id");
    assert_eq!(seen_as(srv, &jar).await, admin());
    assert_eq!(seen_as(srv, &before).await, refused(), "the old id is gone");
    // another user's login over this browser's session ends it too
    let mine = jar.clone();
    assert_eq!(login(srv, &mut jar, "bob", PASS).await.status, 200);
    assert_eq!(seen_as(srv, &mine).await, refused());
}

#[actix_rt::test]
async fn a_new_login_ends_the_previous_session_of_the_browser() {
    let cfg = config(users());
    let db = TempDb::new("relogin");
    new_login_ends_the_previous_one(&server(&cfg)).await;
    new_login_ends_the_previous_one(&server_on(&cfg, db.store())).await;
}

#[actix_rt::test]
async fn a_password_change_ends_every_session_of_the_user_in_either_store() {
    let db = TempDb::new("password");
    for with_file in [false, true] {
        let users = users();
        let cfg = config(users.clone());
        let srv = if with_file {
            server_on(&cfg, db.store())
        } else {
            server(&cfg)
        };
        let (laptop, phone) = (
            logged_in(&srv, "admin").await,
            logged_in(&srv, "admin").await,
        );
        let bob = logged_in(&srv, "bob").await;
        users.set_password("admin", "new-pass").unwrap();
        assert_eq!(seen_as(&srv, &laptop).await, refused());
        assert_eq!(seen_as(&srv, &phone).await, refused());
        let seen = call(&srv, &mut bob.clone(), "GET", "/p/", &[], None).await;
        assert_eq!(seen.text(), "session:bob", "another user stays logged in");
    }
}

#[actix_rt::test]
async fn ending_a_users_sessions_logs_them_out_everywhere_and_nobody_else() {
    let cfg = config(users());
    let (memory, db) = (MemorySessionStore::new(), TempDb::new("end-user"));
    let file = db.store();
    let servers = [
        server_on(&cfg, memory.clone()),
        server_on(&cfg, file.clone()),
    ];
    let ended: [Box<dyn Fn() -> usize>; 2] = [
        Box::new(move || memory.end_user_sessions("1")),
        Box::new(move || file.end_user_sessions("1").expect("the file answers")),
    ];
    for (srv, end) in servers.iter().zip(ended) {
        let (laptop, phone) = (logged_in(srv, "admin").await, logged_in(srv, "admin").await);
        let bob = logged_in(srv, "bob").await;
        assert_eq!(end(), 2);
        assert_eq!(seen_as(srv, &laptop).await, refused());
        assert_eq!(seen_as(srv, &phone).await, refused());
        let seen = call(srv, &mut bob.clone(), "GET", "/p/", &[], None).await;
        assert_eq!(seen.text(), "session:bob");
    }
}

/// Two users fill a store of two; a third login is refused with 503, nobody is logged out,
/// and once one logs out the next login gets the room.
async fn full_of_logins(srv: &TestServer) {
    let mut admin_jar = logged_in(srv, "admin").await;
    let bob = logged_in(srv, "bob").await;
    let mut third = Jar::default();
    let seen = login(srv, &mut third, "admin", PASS).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (503, UNAVAILABLE.to_owned())
    );
    assert_eq!(seen.header("retry-after"), Some("1"));
    assert_eq!(third.get("sessionid"), None);
    assert_eq!(seen_as(srv, &admin_jar).await, admin());
    let seen = call(srv, &mut bob.clone(), "GET", "/p/", &[], None).await;
    assert_eq!(seen.text(), "session:bob");
    assert_eq!(logout(srv, &mut admin_jar).await.status, 204);
    assert_eq!(login(srv, &mut third, "admin", PASS).await.status, 200);
    assert_eq!(seen_as(srv, &third).await, admin());
}

#[actix_rt::test]
async fn a_store_full_of_logins_answers_503_with_retry_after_and_logs_nobody_out() {
    let cfg = config(users());
    let two = SessionLimits::default().capacity(2);
    let db = TempDb::new("full");
    full_of_logins(&server_on(&cfg, MemorySessionStore::new().limits(two))).await;
    full_of_logins(&server_on(&cfg, db.store().limits(two))).await;
}

#[actix_rt::test]
async fn the_sqlite_file_keeps_sessions_across_a_restart() {
    let cfg = config(users());
    let (db, key) = (TempDb::new("restart"), Key::generate());
    let store = db.store();
    let jar = logged_in(
        &server_with(&cfg, move || store.clone(), key.clone()),
        "admin",
    )
    .await;
    // a new server process: a new store over the same file, the same key
    let store = db.store();
    let srv = server_with(&cfg, move || store.clone(), key);
    assert_eq!(seen_as(&srv, &jar).await, admin());
}

#[actix_rt::test]
async fn a_locked_session_file_answers_503_within_the_store_timeout_then_recovers() {
    let cfg = config(users());
    let db = TempDb::new("locked");
    let srv = server_on(&cfg, db.store());
    let jar = logged_in(&srv, "admin").await;
    let holder = rusqlite_lock(&db);
    let started = Instant::now();
    let seen = call(&srv, &mut jar.clone(), "GET", "/p/", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (503, UNAVAILABLE.to_owned())
    );
    assert_eq!(seen.header("retry-after"), Some("1"));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "within the store timeout: {:?}",
        started.elapsed()
    );
    // a request without a session cookie does not touch the store
    let seen = call(&srv, &mut Jar::default(), "GET", "/p/", &[], None).await;
    assert_eq!(seen.status, 401);
    drop(holder);
    assert_eq!(seen_as(&srv, &jar).await, admin());
}

/// Another connection (another process, say) holding an exclusive lock on the file until
/// dropped.
fn rusqlite_lock(db: &TempDb) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(&db.0).expect("open");
    conn.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    conn
}
