use dmr_runtime::prelude::*;

struct Keys(String);

struct Articles;

#[controller(path = "/articles", auth = [|keys: Keys| dmr_runtime::backends::jwt::JwtAuth::hs256(&keys.0)])]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "[]"
    }
}

fn main() {}
