//! The one place that names the runtime crate. Generated code reaches it only through
//! `<runtime>::__private`, so a renamed dependency needs just `crate = ".."`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// The path of the runtime crate: `::dmr_runtime` unless overridden with `crate = ".."`.
#[derive(Clone)]
pub struct Runtime(Option<syn::Path>);

impl Runtime {
    pub fn new(custom: Option<syn::Path>) -> Self {
        Self(custom)
    }

    /// `<runtime>::__private`.
    pub fn private(&self) -> TokenStream {
        quote!(#self::__private)
    }

    /// `__dmr`: the name the body of a generated build function gives `<runtime>::__private`
    /// (`use <runtime>::__private as __dmr;`), so that each of its paths is one word.
    pub fn local(&self) -> TokenStream {
        quote!(__dmr)
    }
}

impl ToTokens for Runtime {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match &self.0 {
            Some(path) => path.to_tokens(tokens),
            None => tokens.extend(quote!(::dmr_runtime)),
        }
    }
}
