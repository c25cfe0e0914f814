//! `#[endpoint]`: its arguments are read by `#[controller]`, which removes the attribute.
//! Expanding on its own therefore means it sits outside a controller impl block.

pub mod args;

use darling::Error;
use proc_macro2::TokenStream;
use syn::spanned::Spanned;

use crate::emit::with_errors;

/// `#[endpoint]` reached on its own: report it and keep the function as written.
pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let span = syn::parse2::<crate::signature::FnItem>(item.clone())
        .map(|f| f.sig.ident.span())
        .unwrap_or_else(|_| attr.span());
    let err = Error::custom(
        "`#[endpoint]` must be inside an impl block with `#[controller(..)]`, add `#[controller(path = \"..\")]` to the enclosing `impl` block",
    )
    .with_span(&span);
    with_errors(item, err)
}
