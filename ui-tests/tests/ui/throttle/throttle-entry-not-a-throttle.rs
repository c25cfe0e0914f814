use dmr_runtime::prelude::*;

struct Search;

#[controller(path = "/search", auth = none)]
impl Search {
    #[endpoint(get, path = "/", throttle = ["10/minute"])]
    async fn search() -> &'static str {
        "results"
    }
}

fn main() {}
