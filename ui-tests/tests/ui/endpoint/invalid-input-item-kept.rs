use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(fetch, path = "/")]
    async fn list() -> &'static str {
        "articles"
    }

    /// Not an endpoint: a helper the rest of the crate calls.
    fn page_size() -> usize {
        20
    }
}

fn main() {
    // Both functions are still there after the attribute error: no "cannot find" follows it.
    let _ = Articles::list();
    let _: usize = Articles::page_size();
}
