//! `#[endpoint]`: its arguments are read by `#[controller]`, which removes the attribute
//! before the compiler would expand it. Expanding on its own therefore means it sits outside
//! a controller impl block.

pub mod args;
pub mod status;

use darling::Error;
use proc_macro2::{Span, TokenStream};

use crate::emit::with_errors;

/// `#[endpoint]` reached on its own: report it and keep the item as written.
pub fn expand(_attr: TokenStream, item: TokenStream) -> TokenStream {
    // The call site of an attribute macro is the attribute itself: the token to move or remove.
    let err = Error::custom(
        "`#[endpoint]` only works inside an impl block marked `#[controller(..)]`, add `#[controller(path = \"..\")]` to the enclosing `impl` block",
    )
    .with_span(&Span::call_site());
    with_errors(item, err)
}
