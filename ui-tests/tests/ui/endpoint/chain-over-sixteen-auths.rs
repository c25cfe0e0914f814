use dmr_runtime::backends::basic::HttpBasic;
use dmr_runtime::prelude::*;

fn check(_: &str, _: &str) -> bool {
    false
}

struct Articles;

#[controller(path = "/articles", auth = [
    HttpBasic::new(check), HttpBasic::new(check), HttpBasic::new(check), HttpBasic::new(check),
    HttpBasic::new(check), HttpBasic::new(check), HttpBasic::new(check), HttpBasic::new(check),
    HttpBasic::new(check), HttpBasic::new(check), HttpBasic::new(check), HttpBasic::new(check),
])]
impl Articles {
    #[endpoint(get, path = "/", auth = [
        HttpBasic::new(check), HttpBasic::new(check), HttpBasic::new(check), HttpBasic::new(check),
        HttpBasic::new(check),
    ])]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
