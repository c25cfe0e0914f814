use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(gett, path = "/")]
    async fn list() -> &'static str {
        "articles"
    }

    #[endpoint(post, path = "/{id")]
    async fn create() -> &'static str {
        "created"
    }
}

fn main() {}
