use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/", auth = ["s3cret"])]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
