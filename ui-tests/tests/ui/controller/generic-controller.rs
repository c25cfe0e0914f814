use dmr_runtime::prelude::*;

struct Articles<T>(T);

#[controller(path = "/articles")]
impl<T: 'static> Articles<T> {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
