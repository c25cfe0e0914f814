//! The SQLite store's bounds on its own clock (as the memory store's), its count kept by
//! the triggers, sessions surviving a reopened file and shared by two connections, and a
//! locked file failing instead of hanging.

use std::path::PathBuf;
use std::time::Instant;

use super::*;
use crate::backends::session::SESSION_USER_ID_KEY;

const MIN: i64 = 60_000;

fn anonymous() -> State {
    State::from([("csrf".to_owned(), "\"secret\"".to_owned())])
}

fn login(user: &str) -> State {
    State::from([(SESSION_USER_ID_KEY.to_owned(), format!("\"{user}\""))])
}

fn store(capacity: usize, per_user: usize) -> SqliteSessionStore {
    SqliteSessionStore::open_in_memory().unwrap().limits(
        SessionLimits::default()
            .capacity(capacity)
            .per_user(per_user),
    )
}

fn save(s: &SqliteSessionStore, state: &State, now: i64) -> anyhow::Result<SessionKey> {
    s.save_blocking(state, &serialized(state).unwrap(), now, now + 60 * MIN)
}

fn live(s: &SqliteSessionStore, key: &SessionKey, now: i64) -> bool {
    s.load_blocking(key.as_ref(), now).unwrap().is_some()
}

/// The count the triggers keep is the table's.
fn counted(s: &SqliteSessionStore) -> usize {
    let rows: i64 = s
        .with(|c| c.query_row("SELECT COUNT(*) FROM dmr_sessions", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(s.len().unwrap(), usize::try_from(rows).unwrap());
    s.len().unwrap()
}

/// A database file of this test's own, removed when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let file = format!("dmr-sessions-{name}-{}-{nanos}.sqlite3", std::process::id());
        Self(std::env::temp_dir().join(file))
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

#[test]
fn a_session_lives_until_its_ttl_and_expired_ones_go_first() {
    let s = store(2, 10);
    let t0 = 1_000 * MIN;
    let a = s
        .save_blocking(&login("1"), "{}", t0, t0 + MIN)
        .expect("saved");
    assert!(live(&s, &a, t0 + MIN - 1) && !live(&s, &a, t0 + MIN));
    s.save_blocking(&login("2"), "{}", t0, t0 + MIN).unwrap();
    // full of logins, both expired: the new one takes the room
    let c = save(&s, &login("3"), t0 + MIN).unwrap();
    assert!(live(&s, &c, t0 + MIN));
    assert_eq!(counted(&s), 1);
}

#[test]
fn a_full_file_pushes_out_the_oldest_anonymous_session_then_refuses() {
    let s = store(3, 10);
    let t0 = 1_000 * MIN;
    let old_anon = save(&s, &anonymous(), t0).unwrap();
    let login_1 = save(&s, &login("1"), t0 + 1).unwrap();
    let new_anon = save(&s, &anonymous(), t0 + 2).unwrap();
    let login_2 = save(&s, &login("2"), t0 + 3).unwrap();
    assert!(!live(&s, &old_anon, t0 + 4));
    assert!(
        [&login_1, &new_anon, &login_2]
            .iter()
            .all(|k| live(&s, k, t0 + 4))
    );
    let login_3 = save(&s, &login("3"), t0 + 5).unwrap();
    assert!(!live(&s, &new_anon, t0 + 6) && live(&s, &login_3, t0 + 6));
    // full of live logins: refused, nobody logged out
    for state in [anonymous(), login("4")] {
        let refused = save(&s, &state, t0 + 7).unwrap_err();
        assert!(
            refused.to_string().contains("the session store is full"),
            "{refused}"
        );
    }
    assert!(
        [&login_1, &login_2, &login_3]
            .iter()
            .all(|k| live(&s, k, t0 + 8))
    );
    assert_eq!(counted(&s), 3);
}

#[test]
fn one_user_keeps_their_quota_and_ending_theirs_leaves_the_others() {
    let s = store(100, 2);
    let t0 = 1_000 * MIN;
    let other = save(&s, &login("2"), t0).unwrap();
    let mine: Vec<_> = (0..4)
        .map(|i| save(&s, &login("1"), t0 + i).unwrap())
        .collect();
    let alive: Vec<bool> = mine.iter().map(|k| live(&s, k, t0 + 5)).collect();
    assert_eq!(alive, [false, false, true, true]);
    assert!(live(&s, &other, t0 + 5));
    assert_eq!(s.end_user_sessions("1").unwrap(), 2);
    assert!(live(&s, &other, t0 + 5));
    assert_eq!(counted(&s), 1);
}

#[actix_rt::test]
async fn sessions_survive_a_reopened_file_and_two_connections_share_them() {
    let db = TempDb::new("shared");
    let ttl = CookieDuration::minutes(5);
    let first = SqliteSessionStore::open(&db.0).unwrap();
    let key = first.save(login("1"), &ttl).await.unwrap();
    drop(first);
    // a restart: the same file, a new store
    let (a, b) = (
        SqliteSessionStore::open(&db.0).unwrap(),
        SqliteSessionStore::open(&db.0).unwrap(),
    );
    assert_eq!(a.load(&key).await.unwrap(), Some(login("1")));
    let copy = SessionKey::try_from(key.as_ref().to_owned()).unwrap();
    b.delete(&key).await.unwrap();
    assert_eq!(
        a.load(&copy).await.unwrap(),
        None,
        "a logout through b ends it for a"
    );
    // a write through the ended id gets a new one
    let fresh = a.update(copy, anonymous(), &ttl).await.unwrap();
    assert_ne!(fresh, key);
    assert_eq!(b.load(&fresh).await.unwrap(), Some(anonymous()));
    assert_eq!(b.load(&key).await.unwrap(), None);
    assert_eq!(counted(&a), 1);
}

#[actix_rt::test]
async fn a_locked_file_fails_within_the_busy_timeout_and_recovers() {
    let db = TempDb::new("locked");
    let ttl = CookieDuration::minutes(5);
    let store = SqliteSessionStore::open(&db.0).unwrap();
    let key = store.save(login("1"), &ttl).await.unwrap();
    let other = Connection::open(&db.0).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = Instant::now();
    assert!(
        store.load(&key).await.is_err(),
        "no answer it could not read"
    );
    assert!(store.save(login("2"), &ttl).await.is_err());
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(store.load(&key).await.unwrap(), Some(login("1")));
}
