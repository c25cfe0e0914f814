use dmr_runtime::prelude::*;

#[controller(path = "/articles")]
struct Articles;

fn main() {}
