use dmr_runtime::prelude::*;

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/{id}")]
    async fn show(id: actix_web::web::Path<u32>) -> String {
        id.to_string()
    }

    #[endpoint(get, path = "/{slug}")]
    async fn by_slug(slug: actix_web::web::Path<String>) -> String {
        slug.into_inner()
    }
}

fn main() {}
