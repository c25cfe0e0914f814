use std::rc::Rc;

use dmr_runtime::prelude::*;
use dmr_runtime::backends::jwt::JwtAuth;

struct Articles;

#[controller(path = "/articles", auth = [|secret: &Rc<String>| JwtAuth::hs256(secret.as_bytes())])]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "[]"
    }
}

fn main() {}
