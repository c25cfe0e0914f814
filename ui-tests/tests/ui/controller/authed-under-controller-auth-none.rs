use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles", auth = none)]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list(info: AuthInfo) -> String {
        info.scheme().to_owned()
    }
}

fn main() {}
