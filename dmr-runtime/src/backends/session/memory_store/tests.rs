//! The memory store's bounds, on its own clock: TTL, per-user quota, capacity and what a
//! full store does; and the `SessionStore` side (an ended id never comes back).

use std::time::{Duration, Instant};

use actix_session::storage::{SessionKey, SessionStore as _};
use actix_web::cookie::time::Duration as CookieDuration;

use super::*;
use crate::backends::session::SESSION_USER_ID_KEY;

fn anonymous() -> State {
    State::from([("csrf".to_owned(), "\"secret\"".to_owned())])
}

fn login(user: &str) -> State {
    State::from([(SESSION_USER_ID_KEY.to_owned(), format!("\"{user}\""))])
}

fn limits(capacity: usize, per_user: usize) -> SessionLimits {
    SessionLimits::default()
        .capacity(capacity)
        .per_user(per_user)
}

/// The indexes agree with the entries.
fn consistent(s: &Sessions) {
    assert_eq!(s.by_expiry.len(), s.entries.len());
    let users: usize = s.by_user.values().map(Vec::len).sum();
    assert_eq!(s.anonymous.len() + users, s.entries.len());
    assert!(s.by_user.values().all(|own| !own.is_empty()));
    assert!(
        s.by_user
            .values()
            .all(|own| own.is_sorted_by_key(|(o, _)| *o))
    );
}

#[test]
fn a_session_lives_until_its_ttl_then_is_gone() {
    let (t0, hour) = (Instant::now(), Duration::from_secs(3600));
    let mut s = Sessions::default();
    let key = s.save(login("1"), t0, t0 + hour, limits(10, 10)).unwrap();
    assert_eq!(s.load(key.as_ref(), t0 + hour / 2), Some(login("1")));
    assert_eq!(s.load(key.as_ref(), t0 + hour), None, "expired at its TTL");
    assert!(s.entries.is_empty(), "and dropped when read");
    consistent(&s);
}

#[test]
fn expired_sessions_are_dropped_before_anything_else_when_a_session_comes_in() {
    let (t0, min) = (Instant::now(), Duration::from_secs(60));
    let mut s = Sessions::default();
    let l = limits(2, 10);
    s.save(login("1"), t0, t0 + min, l).unwrap();
    s.save(login("2"), t0, t0 + min, l).unwrap();
    // full of logins, but both expired: the new login takes the room, nobody live is refused
    let key = s.save(login("3"), t0 + min, t0 + 2 * min, l).unwrap();
    assert_eq!(s.entries.len(), 1);
    assert!(s.load(key.as_ref(), t0 + min).is_some());
    consistent(&s);
}

#[test]
fn a_full_store_pushes_out_the_oldest_anonymous_session_never_a_login() {
    let (t0, s1) = (Instant::now(), Duration::from_secs(1));
    let hour = Duration::from_secs(3600);
    let mut s = Sessions::default();
    let l = limits(3, 10);
    let old_anon = s.save(anonymous(), t0, t0 + hour, l).unwrap();
    let login_1 = s.save(login("1"), t0 + s1, t0 + s1 + hour, l).unwrap();
    let new_anon = s
        .save(anonymous(), t0 + 2 * s1, t0 + 2 * s1 + hour, l)
        .unwrap();
    // full: the next session (a login) pushes out the oldest anonymous one
    let login_2 = s
        .save(login("2"), t0 + 3 * s1, t0 + 3 * s1 + hour, l)
        .unwrap();
    let now = t0 + 4 * s1;
    assert_eq!(s.load(old_anon.as_ref(), now), None);
    for key in [&login_1, &new_anon, &login_2] {
        assert!(s.load(key.as_ref(), now).is_some());
    }
    // and the next anonymous one pushes out the other anonymous one
    let third_anon = s.save(anonymous(), now, now + hour, l).unwrap();
    assert_eq!(s.load(new_anon.as_ref(), now), None);
    assert!(s.load(third_anon.as_ref(), now).is_some());
    assert_eq!(s.entries.len(), 3);
    consistent(&s);
}

#[test]
fn a_store_full_of_live_logins_refuses_new_sessions_and_keeps_everyone_logged_in() {
    let (t0, hour) = (Instant::now(), Duration::from_secs(3600));
    let mut s = Sessions::default();
    let l = limits(2, 10);
    let a = s.save(login("1"), t0, t0 + hour, l).unwrap();
    let b = s.save(login("2"), t0, t0 + hour, l).unwrap();
    for state in [anonymous(), login("3"), login("1")] {
        let refused = s.save(state, t0, t0 + hour, l).unwrap_err();
        assert!(
            refused.to_string().contains("the session store is full"),
            "{refused}"
        );
    }
    assert!(s.load(a.as_ref(), t0).is_some() && s.load(b.as_ref(), t0).is_some());
    // once one ends, there is room again
    s.remove(a.as_ref());
    s.save(login("3"), t0, t0 + hour, l).unwrap();
    consistent(&s);
}

#[test]
fn one_user_keeps_at_most_their_quota_their_oldest_session_goes() {
    let (t0, s1) = (Instant::now(), Duration::from_secs(1));
    let hour = Duration::from_secs(3600);
    let mut s = Sessions::default();
    let l = limits(100, 2);
    let other = s.save(login("2"), t0, t0 + hour, l).unwrap();
    let keys: Vec<_> = (0..4u32)
        .map(|i| {
            let at = t0 + s1 * i;
            s.save(login("1"), at, at + hour, l).unwrap()
        })
        .collect();
    let now = t0 + 5 * s1;
    let live: Vec<bool> = keys
        .iter()
        .map(|k| s.load(k.as_ref(), now).is_some())
        .collect();
    assert_eq!(live, [false, false, true, true], "the two newest stay");
    assert!(
        s.load(other.as_ref(), now).is_some(),
        "another user is untouched"
    );
    assert_eq!(s.entries.len(), 3);
    consistent(&s);
}

#[test]
fn ending_a_users_sessions_ends_theirs_only() {
    let (t0, hour) = (Instant::now(), Duration::from_secs(3600));
    let mut s = Sessions::default();
    let l = limits(100, 10);
    let mine = [
        s.save(login("1"), t0, t0 + hour, l).unwrap(),
        s.save(login("1"), t0, t0 + hour, l).unwrap(),
    ];
    let theirs = s.save(login("2"), t0, t0 + hour, l).unwrap();
    let anon = s.save(anonymous(), t0, t0 + hour, l).unwrap();
    assert_eq!(s.end_user("1"), 2);
    assert_eq!(s.end_user("1"), 0);
    assert!(mine.iter().all(|k| s.load(k.as_ref(), t0).is_none()));
    assert!(s.load(theirs.as_ref(), t0).is_some() && s.load(anon.as_ref(), t0).is_some());
    consistent(&s);
}

#[actix_rt::test]
async fn an_ended_id_is_never_written_again_and_ttl_updates_keep_the_session() {
    let store = MemorySessionStore::new();
    let ttl = CookieDuration::minutes(5);
    let key = store.save(login("1"), &ttl).await.unwrap();
    let kept = SessionKey::try_from(key.as_ref().to_owned()).unwrap();
    store.update_ttl(&kept, &ttl).await.unwrap();
    assert_eq!(store.load(&kept).await.unwrap(), Some(login("1")));
    let same = store.update(kept, login("1"), &ttl).await.unwrap();
    assert_eq!(same, key, "a live session keeps its id");

    let copy = SessionKey::try_from(key.as_ref().to_owned()).unwrap();
    store.delete(&key).await.unwrap();
    assert_eq!(store.load(&copy).await.unwrap(), None);
    // a write through the ended id (a request with a copied cookie that changes its session)
    // gets a new id; the old one stays ended
    let fresh = store.update(copy, anonymous(), &ttl).await.unwrap();
    assert_ne!(fresh, key);
    assert_eq!(store.load(&key).await.unwrap(), None);
    assert_eq!(store.len(), 1);
    assert_eq!(store.end_user_sessions("1"), 0);
    consistent(&store.lock());
}
