use dmr_runtime::prelude::*;

struct Articles;

#[controller(auth = none)]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
