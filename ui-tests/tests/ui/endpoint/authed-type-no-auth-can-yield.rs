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

use std::rc::Rc;

struct Articles;

#[controller(path = "/articles", auth = [Token])]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list(user: Authed<Rc<String>>) -> String {
        user.to_string()
    }
}

fn main() {}
