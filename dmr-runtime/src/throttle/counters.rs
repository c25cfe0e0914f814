//! Where the named throttles of the credential controllers (the login throttles, the token
//! operations' throttles) keep their counters: this process's memory, or a store the user
//! chose (Redis, shared by several servers). One piece for both, so that they bind alike.

use std::sync::Arc;

use crate::throttle::stage::{StageThrottle, ThrottleSite, bind_async};
use crate::throttle::{AsyncStore, LayerThrottle, Throttle};

/// Binds a throttle to the chosen store.
type Binder = Arc<dyn Fn(&Throttle, &ThrottleSite<'_>) -> Arc<dyn StageThrottle> + Send + Sync>;

/// The store of a controller's throttles (default: this process's memory).
#[derive(Clone, Default)]
pub(crate) struct Counters(Option<Binder>);

impl Counters {
    /// Keeps the counters in `store` (awaited; a sync controller waits for it on the
    /// blocking pool).
    pub(crate) fn set<S: AsyncStore>(&mut self, store: S) {
        self.0 = Some(Arc::new(move |t: &Throttle, site: &ThrottleSite<'_>| {
            bind_async(&t.clone().store(store.clone()), site)
        }));
    }

    /// `t` bound under the stored-key namespace `<operation>|<what>` of a `method` controller.
    pub(crate) fn bind(
        &self,
        t: &Throttle,
        operation: &str,
        method: &'static str,
        what: &str,
    ) -> Arc<dyn StageThrottle> {
        let operation = format!("{operation}|{what}");
        let site = ThrottleSite {
            operation: &operation,
            method,
        };
        match &self.0 {
            Some(bind) => bind(t, &site),
            None => LayerThrottle::bind(t, &site, false),
        }
    }
}
