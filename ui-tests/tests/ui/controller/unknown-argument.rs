use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles", auht = none)]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
