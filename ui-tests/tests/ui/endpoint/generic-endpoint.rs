use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list<T>() -> &'static str {
        "articles"
    }
}

fn main() {}
