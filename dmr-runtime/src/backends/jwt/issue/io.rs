//! The two ways the credential views reach their stores: blocking (sync views, on actix's
//! blocking pool) and awaiting (async views). The views' logic is written once, as async
//! functions over [`Io`]; the blocking kind completes without ever waiting on a waker, and
//! sync views drive it with [`block_on`].

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Instant;

use super::issuer::JwtIssuer;
use super::response::ViewError;
use crate::backends::jwt::blocklist::{Blocklist, BlocklistError, Entry};
use crate::backends::users::StoredUser;

/// Store access for the credential views.
pub(super) trait Io {
    /// The active user with these credentials (bounded by the issuer's login permits).
    fn authenticate(
        &self,
        issuer: &JwtIssuer,
        username: String,
        password: String,
    ) -> impl Future<Output = Result<Option<StoredUser>, ViewError>>;

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

fn store_failed(e: &dyn std::fmt::Display) -> ViewError {
    log::error!("jwt credential view: {e}");
    ViewError::Internal
}

impl Io for Blocking {
    async fn authenticate(
        &self,
        issuer: &JwtIssuer,
        username: String,
        password: String,
    ) -> Result<Option<StoredUser>, ViewError> {
        let _permit = issuer.logins.enter_blocking()?;
        issuer
            .users
            .authenticate(&username, &password)
            .map_err(|e| store_failed(&e))
    }

    async fn find_user(
        &self,
        issuer: &JwtIssuer,
        id: String,
    ) -> Result<Option<StoredUser>, ViewError> {
        issuer.users.find_by_id(&id).map_err(|e| store_failed(&e))
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
    async fn authenticate(
        &self,
        issuer: &JwtIssuer,
        username: String,
        password: String,
    ) -> Result<Option<StoredUser>, ViewError> {
        let permit = issuer.logins.enter().await?;
        let users = Arc::clone(&issuer.users);
        actix_web::web::block(move || {
            // held until the verification ends, even if the request is dropped meanwhile
            let _permit = permit;
            users.authenticate(&username, &password)
        })
        .await
        .map_err(|e| store_failed(&e))?
        .map_err(|e| store_failed(&e))
    }

    async fn find_user(
        &self,
        issuer: &JwtIssuer,
        id: String,
    ) -> Result<Option<StoredUser>, ViewError> {
        let users = Arc::clone(&issuer.users);
        let found = if users.is_blocking() {
            actix_web::web::block(move || users.find_by_id(&id))
                .await
                .map_err(|e| store_failed(&e))?
        } else {
            users.find_by_id(&id)
        };
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

/// Wakes a parked thread.
struct Unpark(std::thread::Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `fut` on this thread, parking between polls, until it completes or `deadline` passes
/// (`None`; without a deadline it waits for as long as it takes).
pub(super) fn block_on_until<F: Future>(fut: F, deadline: Option<Instant>) -> Option<F::Output> {
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return Some(out);
        }
        match deadline {
            None => std::thread::park(),
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return None;
                }
                std::thread::park_timeout(left);
            }
        }
    }
}

/// Runs a view's logic over [`Blocking`] to the end on this thread (a sync view's handler).
/// `Blocking` leaves a future pending only while it waits for a login permit, which has its
/// own deadline.
pub(super) fn block_on<F: Future>(fut: F) -> F::Output {
    match block_on_until(fut, None) {
        Some(out) => out,
        None => unreachable!("`block_on_until` without a deadline returns only when done"),
    }
}
