use dmr_runtime::prelude::*;

struct Keys {
    jwt_secret: String,
}

struct Articles;

#[controller(path = "/articles", auth = [|keys: &Keys| keys.jwt_secret.clone()])]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "[]"
    }
}

fn main() {}
