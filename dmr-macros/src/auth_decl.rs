//! `auth = [a, b]` or `auth = none`: the auth declaration shared by both macros.

use darling::{Error, FromMeta};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, ExprClosure, ExprPath, Pat, Type};

/// One `auth = ..` value.
pub enum AuthDecl {
    /// `auth = none`: turns off this layer and every layer below it.
    Disabled,
    /// `auth = [..]`: a non-empty list of auth expressions, in chain order.
    List(ExprArray),
}

impl FromMeta for AuthDecl {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        match expr {
            // `auth = []` reads like "no auth", which is `none`; but a forgotten entry reads
            // the same, so the user has to say which one was meant.
            Expr::Array(array) if array.elems.is_empty() => Err(Error::custom(
                "`auth = []` lists no auth, write `auth = none` to turn auth off or list at least one auth",
            )
            .with_span(array)),
            Expr::Array(array) => Ok(Self::List(array.clone())),
            Expr::Path(ExprPath { path, qself: None, .. }) if path.is_ident("none") => Ok(Self::Disabled),
            Expr::Group(g) => Self::from_expr(&g.expr),
            // `auth = JwtAuth::hs256(..)`: a single auth still goes in a list.
            other => Err(Error::custom("expected a list of auths or `none`, wrap this auth in `[..]`")
                .with_span(&other.span())),
        }
    }
}

impl AuthDecl {
    /// The listed auth expressions (none for `auth = none`).
    pub fn exprs(&self) -> impl Iterator<Item = &Expr> {
        let list = match self {
            Self::Disabled => None,
            Self::List(array) => Some(array.elems.iter()),
        };
        list.into_iter().flatten()
    }

    pub fn is_disabled(&self) -> bool {
        matches!(self, Self::Disabled)
    }
}

/// Reports `SyncOrAsync(..)` written directly in a controller or endpoint list: those layers
/// know their endpoint kind, so the pair belongs in settings or a scope.
pub fn check_no_sync_or_async(decl: &AuthDecl, errors: &mut darling::error::Accumulator) {
    for expr in decl.exprs() {
        let callee = match expr {
            Expr::Call(call) => match &*call.func {
                Expr::Path(p) => Some(&p.path),
                _ => None,
            },
            Expr::Struct(s) => Some(&s.path),
            _ => None,
        };
        let pair = callee.and_then(|path| path.segments.iter().find(|s| s.ident == "SyncOrAsync"));
        if let Some(segment) = pair {
            errors.push(
                Error::custom(
                    "`SyncOrAsync` goes in settings or a scope, list the variant of this auth that matches the endpoints here",
                )
                .with_span(&segment.ident),
            );
        }
    }
}

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

/// Checks the closures of `auth = [|keys: &Keys| ..]`: each argument is a reference to a
/// registered type, written out (the value is found by its type), and the closure is a plain
/// one (it runs once, before the server starts).
pub fn check_state_closures(decl: &AuthDecl, errors: &mut darling::error::Accumulator) {
    for expr in decl.exprs() {
        check_state_closure(expr, "auth", "an", errors);
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
