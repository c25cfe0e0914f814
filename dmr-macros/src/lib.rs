//! Procedural macros of dmr: `#[controller]` and `#[endpoint]`.
//!
//! Use them through `dmr_runtime`, which re-exports and documents them. Each macro is
//! parsed (`args.rs`), validated into an IR (`validate.rs` -> `model.rs`) and expanded
//! (`expand.rs`); this file only converts token streams.

mod auth_decl;
mod controller;
mod docs;
mod emit;
mod endpoint;
mod layer_decl;
mod method;
mod path_template;
mod runtime;
mod signature;

use proc_macro::TokenStream;

/// Declares a controller: see `dmr_runtime::controller`.
#[proc_macro_attribute]
pub fn controller(attr: TokenStream, item: TokenStream) -> TokenStream {
    controller::expand(attr.into(), item.into()).into()
}

/// Declares an endpoint inside a `#[controller]` impl block: see `dmr_runtime::endpoint`.
#[proc_macro_attribute]
pub fn endpoint(attr: TokenStream, item: TokenStream) -> TokenStream {
    endpoint::expand(attr.into(), item.into()).into()
}
