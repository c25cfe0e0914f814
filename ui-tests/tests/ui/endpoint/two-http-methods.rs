use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, post, path = "/")]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
