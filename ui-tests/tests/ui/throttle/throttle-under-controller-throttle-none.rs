use dmr_runtime::prelude::*;

struct Search;

#[controller(path = "/search", auth = none, throttle = none)]
impl Search {
    #[endpoint(get, path = "/", throttle = [Throttle::per_minute(10)])]
    async fn search() -> &'static str {
        "results"
    }
}

fn main() {}
