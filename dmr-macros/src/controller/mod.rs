//! `#[controller]`: reads the impl block and its `#[endpoint]` functions, validates them
//! together, and expands into the user's impl plus an `impl Controller`.
//!
//! Phases: parse (`args.rs`, `endpoint::args`) -> checkpoint -> validate (`validate.rs`,
//! `path_params.rs`, into `model.rs`) -> checkpoint -> expand (`expand.rs`, `handler.rs`,
//! `checks.rs`). Every error goes into one accumulator; on any error the impl block is still
//! emitted, without its `#[endpoint]` attributes.

mod args;
mod checks;
mod expand;
mod handler;
mod model;
mod path_params;
mod throttle;
mod validate;

#[cfg(test)]
mod tests;

use darling::Error;
use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{ParseStream, Parser};

use crate::emit::with_errors;
use crate::endpoint::args::EndpointAttr;
use crate::signature::{ImplBlock, ImplEntry};
use args::ControllerArgs;
use validate::Parsed;

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut block: ImplBlock = match syn::parse2(item.clone()) {
        Ok(block) => block,
        Err(e) => return with_errors(item.clone(), not_an_impl_block(item, e)),
    };
    let endpoint_attrs = take_endpoint_attrs(&mut block);
    match generate(attr, &block, &endpoint_attrs) {
        Ok(tokens) => quote!(#block #tokens),
        Err(err) => with_errors(quote!(#block), err),
    }
}

/// Why the item did not parse: it is not an impl block at all (`#[controller]` on a struct),
/// or it is one with a syntax error, which syn's message describes best.
fn not_an_impl_block(item: TokenStream, syntax: syn::Error) -> Error {
    let keyword = |input: ParseStream<'_>| {
        input.call(syn::Attribute::parse_outer)?;
        let keyword = if input.peek(syn::Token![impl]) {
            None
        } else {
            Some(input.span())
        };
        input.parse::<TokenStream>()?;
        Ok(keyword)
    };
    match keyword.parse2(item) {
        Ok(Some(span)) => Error::custom(
            "`#[controller]` goes on an impl block, put it on `impl Type { .. }` with the `#[endpoint]` functions",
        )
        .with_span(&span),
        _ => Error::from(syntax),
    }
}

/// Takes the `#[endpoint]` attributes off the functions, so that the emitted impl never
/// carries them (whatever else fails), paired with the index of their function.
fn take_endpoint_attrs(block: &mut ImplBlock) -> Vec<(usize, syn::Attribute)> {
    let mut taken = Vec::new();
    for (i, entry) in block.items.iter_mut().enumerate() {
        if let ImplEntry::Fn(f) = entry {
            let (ours, rest): (Vec<_>, Vec<_>) = f.attrs.drain(..).partition(is_endpoint_attr);
            f.attrs = rest;
            taken.extend(ours.into_iter().map(|a| (i, a)));
        }
    }
    taken
}

fn is_endpoint_attr(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "endpoint")
}

fn generate(
    attr: TokenStream,
    block: &ImplBlock,
    endpoint_attrs: &[(usize, syn::Attribute)],
) -> darling::Result<TokenStream> {
    let mut acc = Error::accumulator();
    let args = ControllerArgs::parse(attr);
    let mut parsed: Vec<Parsed<'_>> = Vec::new();
    let mut seen = Vec::new();
    for (i, attr) in endpoint_attrs {
        let Some(ImplEntry::Fn(func)) = block.items.get(*i) else {
            continue;
        };
        if seen.contains(i) {
            // `#[endpoint(get, ..)] #[endpoint(post, ..)] fn f`: one function, one route.
            acc.push(
                Error::custom("a function can have only one `#[endpoint]`, remove this one or move it to another function")
                    .with_span(attr.path()),
            );
            continue;
        }
        seen.push(*i);
        if let Some(attr) = acc.handle(EndpointAttr::parse(attr)) {
            parsed.push(Parsed { func, attr });
        }
    }
    let args = match args {
        Ok(args) => args,
        Err(e) => {
            return Err(Error::multiple(
                std::iter::once(e).chain(acc.into_inner()).collect(),
            ));
        }
    };
    let mut acc = acc.checkpoint()?;
    let controller = validate::validate(&args, block, &parsed, &mut acc);
    acc.finish()?;
    let tokens = expand::controller_impl(&controller);
    Ok(quote!(const _: () = { #tokens };))
}
