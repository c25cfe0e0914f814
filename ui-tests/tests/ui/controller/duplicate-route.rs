use dmr_runtime::prelude::*;

/// Stands in for `actix_web::web::Path` (this crate depends on `dmr-runtime` alone): the
/// macro reads the argument's type name.
struct Path<T>(T);

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/{id}")]
    async fn show(id: Path<u32>) -> String {
        id.0.to_string()
    }

    #[endpoint(get, path = "/{slug}")]
    async fn by_slug(slug: Path<String>) -> String {
        slug.0
    }
}

fn main() {}
