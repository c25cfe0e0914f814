use dmr_runtime::auth::{Auth, AuthRequest, AuthResult, InlineAuth, SchemeDoc};
use dmr_runtime::prelude::*;

/// An auth for both endpoint kinds.
struct Token;

impl Auth for Token {
    type Identity = String;
    fn scheme_name(&self) -> &str {
        "token"
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        Vec::new()
    }
}

impl InlineAuth for Token {
    fn authenticate_inline(&self, _: &AuthRequest<'_>) -> AuthResult<String> {
        Ok(None)
    }
}

struct Articles;

#[controller(path = "/articles")]
impl Articles {
    #[endpoint(get, path = "/", auth = [SyncOrAsync::new(Token, Token)])]
    async fn list() -> &'static str {
        "articles"
    }
}

fn main() {}
