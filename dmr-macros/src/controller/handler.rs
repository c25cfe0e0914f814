//! The endpoint's function as the pipeline calls it: `<Type>::name`, wrapped for the
//! endpoint kind through a probe that names the argument types of the signature (so that an
//! argument that is no extractor, already reported at its type, reports nothing more here).

use proc_macro2::TokenStream;
use quote::quote;

use super::model::{Controller, Endpoint};

/// `(&&FnProbe::<(Args,)>::new(Self::name)).async_fn()` (or `.sync_fn()`): inside the
/// generated `impl Controller for Type`, `Self` is the controller.
pub fn function(c: &Controller<'_>, e: &Endpoint<'_>) -> TokenStream {
    let p = c.runtime.local();
    let ident = &e.func.sig.ident;
    let args = &e.args;
    let wrap = if c.sync {
        quote!(sync_fn)
    } else {
        quote!(async_fn)
    };
    quote!((&&#p::FnProbe::<(#(#args,)*), _>::new(Self::#ident)).#wrap())
}
