//! The grammar of `#[controller(path = "..", auth = [..] | none, error_model = T, crate = "..")]`.

use darling::FromMeta;
use syn::LitStr;

use crate::auth_decl::AuthDecl;

#[derive(FromMeta)]
pub struct ControllerArgs {
    pub path: LitStr,
    pub auth: Option<AuthDecl>,
    /// A type implementing `ErrorModel`, used for this controller's error bodies.
    pub error_model: Option<syn::Path>,
    /// The path of the runtime crate when it is renamed in `Cargo.toml`.
    #[darling(rename = "crate")]
    pub krate: Option<syn::Path>,
}
