//! [`LoginGate`]: at most N password checks at once, a bounded number of logins waiting for a
//! turn, and a bounded wait; a login that cannot get a turn is a 503, not a queue.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::io::block_on_until;
use super::response::ViewError;

/// How many logins may wait per check that may run.
const WAITING_PER_PERMIT: usize = 32;

/// Shared by every clone of an issuer (every worker's app data).
#[derive(Debug, Clone)]
pub(super) struct LoginGate {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    pub(super) wait: Duration,
}

/// Counts a waiting login until dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl LoginGate {
    pub(super) fn new(max: usize, wait: Duration) -> Self {
        let max = max.clamp(1, Semaphore::MAX_PERMITS);
        Self {
            permits: Arc::new(Semaphore::new(max)),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting: max.saturating_mul(WAITING_PER_PERMIT),
            wait,
        }
    }

    pub(super) fn max(&self) -> usize {
        self.max_waiting / WAITING_PER_PERMIT
    }

    /// Joins the queue, or refuses when it is full.
    fn queue(&self) -> Result<Waiting<'_>, ViewError> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(ViewError::Busy);
        }
        Ok(Waiting(&self.waiting))
    }

    /// A turn, awaited (async views).
    pub(super) async fn enter(&self) -> Result<OwnedSemaphorePermit, ViewError> {
        let _queued = self.queue()?;
        let acquire = Arc::clone(&self.permits).acquire_owned();
        match tokio::time::timeout(self.wait, acquire).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => Err(ViewError::Busy),
        }
    }

    /// A turn, waited for on this thread (sync views, on the blocking pool).
    pub(super) fn enter_blocking(&self) -> Result<OwnedSemaphorePermit, ViewError> {
        let _queued = self.queue()?;
        let acquire = Arc::clone(&self.permits).acquire_owned();
        match block_on_until(acquire, Some(Instant::now() + self.wait)) {
            Some(Ok(permit)) => Ok(permit),
            Some(Err(_)) | None => Err(ViewError::Busy),
        }
    }
}
