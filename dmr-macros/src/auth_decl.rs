//! `auth = [a, b]` or `auth = none`: the auth declaration shared by both macros.

use darling::{Error, FromMeta};
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, ExprPath};

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
