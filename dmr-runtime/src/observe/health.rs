//! Whether a store answers: one `store.unavailable` event when it stops, one
//! `store.recovered` when it answers again, the error and latency metrics of every call.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::audit;
use super::names::{STORE_DOWN, STORE_DURATION, STORE_ERRORS};

/// The health of one store (a connection, a pool).
pub(crate) struct Health {
    store: &'static str,
    down: AtomicBool,
}

impl Health {
    pub(crate) const fn new(store: &'static str) -> Self {
        Self {
            store,
            down: AtomicBool::new(false),
        }
    }

    /// A call answered after `took`.
    pub(crate) fn ok(&self, took: Duration) {
        metrics::histogram!(STORE_DURATION, "store" => self.store).record(took);
        if self.down.load(Ordering::Relaxed) && self.down.swap(false, Ordering::Relaxed) {
            metrics::gauge!(STORE_DOWN, "store" => self.store).decrement(1.0);
            audit::store_recovered(self.store);
        }
    }

    /// A call failed (`kind`: `timeout`, `error` or `waiting`); `why` is for the logs (never
    /// a secret: connection errors and timeouts).
    pub(crate) fn failed(&self, kind: &'static str, why: &dyn std::fmt::Display) {
        metrics::counter!(STORE_ERRORS, "store" => self.store, "kind" => kind).increment(1);
        if !self.down.swap(true, Ordering::Relaxed) {
            metrics::gauge!(STORE_DOWN, "store" => self.store).increment(1.0);
            audit::store_unavailable(self.store, kind, why);
        }
    }
}
