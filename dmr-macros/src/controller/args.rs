//! The grammar of `#[controller(path = "..", auth = [..] | none, error_model = T, crate = path)]`.

use darling::FromMeta;
use darling::ast::NestedMeta;
use proc_macro2::TokenStream;

use crate::layer_decl::AuthDecl;
use crate::layer_decl::ThrottleDecl;
use crate::path_template::PathTemplate;

#[derive(FromMeta)]
pub struct ControllerArgs {
    pub path: PathTemplate,
    pub auth: Option<AuthDecl>,
    pub throttle: Option<ThrottleDecl>,
    /// A type implementing `ErrorModel`, used for this controller's error bodies.
    pub error_model: Option<syn::Path>,
    /// The path of the runtime crate when it is renamed in `Cargo.toml`.
    #[darling(rename = "crate")]
    pub krate: Option<syn::Path>,
}

impl ControllerArgs {
    /// Parses the attribute's arguments. Errors without a span of their own (a missing
    /// `path`) point at the attribute, which is the call site of an attribute macro.
    pub fn parse(attr: TokenStream) -> darling::Result<Self> {
        let items = NestedMeta::parse_meta_list(attr)?;
        Self::from_list(&items).map_err(|e| e.with_span(&proc_macro2::Span::call_site()))
    }
}
