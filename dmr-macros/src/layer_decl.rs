//! `auth = [a, b]` / `auth = none` and `throttle = [a, b]` / `throttle = none`: one
//! declaration type for both layers, read and checked alike; [`LayerKind`] holds what differs
//! (the words of the messages).

use std::marker::PhantomData;

use darling::{Error, FromMeta};
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, ExprPath};

use crate::auth_decl::check_state_closure;

/// What one kind of layer is called in the messages.
pub trait LayerKind {
    /// The key and the thing listed: `auth`, `throttle`.
    const WHAT: &'static str;
    /// Its plural: `auths`, `throttles`.
    const WHATS: &'static str;
    /// Its indefinite article: `an`, `a`.
    const ARTICLE: &'static str;
    /// What `none` turns off: `auth`, `throttling`.
    const SWITCH: &'static str;
    /// What an endpoint lists: `auth`, `throttles`.
    const LISTED: &'static str;
    /// How to replace `SyncOrAsync` in a controller or endpoint list.
    const SYNC_OR_ASYNC_FIX: &'static str;
}

/// The `auth = ..` layer.
pub struct Auths;

impl LayerKind for Auths {
    const WHAT: &'static str = "auth";
    const WHATS: &'static str = "auths";
    const ARTICLE: &'static str = "an";
    const SWITCH: &'static str = "auth";
    const LISTED: &'static str = "auth";
    const SYNC_OR_ASYNC_FIX: &'static str =
        "list the variant of this auth that matches the endpoints here";
}

/// The `throttle = ..` layer.
pub struct Throttles;

impl LayerKind for Throttles {
    const WHAT: &'static str = "throttle";
    const WHATS: &'static str = "throttles";
    const ARTICLE: &'static str = "a";
    const SWITCH: &'static str = "throttling";
    const LISTED: &'static str = "throttles";
    const SYNC_OR_ASYNC_FIX: &'static str =
        "list the throttle whose store matches the endpoints here";
}

/// One `auth = ..` or `throttle = ..` value: `none` (turns off this layer and every layer
/// below it) or a non-empty list of expressions, in chain order.
pub struct LayerDecl<K> {
    list: Option<ExprArray>,
    kind: PhantomData<K>,
}

/// `auth = [..]` or `auth = none`.
pub type AuthDecl = LayerDecl<Auths>;

/// `throttle = [..]` or `throttle = none`.
pub type ThrottleDecl = LayerDecl<Throttles>;

impl<K: LayerKind> FromMeta for LayerDecl<K> {
    fn from_expr(expr: &Expr) -> darling::Result<Self> {
        let (what, whats) = (K::WHAT, K::WHATS);
        let list = match expr {
            // `auth = []` reads like "no auth", which is `none`; but a forgotten entry reads
            // the same, so the user has to say which one was meant.
            Expr::Array(array) if array.elems.is_empty() => {
                return Err(Error::custom(format!(
                    "`{what} = []` lists no {what}, write `{what} = none` to turn {} off or list at least one {what}",
                    K::SWITCH
                ))
                .with_span(array));
            }
            Expr::Array(array) => Some(array.clone()),
            Expr::Path(ExprPath {
                path, qself: None, ..
            }) if path.is_ident("none") => None,
            Expr::Group(g) => return Self::from_expr(&g.expr),
            // `auth = JwtAuth::hs256(..)`: a single auth still goes in a list.
            other => {
                return Err(Error::custom(format!(
                    "expected a list of {whats} or `none`, wrap this {what} in `[..]`"
                ))
                .with_span(&other.span()));
            }
        };
        Ok(Self {
            list,
            kind: PhantomData,
        })
    }
}

impl<K: LayerKind> LayerDecl<K> {
    /// The listed expressions (none for `none`).
    pub fn exprs(&self) -> impl Iterator<Item = &Expr> {
        self.list.iter().flat_map(|array| array.elems.iter())
    }

    /// `none`.
    pub fn is_disabled(&self) -> bool {
        self.list.is_none()
    }

    /// Every check of one declaration in a controller or an endpoint: no `SyncOrAsync`
    /// (those layers know their endpoint kind, so the pair belongs in settings or a scope),
    /// and the rules of closures over application state.
    pub fn check(&self, errors: &mut darling::error::Accumulator) {
        for expr in self.exprs() {
            check_no_sync_or_async::<K>(expr, errors);
            check_state_closure(expr, K::WHAT, K::ARTICLE, errors);
        }
    }

    /// An endpoint's list under a controller that says `none` is a mistake either way (the
    /// reference silently drops the list).
    pub fn check_under(&self, controller_off: bool, errors: &mut darling::error::Accumulator) {
        let (Some(list), true) = (&self.list, controller_off) else {
            return;
        };
        let (what, listed, switch) = (K::WHAT, K::LISTED, K::SWITCH);
        errors.push(
            Error::custom(format!(
                "this endpoint lists {listed}, but its controller has `{what} = none`, which turns {switch} off for all of its endpoints: remove this list or the controller's `{what} = none`",
            ))
            .with_span(&list.bracket_token.span.join()),
        );
    }
}

/// Reports `SyncOrAsync(..)` or `SyncOrAsync::new(..)` written directly in a controller or
/// endpoint list.
fn check_no_sync_or_async<K: LayerKind>(expr: &Expr, errors: &mut darling::error::Accumulator) {
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
            Error::custom(format!(
                "`SyncOrAsync` goes in settings or a scope, {}",
                K::SYNC_OR_ASYNC_FIX
            ))
            .with_span(&segment.ident),
        );
    }
}
