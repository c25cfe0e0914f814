use dmr_runtime::prelude::*;

struct Search;

#[controller(path = "/search", auth = none)]
impl Search {
    #[endpoint(get, path = "/a", throttle = [async |r: &dmr_runtime::throttle::Rate| Throttle::new(*r)])]
    async fn a() -> &'static str {
        "a"
    }

    #[endpoint(get, path = "/b", throttle = [|r| Throttle::new(r)])]
    async fn b() -> &'static str {
        "b"
    }

    #[endpoint(get, path = "/c", throttle = [|r: &mut dmr_runtime::throttle::Rate| Throttle::new(*r)])]
    async fn c() -> &'static str {
        "c"
    }
}

fn main() {}
