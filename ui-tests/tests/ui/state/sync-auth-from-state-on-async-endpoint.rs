use dmr_runtime::prelude::*;
use dmr_runtime::backends::basic::HttpBasic;

struct Password(String);

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/", auth = [|pw: &Password| {
        let pw = pw.0.clone();
        HttpBasic::blocking(move |_, pass| pass == pw)
    }])]
    async fn list() -> &'static str {
        "[]"
    }
}

fn main() {}
