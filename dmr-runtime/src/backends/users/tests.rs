//! The dummy hash an unknown user name is verified against carries the store's own costs.

use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::{Params, PasswordHash};

use super::{MemoryUsers, StoredUser, UserStore, UserStoreError};

/// Costs far from Argon2's defaults (19 MiB, 2 passes, 1 lane).
fn unusual() -> Params {
    Params::new(64, 3, 2, None).expect("valid params")
}

/// The `(m, t, p)` costs written in a PHC string.
fn costs(phc: &str) -> (u32, u32, u32) {
    let hash = PasswordHash::new(phc).expect("a PHC string");
    let p = Params::try_from(&hash).expect("argon2 params");
    (p.m_cost(), p.t_cost(), p.p_cost())
}

fn costs_of(p: &Params) -> (u32, u32, u32) {
    (p.m_cost(), p.t_cost(), p.p_cost())
}

#[test]
fn memory_store_dummy_uses_its_params() {
    let users = MemoryUsers::with_params(unusual());
    users.add("1", "admin", "pw").unwrap();
    let real = users.find_by_username("admin").unwrap().unwrap();
    let dummy = users.dummy_hash().expect("a dummy hash");
    assert_eq!(costs(dummy), costs_of(&unusual()));
    assert_eq!(costs(dummy), costs(&real.password_hash));
    // made once per store, shared by its clones
    assert!(std::ptr::eq(dummy, users.clone().dummy_hash().unwrap()));
}

#[test]
fn default_stores_keep_the_default_costs() {
    let users = MemoryUsers::new();
    assert_eq!(
        costs(users.dummy_hash().unwrap()),
        costs_of(&Params::DEFAULT)
    );
}

#[cfg(feature = "sqlite")]
#[test]
fn sqlite_store_dummy_follows_its_params() {
    let users = super::SqliteUsers::open_in_memory().unwrap();
    let _ = users.dummy_hash(); // made with the defaults, then the costs change
    let users = users.params(unusual());
    users.add("1", "admin", "pw").unwrap();
    let real = users.find_by_username("admin").unwrap().unwrap();
    assert_eq!(costs(users.dummy_hash().unwrap()), costs_of(&unusual()));
    assert_eq!(costs(&real.password_hash), costs_of(&unusual()));
}

/// A store counting how often `authenticate` asks for the dummy hash.
struct Counting {
    users: MemoryUsers,
    dummies: AtomicUsize,
}

impl UserStore for Counting {
    fn find_by_username(&self, username: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.users.find_by_username(username)
    }
    fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.users.find_by_id(id)
    }
    fn dummy_hash(&self) -> Option<&str> {
        self.dummies.fetch_add(1, Ordering::SeqCst);
        self.users.dummy_hash()
    }
}

#[test]
fn unknown_names_are_verified_against_the_stores_dummy() {
    let store = Counting {
        users: MemoryUsers::with_params(unusual()),
        dummies: AtomicUsize::new(0),
    };
    store.users.add("1", "admin", "pw").unwrap();
    assert!(store.authenticate("ghost", "pw").unwrap().is_none());
    assert_eq!(store.dummies.load(Ordering::SeqCst), 1);
    assert!(store.authenticate("admin", "nope").unwrap().is_none());
    assert!(store.authenticate("admin", "pw").unwrap().is_some());
    assert_eq!(
        store.dummies.load(Ordering::SeqCst),
        1,
        "known names skip it"
    );
    // through an `Arc`, as the session configuration holds stores
    let shared: std::sync::Arc<dyn UserStore> = std::sync::Arc::new(store);
    assert!(shared.authenticate("ghost", "pw").unwrap().is_none());
    assert_eq!(costs(shared.dummy_hash().unwrap()), costs_of(&unusual()));
}
