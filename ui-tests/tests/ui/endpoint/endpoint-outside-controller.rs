use dmr_runtime::prelude::*;

struct Articles;

impl Articles {
    #[endpoint(get, path = "/articles")]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
