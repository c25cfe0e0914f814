use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(GET, path = "/")]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
