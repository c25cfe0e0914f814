use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/")]
    #[endpoint(get, path = "/all")]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
