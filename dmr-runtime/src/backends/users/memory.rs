//! [`MemoryUsers`]: the embedded user store, a map in memory holding Argon2 hashes.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use argon2::Params;

use super::{
    DummyHash, PasswordHashError, StoredUser, UserStore, UserStoreError, hash_password_with,
};

/// Users in memory, keyed by name, with Argon2 hashes of their passwords.
///
/// Clones share the same users, so a test or an admin endpoint can add, deactivate or
/// re-password users after the store was handed to the session configuration.
///
/// ```
/// use dmr_runtime::backends::users::{MemoryUsers, UserStore};
///
/// let users = MemoryUsers::new();
/// users.add("7", "alice", "wonderland").unwrap();
/// assert_eq!(users.find_by_id("7").unwrap().unwrap().username, "alice");
/// users.set_password("alice", "looking-glass").unwrap();
/// assert!(users.authenticate("alice", "looking-glass").unwrap().is_some());
/// ```
#[derive(Clone, Default)]
pub struct MemoryUsers {
    inner: Arc<RwLock<Inner>>,
    params: Option<Params>,
    /// What unknown names are verified against, made with `params`.
    dummy: DummyHash,
}

#[derive(Default)]
struct Inner {
    by_name: HashMap<String, StoredUser>,
    /// id -> name
    ids: HashMap<String, String>,
}

impl std::fmt::Debug for MemoryUsers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryUsers")
            .field("users", &self.read(|i| i.by_name.len()))
            .finish()
    }
}

impl MemoryUsers {
    /// An empty store hashing with Argon2's default costs.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store hashing new passwords with these Argon2 costs (existing hashes keep
    /// theirs). Unknown user names are refused at the cost of one verification with these
    /// costs: when [`insert`](Self::insert)ing hashes made elsewhere, pass their costs here.
    pub fn with_params(params: Params) -> Self {
        Self {
            params: Some(params),
            ..Self::default()
        }
    }

    fn read<R>(&self, f: impl FnOnce(&Inner) -> R) -> R {
        f(&self.inner.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn write<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        f(&mut self.inner.write().unwrap_or_else(PoisonError::into_inner))
    }

    fn params(&self) -> &Params {
        self.params.as_ref().unwrap_or(&Params::DEFAULT)
    }

    fn hash(&self, password: &str) -> Result<String, PasswordHashError> {
        hash_password_with(password, self.params())
    }

    /// Adds (or replaces) an active user, hashing the password.
    pub fn add(&self, id: &str, username: &str, password: &str) -> Result<(), PasswordHashError> {
        let password_hash = self.hash(password)?;
        self.insert(StoredUser {
            id: id.to_owned(),
            username: username.to_owned(),
            password_hash,
            is_active: true,
        });
        Ok(())
    }

    /// Adds (or replaces) a user whose password is already hashed (with the store's costs,
    /// see [`with_params`](Self::with_params), so that unknown names cost as much to refuse).
    pub fn insert(&self, user: StoredUser) {
        self.write(|i| {
            if let Some(old) = i.by_name.remove(&user.username) {
                i.ids.remove(&old.id);
            }
            if let Some(old_name) = i.ids.insert(user.id.clone(), user.username.clone()) {
                i.by_name.remove(&old_name);
            }
            i.by_name.insert(user.username.clone(), user);
        });
    }

    /// Activates or deactivates a user; `false` if there is no such user.
    pub fn set_active(&self, username: &str, active: bool) -> bool {
        self.write(|i| {
            i.by_name
                .get_mut(username)
                .map(|u| u.is_active = active)
                .is_some()
        })
    }

    /// Sets a new password (ending the user's other sessions); `Ok(false)` if there is no
    /// such user.
    pub fn set_password(&self, username: &str, password: &str) -> Result<bool, PasswordHashError> {
        let hash = self.hash(password)?;
        Ok(self.write(|i| {
            i.by_name
                .get_mut(username)
                .map(|u| u.password_hash = hash)
                .is_some()
        }))
    }

    /// Removes a user; `false` if there was none.
    pub fn remove(&self, username: &str) -> bool {
        self.write(|i| {
            let user = i.by_name.remove(username);
            if let Some(u) = &user {
                i.ids.remove(&u.id);
            }
            user.is_some()
        })
    }
}

impl UserStore for MemoryUsers {
    fn find_by_username(&self, username: &str) -> Result<Option<StoredUser>, UserStoreError> {
        Ok(self.read(|i| i.by_name.get(username).cloned()))
    }

    fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        Ok(self.read(|i| i.ids.get(id).and_then(|name| i.by_name.get(name)).cloned()))
    }

    fn is_blocking(&self) -> bool {
        false
    }

    fn dummy_hash(&self) -> Option<&str> {
        self.dummy.get(self.params())
    }
}
