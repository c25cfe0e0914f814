//! Fail soft: on any error, emit the user's item unchanged followed by the errors, so the
//! rest of the crate (and the IDE) keeps working.

use proc_macro2::TokenStream;
use quote::quote;

/// The original item plus the compile errors of `err`.
pub fn with_errors(item: TokenStream, err: darling::Error) -> TokenStream {
    let errors = err.write_errors();
    quote! { #item #errors }
}
