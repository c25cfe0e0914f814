//! The entries of `auth = [..]` and `throttle = [..]` lists: where their errors point, and
//! closures that build an entry from application state (their rules and their expansion).

use darling::Error;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, ExprClosure, Pat, Type};

/// Where errors about an auth entry point: the body of a `|keys: &Keys| keys.jwt()` closure
/// (its value is the auth), the expression itself otherwise.
pub fn auth_span(expr: &Expr) -> Span {
    match state_closure(expr) {
        Some(c) => c.body.span(),
        None => expr.span(),
    }
}

/// The closure of an `auth = [|keys: &Keys| ..]` entry, if it is one.
pub fn state_closure(expr: &Expr) -> Option<&ExprClosure> {
    match expr {
        Expr::Closure(c) => Some(c),
        Expr::Group(g) => state_closure(&g.expr),
        Expr::Paren(p) => state_closure(&p.expr),
        _ => None,
    }
}

/// The types a state closure reads, in argument order (`&Keys` -> `Keys`).
pub fn state_types(closure: &ExprClosure) -> Vec<&Type> {
    closure
        .inputs
        .iter()
        .filter_map(|input| match input {
            Pat::Type(t) => match &*t.ty {
                Type::Reference(r) => Some(&*r.elem),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The value of one `auth = [..]` or `throttle = [..]` entry, evaluated when the API is built
/// (`site` names the endpoint in errors): the expression itself, or for a closure
/// `|keys: &Keys| ..` its result over the registered values, looked up by type (each type
/// checked to be shareable, spanned at it).
pub fn entry_value(p: &TokenStream, expr: &Expr, site: &str) -> TokenStream {
    let span = auth_span(expr);
    match state_closure(expr) {
        Some(closure) => {
            let asserts = state_types(closure)
                .into_iter()
                .map(|ty| quote_spanned!(ty.span()=> #p::state_type_must_be_shareable::<#ty>();));
            quote_spanned! {span=> {
                if false {
                    #(#asserts)*
                }
                #p::from_state(__dmr_b.state(), #site, #expr)?
            }}
        }
        None => quote!(#expr),
    }
}

/// The rules of a closure that builds a layer (`what`: `auth` or `throttle`, after the
/// indefinite `article`) from application state, when `expr` is one: not `async`, at least one
/// argument and at most four, each a reference to a written-out type.
pub fn check_state_closure(
    expr: &Expr,
    what: &str,
    article: &str,
    errors: &mut darling::error::Accumulator,
) {
    let Some(closure) = state_closure(expr) else {
        return;
    };
    if let Some(token) = &closure.asyncness {
        errors.push(
            Error::custom(format!(
                "{article} {what} is built once, when the API is built, so this closure cannot be `async`, remove `async`",
            ))
            .with_span(token),
        );
    }
    if closure.inputs.is_empty() {
        errors.push(
            Error::custom(format!(
                "this closure reads no application state, write the {what} itself instead of a closure, or take `|value: &Type|`",
            ))
            .with_span(&closure.inputs_begin),
        );
    }
    if closure.inputs.len() > 4 {
        errors.push(
            Error::custom(format!(
                "{article} {what} closure reads at most four values, group them in one state type",
            ))
            .with_span(&closure.inputs[4]),
        );
    }
    for input in &closure.inputs {
        check_state_argument(input, errors);
    }
}

pub(crate) fn check_state_argument(input: &Pat, errors: &mut darling::error::Accumulator) {
    match input {
        Pat::Type(t) => match &*t.ty {
            Type::Reference(r) if r.mutability.is_some() => errors.push(
                Error::custom("application state is shared, take it by `&`, not `&mut`")
                    .with_span(&r.mutability),
            ),
            Type::Reference(r) if r.lifetime.is_some() => errors.push(
                Error::custom("remove the lifetime, write `&Type`").with_span(&r.lifetime),
            ),
            Type::Reference(_) => {}
            other => errors.push(
                Error::custom(format!(
                    "application state is lent to the closure, take a reference: `&{}`",
                    quote::ToTokens::to_token_stream(other)
                ))
                .with_span(other),
            ),
        },
        other => errors.push(
            Error::custom(
                "write the type of this argument, like `keys: &Keys`: application state is found by its type",
            )
            .with_span(other),
        ),
    }
}
