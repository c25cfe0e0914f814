use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/{id}")]
    async fn show() -> &'static str {
        "article"
    }
}

fn main() {}
