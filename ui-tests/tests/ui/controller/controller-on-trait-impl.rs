use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Default for Articles {
    fn default() -> Self {
        Articles
    }
}

fn main() {}
