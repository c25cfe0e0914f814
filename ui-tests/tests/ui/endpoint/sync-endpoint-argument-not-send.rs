use dmr_runtime::prelude::*;

struct Reports;

#[controller(path = "/reports")]
impl Reports {
    #[endpoint(get, path = "/")]
    fn list(req: actix_web::HttpRequest) -> String {
        req.path().to_owned()
    }
}

fn main() {}
