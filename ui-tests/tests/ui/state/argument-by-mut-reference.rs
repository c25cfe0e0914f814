use dmr_runtime::prelude::*;

struct Keys(String);

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/", auth = [|keys: &mut Keys| dmr_runtime::backends::jwt::JwtAuth::hs256(&keys.0)])]
    async fn list() -> &'static str {
        "[]"
    }
}

fn main() {}
