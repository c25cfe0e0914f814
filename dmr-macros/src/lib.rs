//! Procedural macros of dmr. Use them through `dmr_runtime`, which documents them.

use proc_macro::TokenStream;

/// See `dmr_runtime::controller`.
#[proc_macro_attribute]
pub fn controller(attr: TokenStream, item: TokenStream) -> TokenStream {
    let _ = attr;
    item
}

/// See `dmr_runtime::endpoint`.
#[proc_macro_attribute]
pub fn endpoint(attr: TokenStream, item: TokenStream) -> TokenStream {
    let _ = attr;
    item
}
