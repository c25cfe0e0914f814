use dmr_runtime::prelude::*;

struct Articles;

/// Not an extractor: nothing tells actix how to build it from a request.
struct Page {
    number: u32,
}

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list(page: Page) -> String {
        page.number.to_string()
    }
}

fn main() {}
