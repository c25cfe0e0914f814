//! The throttles of one endpoint in the expansion: each `throttle = [..]` entry (the
//! endpoint's, then the controller's) evaluated once when the API is built, checked against
//! the endpoint kind at the entry's tokens.

use proc_macro2::TokenStream;
use quote::quote_spanned;

use super::model::{Controller, Endpoint};

/// The endpoint's throttle entries, its own then its controller's, each evaluated once.
pub fn entries(c: &Controller<'_>, e: &Endpoint<'_>, site: &str) -> Vec<TokenStream> {
    let p = c.runtime.local();
    let controller: &[&syn::Expr] = if e.uses_controller_throttle {
        &c.throttle
    } else {
        &[]
    };
    e.throttle
        .iter()
        .chain(controller)
        .map(|x| entry(&p, c.sync, x, site))
        .collect()
}

fn entry(p: &TokenStream, sync: bool, expr: &syn::Expr, site: &str) -> TokenStream {
    let span = crate::auth_decl::auth_span(expr);
    let value = crate::auth_decl::entry_value(p, expr, site);
    let bind = if sync {
        quote_spanned!(span=> throttle_for_sync)
    } else {
        quote_spanned!(span=> throttle_for_async)
    };
    quote_spanned!(span=> #p::#bind(#value, #site)?)
}
