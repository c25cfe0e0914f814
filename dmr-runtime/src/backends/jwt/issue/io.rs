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

/// Store access for the credential views: each call blocks ([`Blocking`]) or awaits
/// ([`Awaiting`]); which one is known at compile time.
pub(super) trait Io {
    /// Whether the stores are called blocking (a sync view, already on the blocking pool).
    const BLOCKING: bool;

    /// The user with this id.
    async fn find_user(
        &self,
        issuer: &JwtIssuer,
        id: String,
    ) -> Result<Option<StoredUser>, ViewError> {
        let found = if Self::BLOCKING {
            issuer.login.users().find_by_id(&id)
        } else {
            issuer.login.find_user(&id).await
        };
        found.map_err(|e| ViewError::internal(SITE, &e))
    }

    /// [`BlocklistStore::refuses`](crate::backends::jwt::blocklist::BlocklistStore::refuses):
    /// whether a token issued at `issued_at` with `entries` is refused.
    async fn refuses(
        &self,
        blocklist: &Blocklist,
        entries: &[Entry<'_>],
        issued_at: i64,
    ) -> Result<bool, BlocklistError> {
        if Self::BLOCKING {
            blocklist.store().refuses(entries, issued_at)
        } else {
            blocklist.store().refuses_async(entries, issued_at).await
        }
    }

    /// [`BlocklistStore::insert_for`](crate::backends::jwt::blocklist::BlocklistStore::insert_for):
    /// revokes `entry` on behalf of `subject`.
    async fn insert(
        &self,
        blocklist: &Blocklist,
        entry: Entry<'_>,
        until: i64,
        subject: &str,
    ) -> Result<bool, BlocklistError> {
        if Self::BLOCKING {
            blocklist.store().insert_for(entry, until, subject)
        } else {
            blocklist
                .store()
                .insert_for_async(entry, until, subject)
                .await
        }
    }
}

/// Blocking calls: for sync views, already on the blocking pool.
pub(super) struct Blocking;

impl Io for Blocking {
    const BLOCKING: bool = true;
}

/// Awaited calls: for async views (blocking user stores go to the blocking pool).
pub(super) struct Awaiting;

impl Io for Awaiting {
    const BLOCKING: bool = false;
}

/// Where the JWT credential views' failures are logged from.
pub(super) const SITE: &str = "jwt credential view";

/// Runs a view's logic over [`Blocking`] to the end on this thread (a sync view's handler).
/// `Blocking` never leaves a future pending: a login's wait for a password-check slot has its
/// own deadline inside [`PasswordGate::run_blocking`](crate::backends::credentials::PasswordGate::run_blocking).
pub(super) fn block_on<F: Future>(fut: F) -> F::Output {
    match block_on_until(fut, None) {
        Some(out) => out,
        None => unreachable!("`block_on_until` without a deadline returns only when done"),
    }
}
