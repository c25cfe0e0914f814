use dmr_runtime::prelude::*;

struct Search;

#[controller(path = "/search", auth = none, throttle = Throttle::per_minute(10))]
impl Search {
    #[endpoint(get, path = "/")]
    async fn search() -> &'static str {
        "results"
    }
}

fn main() {}
