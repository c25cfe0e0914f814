use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(post, path = "/", status = "201")]
    async fn create() -> &'static str {
        "created"
    }
}

fn main() {}
