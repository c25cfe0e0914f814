use dmr_runtime::prelude::*;

struct Search;

#[controller(path = "/search", auth = none)]
impl Search {
    #[endpoint(get, path = "/", throttle = [SyncOrAsync::new(Throttle::per_minute(1), Throttle::per_minute(1))])]
    async fn search() -> &'static str {
        "results"
    }
}

fn main() {}
