//! Users and passwords for the credential views: the [`UserStore`] trait, an in-memory store
//! keeping Argon2 hashes ([`MemoryUsers`]) and, with the `sqlite` feature, a SQLite one
//! ([`SqliteUsers`]).
//!
//! Passwords never leave [`UserStore::authenticate`]: they are not stored, logged, or put in
//! an error. [`StoredUser`]'s `Debug` hides the hash.
//!
//! Your own user table joins in by implementing the two look-ups; password verification,
//! the active flag and the timing of unknown names come with the trait:
//!
//! ```
//! use std::collections::HashMap;
//!
//! use dmr_runtime::backends::session::SessionConfig;
//! use dmr_runtime::backends::users::{StoredUser, UserStore, UserStoreError, hash_password};
//!
//! /// Stands in for a database table.
//! struct MyUsers(HashMap<String, StoredUser>);
//!
//! impl UserStore for MyUsers {
//!     fn find_by_username(&self, name: &str) -> Result<Option<StoredUser>, UserStoreError> {
//!         Ok(self.0.get(name).cloned())
//!     }
//!     fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
//!         Ok(self.0.values().find(|u| u.id == id).cloned())
//!     }
//! }
//!
//! let ann = StoredUser {
//!     id: "7".into(),
//!     username: "ann".into(),
//!     password_hash: hash_password("correct horse").unwrap(),
//!     is_active: true,
//! };
//! let users = MyUsers(HashMap::from([("ann".to_owned(), ann)]));
//! assert_eq!(users.authenticate("ann", "correct horse").unwrap().unwrap().id, "7");
//! assert!(users.authenticate("ann", "wrong").unwrap().is_none());
//! assert!(users.authenticate("bob", "correct horse").unwrap().is_none());
//!
//! // The store behind session auth and the login controller.
//! let sessions = SessionConfig::new(users);
//! # let _ = sessions;
//! ```
//!
//! With the `sqlite` feature, [`SqliteUsers`] keeps them in a SQLite table:
//!
//! ```
//! # #[cfg(feature = "sqlite")] {
//! use dmr_runtime::backends::users::{SqliteUsers, UserStore};
//!
//! let users = SqliteUsers::open_in_memory().unwrap(); // or SqliteUsers::open("users.db")
//! users.add("1", "admin", "pass").unwrap();
//! assert_eq!(users.authenticate("admin", "pass").unwrap().unwrap().username, "admin");
//! # }
//! ```

mod memory;
mod password;
#[cfg(feature = "sqlite")]
mod sqlite;

use std::fmt;

/// Argon2 costs (`Params::new(m_cost, t_cost, p_cost, None)`), re-exported so stores can be
/// tuned without depending on `argon2`.
pub use argon2::Params as Argon2Params;
pub use memory::MemoryUsers;
pub(crate) use password::{
    DummyHash, default_dummy_hash, session_hash, verify_dummy, with_slot_memory,
};
pub use password::{
    PasswordHashError, dummy_hash_with, hash_password, hash_password_with, verify_password,
};
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use sqlite::SqliteUsers;

/// One user as a store keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredUser {
    /// The stable id (`"1"`, a UUID); sessions remember it.
    pub id: String,
    /// The login name.
    pub username: String,
    /// The Argon2 PHC string of the password.
    pub password_hash: String,
    /// Inactive users cannot log in, and their sessions stop authenticating.
    pub is_active: bool,
}

impl fmt::Debug for StoredUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredUser")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password_hash", &"<hidden>")
            .field("is_active", &self.is_active)
            .finish()
    }
}

/// A store failed (a database error); its message never contains a password.
#[derive(Debug)]
pub struct UserStoreError(Box<dyn std::error::Error + Send + Sync>);

impl UserStoreError {
    /// Wraps the underlying error.
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(e.into())
    }
}

impl fmt::Display for UserStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "user store failed: {}", self.0)
    }
}

impl std::error::Error for UserStoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// Where users live: look-ups by name and by id, password verification, the active flag.
///
/// Methods are synchronous and may block (a database): session auth calls them inline on
/// sync endpoints and through actix's blocking pool on async ones, unless
/// [`UserStore::is_blocking`] says they never block.
///
/// ```
/// use dmr_runtime::backends::users::{MemoryUsers, UserStore};
///
/// let users = MemoryUsers::new();
/// users.add("1", "admin", "s3cret").unwrap();
/// let found = users.authenticate("admin", "s3cret").unwrap().unwrap();
/// assert_eq!(found.id, "1");
/// assert!(users.authenticate("admin", "wrong").unwrap().is_none());
/// users.set_active("admin", false);
/// assert!(users.authenticate("admin", "s3cret").unwrap().is_none());
/// ```
pub trait UserStore: Send + Sync + 'static {
    /// The user with this login name.
    fn find_by_username(&self, username: &str) -> Result<Option<StoredUser>, UserStoreError>;

    /// The user with this id.
    fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError>;

    /// Whether `password` is the user's (default: Argon2 verification of
    /// [`StoredUser::password_hash`]).
    fn verify_password(&self, user: &StoredUser, password: &str) -> bool {
        verify_password(password, &user.password_hash)
    }

    /// Whether the look-ups may block (default `true`; the in-memory store says `false`).
    fn is_blocking(&self) -> bool {
        true
    }

    /// The Argon2 PHC string an unknown user name's password is verified against, so that
    /// refusing it costs as much time as a wrong password: it must carry the costs of the
    /// store's own hashes, or response times tell which names exist.
    ///
    /// Default: a hash with Argon2's default costs (what [`hash_password`] uses). Stores that
    /// hash with other costs return one made with theirs ([`dummy_hash_with`], made once and
    /// kept by the store): [`MemoryUsers`] and `SqliteUsers` do so from their configured
    /// costs. `None` skips the dummy work (only for costs Argon2 refuses).
    ///
    /// ```
    /// use dmr_runtime::backends::users::{Argon2Params, MemoryUsers, UserStore};
    ///
    /// let params = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
    /// let users = MemoryUsers::with_params(params);
    /// assert!(users.dummy_hash().unwrap().contains("$m=8,t=1,p=1$"));
    /// ```
    fn dummy_hash(&self) -> Option<&str> {
        default_dummy_hash()
    }

    /// The active user with these credentials, or `None` (unknown name, wrong password,
    /// inactive user; an unknown name costs as much time as a wrong password: its password
    /// is verified against [`UserStore::dummy_hash`]).
    fn authenticate(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<StoredUser>, UserStoreError> {
        let Some(user) = self.find_by_username(username)? else {
            verify_dummy(password, self.dummy_hash());
            return Ok(None);
        };
        let ok = self.verify_password(&user, password);
        Ok((ok && user.is_active).then_some(user))
    }
}

impl<T: UserStore + ?Sized> UserStore for std::sync::Arc<T> {
    fn find_by_username(&self, username: &str) -> Result<Option<StoredUser>, UserStoreError> {
        (**self).find_by_username(username)
    }
    fn find_by_id(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        (**self).find_by_id(id)
    }
    fn verify_password(&self, user: &StoredUser, password: &str) -> bool {
        (**self).verify_password(user, password)
    }
    fn is_blocking(&self) -> bool {
        (**self).is_blocking()
    }
    fn dummy_hash(&self) -> Option<&str> {
        (**self).dummy_hash()
    }
    fn authenticate(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<StoredUser>, UserStoreError> {
        (**self).authenticate(username, password)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod tests_verify;
