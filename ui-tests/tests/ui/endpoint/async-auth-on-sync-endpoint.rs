use dmr_runtime::auth::{AsyncAuth, Auth, AuthRequest, AuthResult, SchemeDoc};
use dmr_runtime::prelude::*;

/// An async-only auth: it awaits another service.
struct Remote;

impl Auth for Remote {
    type Identity = u64;
    fn scheme_name(&self) -> &str {
        "remote"
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        Vec::new()
    }
}

impl AsyncAuth for Remote {
    async fn authenticate(&self, _: &AuthRequest<'_>) -> AuthResult<u64> {
        Ok(None)
    }
}

struct Reports;

#[controller(path = "/reports")]
impl Reports {
    #[endpoint(get, path = "/", auth = [Remote])]
    fn list() -> &'static str {
        "reports"
    }
}

fn main() {}
