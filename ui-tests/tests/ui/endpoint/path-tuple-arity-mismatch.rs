use dmr_runtime::prelude::*;

/// Stands in for `actix_web::web::Path` (this crate depends on `dmr-runtime` alone): the
/// macro reads the argument's type name.
struct Path<T>(T);

struct Articles;

#[controller(path = "/users/{user}")]
impl Articles {
    #[endpoint(get, path = "/articles/{id}")]
    async fn show(ids: Path<(u32,)>) -> String {
        (ids.0).0.to_string()
    }
}

fn main() {}
