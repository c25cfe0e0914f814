//! `throttle = [a, b]` or `throttle = none`: the throttle declaration shared by both macros,
//! read and checked like `auth = ..` (`auth_decl.rs`).

use darling::{Error, FromMeta};
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, ExprPath};

use crate::auth_decl::check_state_closure;

/// One `throttle = ..` value.
pub enum ThrottleDecl {
    /// `throttle = none`: turns off this layer's throttles and every layer below it.
    Disabled,
    /// `throttle = [..]`: a non-empty list of throttle expressions.
    List(ExprArray),
}

impl FromMeta for ThrottleDecl {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        match expr {
            Expr::Array(array) if array.elems.is_empty() => Err(Error::custom(
                "`throttle = []` lists no throttle, write `throttle = none` to turn throttling off or list at least one throttle",
            )
            .with_span(array)),
            Expr::Array(array) => Ok(Self::List(array.clone())),
            Expr::Path(ExprPath { path, qself: None, .. }) if path.is_ident("none") => Ok(Self::Disabled),
            Expr::Group(g) => Self::from_expr(&g.expr),
            other => Err(Error::custom(
                "expected a list of throttles or `none`, wrap this throttle in `[..]`",
            )
            .with_span(&other.span())),
        }
    }
}

impl ThrottleDecl {
    /// The listed throttle expressions (none for `throttle = none`).
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

    /// Every check of one declaration: `SyncOrAsync` where the kind is known, closures.
    pub fn check(&self, errors: &mut darling::error::Accumulator) {
        for expr in self.exprs() {
            check_no_sync_or_async(expr, errors);
            check_state_closure(expr, "throttle", "a", errors);
        }
    }
}

/// `SyncOrAsync::new(..)` in a controller or endpoint list: those know their endpoint kind.
fn check_no_sync_or_async(expr: &Expr, errors: &mut darling::error::Accumulator) {
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
                "`SyncOrAsync` goes in settings or a scope, list the throttle whose store matches the endpoints here",
            )
            .with_span(&segment.ident),
        );
    }
}
