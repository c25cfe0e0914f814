use dmr_runtime::prelude::*;
use dmr_runtime::throttle::RedisStore;

struct Limits {
    redis: RedisStore,
}

struct Reports;

#[controller(path = "/reports", auth = none)]
impl Reports {
    #[endpoint(get, path = "/", throttle = [|l: &Limits| Throttle::per_minute(10).store(l.redis.clone())])]
    fn list() -> &'static str {
        "reports"
    }
}

fn main() {}
