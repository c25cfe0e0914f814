//! The two ways the credential views reach their stores: blocking (sync views, on actix's
//! blocking pool) and awaiting (async views). The views' logic is written once, as async
//! functions over [`Io`]; the blocking kind completes without ever waiting on a waker, and
//! sync views drive it with [`block_on`].

use std::future::Future;

use super::issuer::JwtIssuer;
use super::response::ViewError;
use crate::backends::credentials::block_on_until;
use crate::backends::jwt::blocklist::{Blocklist, BlocklistError, Entry};
use crate::backends::users::StoredUser;

/// Store access for the credential views.
pub(super) trait Io {
    /// The user with this id.
    fn find_user(
        &self,
        issuer: &JwtIssuer,
        id: String,
    ) -> impl Future<Output = Result<Option<StoredUser>, ViewError>>;

    /// [`BlocklistStore::contains_any`](crate::backends::jwt::blocklist::BlocklistStore::contains_any).
    fn contains_any(
        &self,
        blocklist: &Blocklist,
        entries: &[Entry<'_>],
    ) -> impl Future<Output = Result<bool, BlocklistError>>;

    /// [`BlocklistStore::insert`](crate::backends::jwt::blocklist::BlocklistStore::insert).
    fn insert(
        &self,
        blocklist: &Blocklist,
        entry: Entry<'_>,
        until: i64,
    ) -> impl Future<Output = Result<bool, BlocklistError>>;
}

/// Blocking calls: for sync views, already on the blocking pool.
pub(super) struct Blocking;

/// Awaited calls: for async views (blocking user stores go to the blocking pool).
pub(super) struct Awaiting;

/// Where the JWT credential views' failures are logged from.
pub(super) const SITE: &str = "jwt credential view";

fn store_failed(e: &dyn std::fmt::Display) -> ViewError {
    ViewError::internal(SITE, e)
}

impl Io for Blocking {
    async fn find_user(
        &self,
        issuer: &JwtIssuer,
        id: String,
    ) -> Result<Option<StoredUser>, ViewError> {
        let found = issuer.login.users().find_by_id(&id);
        found.map_err(|e| store_failed(&e))
    }

    async fn contains_any(
        &self,
        blocklist: &Blocklist,
        entries: &[Entry<'_>],
    ) -> Result<bool, BlocklistError> {
        blocklist.store().contains_any(entries)
    }

    async fn insert(
        &self,
        blocklist: &Blocklist,
        entry: Entry<'_>,
        until: i64,
    ) -> Result<bool, BlocklistError> {
        blocklist.store().insert(entry, until)
    }
}

impl Io for Awaiting {
    async fn find_user(
        &self,
        issuer: &JwtIssuer,
        id: String,
    ) -> Result<Option<StoredUser>, ViewError> {
        let found = issuer.login.find_user(id).await;
        found.map_err(|e| store_failed(&e))
    }

    async fn contains_any(
        &self,
        blocklist: &Blocklist,
        entries: &[Entry<'_>],
    ) -> Result<bool, BlocklistError> {
        blocklist.store().contains_any_async(entries).await
    }

    async fn insert(
        &self,
        blocklist: &Blocklist,
        entry: Entry<'_>,
        until: i64,
    ) -> Result<bool, BlocklistError> {
        blocklist.store().insert_async(entry, until).await
    }
}

/// Runs a view's logic over [`Blocking`] to the end on this thread (a sync view's handler).
/// `Blocking` never leaves a future pending: a login's wait for a password-check slot has its
/// own deadline inside [`PasswordGate::run_blocking`](crate::backends::credentials::PasswordGate::run_blocking).
pub(super) fn block_on<F: Future>(fut: F) -> F::Output {
    match block_on_until(fut, None) {
        Some(out) => out,
        None => unreachable!("`block_on_until` without a deadline returns only when done"),
    }
}
