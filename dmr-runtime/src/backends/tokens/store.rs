//! The [`TokenStore`] trait: where token rows live.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use super::model::{NewToken, TokenInfo};

/// What a store operation returns: a boxed future, so stores are usable as
/// `Arc<dyn TokenStore>`.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, TokenStoreError>> + Send + 'a>>;

/// A store failed or did not answer in time. Auth answers it with 503 (never a success), the
/// controllers too; the message (logged, not shown) never contains a token.
#[derive(Debug)]
pub struct TokenStoreError(Box<dyn std::error::Error + Send + Sync>);

impl TokenStoreError {
    /// Wraps the underlying error.
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(e.into())
    }

    /// The operation took longer than `limit`.
    pub fn timeout(limit: Duration) -> Self {
        Self::new(format!("no answer within {limit:?}"))
    }
}

impl std::fmt::Display for TokenStoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "token store failed: {}", self.0)
    }
}

impl std::error::Error for TokenStoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// Where token rows live: [`SqliteTokens`](super::SqliteTokens) (embedded, on actix's
/// blocking pool) or [`PgTokens`](super::PgTokens) (PostgreSQL, `postgres` feature). Only
/// hashes are stored; lookups are by hash.
///
/// The async methods are what async endpoints await. The `*_blocking` ones are what sync
/// endpoints call on the blocking pool; by default they run the async method to completion
/// on the current tokio runtime's handle, so they must not be called on an async worker.
pub trait TokenStore: Send + Sync + 'static {
    /// Inserts a row and returns it with its id.
    fn insert(&self, token: NewToken) -> StoreFuture<'_, TokenInfo>;

    /// The row with this hash.
    fn find_by_hash(&self, token_hash: String) -> StoreFuture<'_, Option<TokenInfo>>;

    /// The row whose hash is one of `token_hashes`, the first in their order that has one:
    /// what a check with [fallback secrets](super::TokenHasher::fallback_secrets) looks up
    /// (the presented token's hash under the current secret, then under each fallback).
    ///
    /// The provided method asks [`find_by_hash`](Self::find_by_hash) for each in turn, one
    /// round trip per hash; [`PgTokens`](super::PgTokens) answers in one statement and
    /// [`SqliteTokens`](super::SqliteTokens) in one trip to the blocking pool, so an unknown
    /// token costs one round trip however many secrets are configured.
    ///
    /// ```
    /// # #[actix_web::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use dmr_runtime::backends::tokens::{SqliteTokens, TokenStore};
    ///
    /// let store = SqliteTokens::open_in_memory()?;
    /// let found = store.find_by_any_hash(vec!["a".repeat(64), "b".repeat(64)]).await?;
    /// assert!(found.is_none());
    /// # Ok(()) }
    /// ```
    fn find_by_any_hash(&self, token_hashes: Vec<String>) -> StoreFuture<'_, Option<TokenInfo>> {
        Box::pin(async move {
            for hash in token_hashes {
                if let Some(found) = self.find_by_hash(hash).await? {
                    return Ok(Some(found));
                }
            }
            Ok(None)
        })
    }

    /// Every row of a user, newest first.
    fn list_for_user(&self, user_id: String) -> StoreFuture<'_, Vec<TokenInfo>>;

    /// Sets `revoked_at` of one row of `user_id` (already revoked rows keep their time);
    /// whether a row of that user had that id.
    fn revoke(&self, id: i64, user_id: String, at: SystemTime) -> StoreFuture<'_, bool>;

    /// Revokes every active row of a user; how many.
    fn revoke_all(&self, user_id: String, at: SystemTime) -> StoreFuture<'_, u64>;

    /// Sets `last_used_at = at` if it is unset or not after `at - interval`, in one
    /// conditional write (so concurrent requests on several servers write once per interval);
    /// whether it wrote.
    fn mark_used(&self, id: i64, at: SystemTime, interval: Duration) -> StoreFuture<'_, bool>;

    /// The bound this store puts on each of its calls itself, if it has one
    /// ([`PgTokens::timeout`](super::PgTokens::timeout)); `None` (the default) for a store
    /// that does not ([`SqliteTokens`](super::SqliteTokens)). [`ApiTokens`](super::ApiTokens)
    /// adds its [`store_timeout`](super::ApiTokens::store_timeout) around the calls of a
    /// store without one only: one timer per store call.
    ///
    /// ```
    /// use dmr_runtime::backends::tokens::{SqliteTokens, TokenStore};
    ///
    /// assert_eq!(SqliteTokens::open_in_memory().unwrap().own_timeout(), None);
    /// ```
    fn own_timeout(&self) -> Option<Duration> {
        None
    }

    /// [`TokenStore::find_by_hash`] for sync endpoints (on the blocking pool).
    fn find_by_hash_blocking(
        &self,
        token_hash: String,
    ) -> Result<Option<TokenInfo>, TokenStoreError> {
        block_on(self.find_by_hash(token_hash))
    }

    /// [`TokenStore::find_by_any_hash`] for sync endpoints (on the blocking pool).
    fn find_by_any_hash_blocking(
        &self,
        token_hashes: Vec<String>,
    ) -> Result<Option<TokenInfo>, TokenStoreError> {
        block_on(self.find_by_any_hash(token_hashes))
    }

    /// [`TokenStore::mark_used`] for sync endpoints (on the blocking pool).
    fn mark_used_blocking(
        &self,
        id: i64,
        at: SystemTime,
        interval: Duration,
    ) -> Result<bool, TokenStoreError> {
        block_on(self.mark_used(id, at, interval))
    }
}

/// Runs a store future to completion from a blocking-pool thread, on the runtime of that
/// pool (whose worker drives the I/O).
pub(crate) fn block_on<T>(
    fut: impl Future<Output = Result<T, TokenStoreError>>,
) -> Result<T, TokenStoreError> {
    let handle = tokio::runtime::Handle::try_current().map_err(|_| {
        TokenStoreError::new(
            "a blocking store call needs a tokio runtime: call it from actix's blocking pool",
        )
    })?;
    handle.block_on(fut)
}

/// A user lookup that awaits instead of blocking (a PostgreSQL user store): given to
/// [`ApiTokens::async_users`](super::ApiTokens::async_users), async endpoints use it in
/// place of the [`UserStore`](crate::backends::users::UserStore)'s blocking `find_by_id` on
/// the blocking pool. Implemented for [`PgUsers`](crate::backends::users::PgUsers).
pub trait AsyncUserLookup: Send + Sync + 'static {
    /// The user with this id.
    fn find_by_id_async(
        &self,
        id: String,
    ) -> Pin<
        Box<
            dyn Future<
                    Output = Result<
                        Option<crate::backends::users::StoredUser>,
                        crate::backends::users::UserStoreError,
                    >,
                > + Send
                + '_,
        >,
    >;

    /// The bound this lookup puts on each call itself, if it has one
    /// ([`PgUsers::timeout`](crate::backends::users::PgUsers::timeout)); without one
    /// (`None`, the default), the token auth bounds the call by
    /// [`store_timeout`](super::ApiTokens::store_timeout): one timer per call either way.
    fn own_timeout(&self) -> Option<Duration> {
        None
    }
}
