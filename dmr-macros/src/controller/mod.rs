//! `#[controller]`: reads the impl block and its `#[endpoint]` functions, validates them
//! together, and expands into the user's impl plus an `impl Controller`.

mod args;
mod checks;
mod expand;
mod model;
mod validate;

#[cfg(test)]
mod tests;

use darling::FromMeta;
use darling::ast::NestedMeta;
use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::with_errors;
use crate::endpoint::args::EndpointAttr;
use crate::signature::{ImplBlock, ImplEntry};
use args::ControllerArgs;
use validate::Parsed;

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut block: ImplBlock = match syn::parse2(item.clone()) {
        Ok(block) => block,
        Err(e) => {
            let err = darling::Error::custom(
                "`#[controller]` goes on an impl block, like `#[controller(path = \"/api\")] impl Articles { .. }`",
            )
            .with_span(&e.span());
            return with_errors(item, err);
        }
    };
    // Take the `#[endpoint]` attributes off the functions: the emitted impl must not carry
    // them, whatever else fails.
    let mut endpoint_attrs = Vec::new();
    for (i, entry) in block.items.iter_mut().enumerate() {
        if let ImplEntry::Fn(f) = entry {
            let (ours, rest): (Vec<_>, Vec<_>) = f.attrs.drain(..).partition(is_endpoint_attr);
            f.attrs = rest;
            endpoint_attrs.extend(ours.into_iter().map(|a| (i, a)));
        }
    }
    match generate(attr, &block, &endpoint_attrs) {
        Ok(tokens) => quote!(#block #tokens),
        Err(err) => with_errors(quote!(#block), err),
    }
}

fn is_endpoint_attr(attr: &syn::Attribute) -> bool {
    attr.path().segments.last().is_some_and(|s| s.ident == "endpoint")
}

fn generate(
    attr: TokenStream,
    block: &ImplBlock,
    endpoint_attrs: &[(usize, syn::Attribute)],
) -> darling::Result<TokenStream> {
    let mut acc = darling::Error::accumulator();
    let attr_span = proc_macro2::Span::call_site();
    let args = NestedMeta::parse_meta_list(attr)
        .map_err(darling::Error::from)
        .and_then(|items| ControllerArgs::from_list(&items))
        .map_err(|e| e.with_span(&attr_span));
    let args = acc.handle(args);
    let mut parsed = Vec::new();
    let mut seen = Vec::new();
    for (i, attr) in endpoint_attrs {
        let ImplEntry::Fn(func) = &block.items[*i] else { continue };
        if seen.contains(i) {
            acc.push(darling::Error::custom("a function can carry only one `#[endpoint]`, remove this one").with_span(attr));
            continue;
        }
        seen.push(*i);
        if let Some(attr) = acc.handle(EndpointAttr::parse(attr)) {
            parsed.push(Parsed { func, attr });
        }
    }
    let mut acc = acc.checkpoint()?;
    let Some(args) = args else { unreachable!("checkpoint reported the failed arguments") };
    let controller = validate::validate(&args, block, &parsed, &mut acc);
    acc.finish()?;
    let Some(controller) = controller else { unreachable!("validate reported why it failed") };
    let tokens = expand::controller_impl(&controller);
    Ok(quote!(const _: () = { #tokens };))
}
