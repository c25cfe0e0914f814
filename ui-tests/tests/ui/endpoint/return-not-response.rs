use dmr_runtime::prelude::*;

struct Articles;

/// Not a response: nothing tells actix how to send it.
struct Article {
    title: String,
}

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn first() -> Article {
        Article {
            title: "first".to_owned(),
        }
    }
}

fn main() {}
