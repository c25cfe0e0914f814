use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles", auth = [|| dmr_runtime::backends::jwt::JwtAuth::hs256("0123456789abcdef0123456789abcdef")])]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "[]"
    }
}

fn main() {}
