use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles", auth = none)]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list(
        _a: u8, _b: u8, _c: u8, _d: u8,
        _e: u8, _f: u8, _g: u8, _h: u8,
        _i: u8, _j: u8, _k: u8, _l: u8,
        _m: u8, _n: u8, _o: u8, _p: u8,
        _q: u8,
    ) -> &'static str {
        "articles"
    }
}

fn main() {}
