use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/users/{user}")]
impl Articles {
    #[endpoint(get, path = "/articles/{id}")]
    async fn show(ids: actix_web::web::Path<(u32,)>) -> String {
        ids.0.to_string()
    }
}

fn main() {}
