use dmr_runtime::prelude::*;
use dmr_runtime::throttle::{Decision, LimiterSpec, StoreError, SyncStore, ThrottleStore};

/// Counters in a database reached through a blocking driver.
#[derive(Clone)]
struct Database;

impl ThrottleStore for Database {
    type Limiter = ();
    fn name(&self) -> &'static str {
        "database"
    }
    fn limiter(&self, _: &LimiterSpec) {}
}

impl SyncStore for Database {
    fn hit(&self, _: &(), _: &str) -> Result<Decision, StoreError> {
        Err(StoreError::new("not connected"))
    }
}

struct Reports;

#[controller(path = "/reports", auth = none, throttle = [Throttle::per_minute(10).store(Database)])]
impl Reports {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "reports"
    }
}

fn main() {}
