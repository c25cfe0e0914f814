use dmr_runtime::prelude::*;

/// Not an auth: a plain settings struct.
struct JwtConfig {
    secret: &'static str,
}

struct Articles;

#[controller(path = "/articles", auth = [JwtConfig { secret: "s3cret" }])]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
