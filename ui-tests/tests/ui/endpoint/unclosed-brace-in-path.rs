use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/{id")]
    async fn show(id: actix_web::web::Path<u32>) -> String {
        id.to_string()
    }
}

fn main() {}
