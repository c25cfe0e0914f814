//! The in-memory store's rules: atomic revocation, expiry, the bound.

use super::*;
use crate::backends::jwt::token::unix_now;

#[test]
fn insert_is_atomic_and_reports_the_first_revocation_only() {
    let store = MemoryBlocklist::new(10);
    let far = unix_now() + 3600;
    assert_eq!(store.insert(Entry::Token("a"), far), Ok(true));
    assert_eq!(store.insert(Entry::Token("a"), far), Ok(false));
    // a token and a family with the same id are different entries
    assert_eq!(store.insert(Entry::Family("a"), far), Ok(true));
    assert_eq!(store.contains_any(&[Entry::Token("a")]), Ok(true));
    assert_eq!(store.contains_any(&[Entry::Token("b")]), Ok(false));
    assert_eq!(
        store.contains_any(&[Entry::Token("b"), Entry::Family("a")]),
        Ok(true)
    );
}

#[test]
fn expired_entries_are_not_revoked_and_make_room() {
    let store = MemoryBlocklist::new(2);
    let now = unix_now();
    assert_eq!(store.insert(Entry::Token("gone"), now - 1), Ok(true));
    assert_eq!(store.contains_any(&[Entry::Token("gone")]), Ok(false));
    assert_eq!(store.insert(Entry::Token("a"), now + 3600), Ok(true));
    // full with "gone" and "a": the expired one is purged for "b"
    assert_eq!(store.insert(Entry::Token("b"), now + 3600), Ok(true));
    assert_eq!(store.len(), 2);
    // full of live entries: refused, nothing forgotten
    assert!(store.insert(Entry::Token("c"), now + 3600).is_err());
    assert_eq!(store.contains_any(&[Entry::Token("a")]), Ok(true));
    // revoking again what is there is not an error
    assert_eq!(store.insert(Entry::Token("a"), now + 7200), Ok(false));
}

#[test]
fn a_second_revocation_keeps_the_longer_life() {
    let store = MemoryBlocklist::new(4);
    let now = unix_now();
    assert_eq!(store.insert(Entry::Family("f"), now + 1), Ok(true));
    assert_eq!(store.insert(Entry::Family("f"), now + 3600), Ok(false));
    assert_eq!(store.insert(Entry::Family("f"), now - 10), Ok(false));
    assert_eq!(store.contains_any(&[Entry::Family("f")]), Ok(true));
    assert_eq!(store.len(), 1);
}

#[test]
fn concurrent_inserts_of_one_entry_succeed_once() {
    let store = std::sync::Arc::new(MemoryBlocklist::new(100));
    let far = unix_now() + 60;
    let wins: usize = (0..8)
        .map(|_| {
            let store = std::sync::Arc::clone(&store);
            std::thread::spawn(move || store.insert(Entry::Token("same"), far))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| usize::from(h.join().unwrap().unwrap()))
        .sum();
    assert_eq!(wins, 1);
}

#[test]
fn an_error_becomes_a_503_with_the_documented_message() {
    let err = BlocklistError::new("down").into_auth_error();
    assert_eq!(err.status().as_u16(), 503);
    assert_eq!(err.message(), Some(BLOCKLIST_UNAVAILABLE));
}

#[test]
fn one_subject_cannot_take_more_than_its_quota_of_each_kind() {
    let store = MemoryBlocklist::new(100).per_subject(2);
    let far = unix_now() + 3600;
    assert_eq!(
        store.insert_for(Entry::Token("m1"), far, "mallory"),
        Ok(true)
    );
    assert_eq!(
        store.insert_for(Entry::Token("m2"), far, "mallory"),
        Ok(true)
    );
    let over = store
        .insert_for(Entry::Token("m3"), far, "mallory")
        .unwrap_err();
    assert!(over.is_over_quota());
    assert!(over.retry_after().is_some());
    // revoking again what is held is not refused
    assert_eq!(
        store.insert_for(Entry::Token("m1"), far, "mallory"),
        Ok(false)
    );
    // families have a quota of their own: a full token quota does not stop a logout
    assert_eq!(
        store.insert_for(Entry::Family("f"), far, "mallory"),
        Ok(true)
    );
    // other subjects are not affected
    assert_eq!(store.insert_for(Entry::Token("a1"), far, "alice"), Ok(true));
    assert_eq!(store.contains_any(&[Entry::Token("m2")]), Ok(true));
}

#[test]
fn expired_entries_give_a_subject_its_quota_back() {
    let store = MemoryBlocklist::new(100).per_subject(1);
    let now = unix_now();
    assert_eq!(
        store.insert_for(Entry::Token("old"), now - 1, "bob"),
        Ok(true)
    );
    assert_eq!(
        store.insert_for(Entry::Token("new"), now + 60, "bob"),
        Ok(true)
    );
    assert!(
        store
            .insert_for(Entry::Token("more"), now + 60, "bob")
            .unwrap_err()
            .is_over_quota()
    );
    assert_eq!(store.len(), 1);
}

#[test]
fn a_full_store_is_unavailable_not_over_quota() {
    let store = MemoryBlocklist::new(2);
    let far = unix_now() + 3600;
    assert_eq!(store.insert_for(Entry::Token("a"), far, "a"), Ok(true));
    assert_eq!(store.insert_for(Entry::Token("b"), far, "b"), Ok(true));
    let full = store.insert_for(Entry::Token("c"), far, "c").unwrap_err();
    assert!(!full.is_over_quota());
}
