use dmr_runtime::auth::{Auth, AuthRequest, AuthResult, SchemeDoc, SyncAuth};
use dmr_runtime::prelude::*;

/// A sync-only auth: it asks a blocking directory service.
struct Ldap;

impl Auth for Ldap {
    type Identity = String;
    fn scheme_name(&self) -> &str {
        "ldap"
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        Vec::new()
    }
}

impl SyncAuth for Ldap {
    fn authenticate_sync(&self, _: &AuthRequest<'_>) -> AuthResult<String> {
        Ok(None)
    }
}

struct Articles;

#[controller(path = "/articles", auth = [Ldap])]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
