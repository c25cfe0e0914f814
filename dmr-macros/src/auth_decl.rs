//! `auth = [a, b]` or `auth = none`: the auth declaration shared by both macros.

use darling::{Error, FromMeta};
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, ExprPath};

/// One `auth = ..` value.
#[derive(Clone)]
pub enum AuthDecl {
    /// `auth = none`: turns off this layer and every layer below it.
    Disabled(Span),
    /// `auth = [..]`: a non-empty list of auth expressions, in chain order.
    List(Vec<Expr>, Span),
}

impl FromMeta for AuthDecl {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        match expr {
            Expr::Array(array) if array.elems.is_empty() => Err(Error::custom(
                "`auth = []` adds no auth, write `auth = none` to turn auth off or list at least one auth",
            )
            .with_span(array)),
            Expr::Array(array) => Ok(Self::List(array.elems.iter().cloned().collect(), array.span())),
            Expr::Path(ExprPath { path, qself: None, .. }) if path.is_ident("none") => {
                Ok(Self::Disabled(path.span()))
            }
            Expr::Group(g) => Self::from_expr(&g.expr),
            other => Err(Error::custom(
                "expected `auth = [..]` with a list of auths, or `auth = none`",
            )
            .with_span(other)),
        }
    }
}

impl AuthDecl {
    pub fn exprs(&self) -> &[Expr] {
        match self {
            Self::Disabled(_) => &[],
            Self::List(exprs, _) => exprs,
        }
    }

    pub fn is_disabled(&self) -> bool {
        matches!(self, Self::Disabled(_))
    }
}

/// Reports `SyncOrAsync(..)` written directly in a controller or endpoint list: those layers
/// know their kind, so the pair belongs in settings or a scope.
pub fn check_no_sync_or_async(exprs: &[Expr], errors: &mut darling::error::Accumulator) {
    for expr in exprs {
        let callee = match expr {
            Expr::Call(call) => match &*call.func {
                Expr::Path(p) => Some(&p.path),
                _ => None,
            },
            Expr::Struct(s) => Some(&s.path),
            _ => None,
        };
        let names_pair = callee.is_some_and(|path| {
            path.segments.iter().any(|s| s.ident == "SyncOrAsync")
        });
        if names_pair {
            errors.push(
                Error::custom(
                    "`SyncOrAsync` can only be used in settings or a scope, list the sync or the async variant of this auth here instead",
                )
                .with_span(expr),
            );
        }
    }
}
