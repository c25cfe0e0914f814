//! Rules that span more than one attribute or function: sync/async consistency, `none`
//! versus listed auth and identity arguments, signatures, duplicate routes. Produces the IR.

use darling::Error;
use darling::error::Accumulator;
use quote::ToTokens;
use syn::{FnArg, Type};

use super::args::ControllerArgs;
use super::model::{Controller, Endpoint};
use super::path_params;
use crate::endpoint::args::EndpointAttr;
use crate::layer_decl::AuthDecl;
use crate::path_template::{join, route_shape};
use crate::runtime::Runtime;
use crate::signature::{FnItem, ImplBlock, last_ident};

/// An endpoint function with its parsed attribute, before cross-checks.
pub struct Parsed<'a> {
    pub func: &'a FnItem,
    pub attr: EndpointAttr,
}

pub fn validate<'a>(
    args: &'a ControllerArgs,
    block: &'a ImplBlock,
    parsed: &'a [Parsed<'a>],
    acc: &mut Accumulator,
) -> Controller<'a> {
    if let Some((_, path, _)) = &block.trait_ {
        acc.push(
            Error::custom("`#[controller]` goes on an inherent impl block, move the endpoints to `impl Type { .. }`")
                .with_span(path),
        );
    }
    if let Some(param) = block.generics.params.first() {
        acc.push(
            Error::custom("a controller cannot be generic, implement it on a concrete type")
                .with_span(param),
        );
    }
    let base = &args.path;
    if let Some(decl) = &args.auth {
        decl.check(acc);
    }
    let controller_off = args.auth.as_ref().is_some_and(AuthDecl::is_disabled);
    let controller_auth: Vec<&syn::Expr> = args.auth.iter().flat_map(|a| a.exprs()).collect();
    if let Some(decl) = &args.throttle {
        decl.check(acc);
    }
    let controller_throttle_off = args.throttle.as_ref().is_some_and(|d| d.is_disabled());
    let first = parsed.first().map(|p| &p.func.sig);
    let mut routes: Vec<(&str, String, &syn::Ident)> = Vec::new();
    let mut endpoints = Vec::new();
    for p in parsed {
        let sig = &p.func.sig;
        if let Some(first) = first {
            check_same_kind(first, sig, acc);
        }
        check_signature(p.func, acc);
        let endpoint_auth = p.attr.args.auth.as_ref();
        if let Some(decl) = endpoint_auth {
            decl.check(acc);
            decl.check_under(controller_off, acc);
        }
        let endpoint_off = endpoint_auth.is_some_and(|d| d.is_disabled());
        let endpoint_throttle = p.attr.args.throttle.as_ref();
        if let Some(decl) = endpoint_throttle {
            decl.check(acc);
            decl.check_under(controller_throttle_off, acc);
        }
        let endpoint_throttle_off = endpoint_throttle.is_some_and(|d| d.is_disabled());
        let args: Vec<&Type> = sig
            .inputs
            .iter()
            .filter_map(|a| match a {
                FnArg::Typed(t) => Some(&*t.ty),
                FnArg::Receiver(_) => None,
            })
            .collect();
        if controller_off || endpoint_off {
            let layer = if endpoint_off {
                "this endpoint has"
            } else {
                "its controller has"
            };
            check_no_identity(&args, layer, acc);
        }
        let template = &p.attr.args.path;
        path_params::check(base, template, p.func, &args, acc);
        let full = join(&base.value, &template.value);
        let shape = route_shape(&full);
        let method = p.attr.method.wire;
        if let Some((_, _, other)) = routes.iter().find(|(m, s, _)| *m == method && *s == shape) {
            acc.push(Error::custom(format!(
                "`{}` and `{other}` both handle `{method} {full}`, change the method or the path of one of them",
                sig.ident
            )).with_span(&template.lit));
        }
        routes.push((method, shape, &sig.ident));
        let endpoint_exprs: Vec<&syn::Expr> =
            endpoint_auth.iter().flat_map(|a| a.exprs()).collect();
        let controller_exprs: &[&syn::Expr] = if endpoint_off { &[] } else { &controller_auth };
        check_limits(&endpoint_exprs, controller_exprs, &args, acc);
        endpoints.push(Endpoint {
            func: p.func,
            method: p.attr.method,
            path: full,
            auth: endpoint_auth.iter().flat_map(|a| a.exprs()).collect(),
            uses_controller_auth: !endpoint_off,
            inherit: !(controller_off || endpoint_off),
            throttle: endpoint_throttle.iter().flat_map(|t| t.exprs()).collect(),
            uses_controller_throttle: !endpoint_throttle_off,
            inherit_throttles: !(controller_throttle_off || endpoint_throttle_off),
            args,
            deprecated: p.attr.args.deprecated.is_present(),
            operation_id: p.attr.args.operation_id.clone(),
            status: p.attr.args.status.map(|s| s.0),
        });
    }
    Controller {
        self_ty: &block.self_ty,
        name: type_name(&block.self_ty),
        runtime: Runtime::new(args.krate.clone()),
        error_model: args.error_model.as_ref(),
        auth: args.auth.iter().flat_map(|a| a.exprs()).collect(),
        throttle: args.throttle.iter().flat_map(|t| t.exprs()).collect(),
        sync: first.is_some_and(|sig| sig.asyncness.is_none()),
        endpoints,
    }
}

/// The most auths an endpoint's static chain (its own, then its controller's) and the most
/// arguments an endpoint can have: the pipeline runs tuples of up to 16, as actix extracts
/// tuples of up to 16.
const MAX_STATIC: usize = 16;

fn check_limits(
    own: &[&syn::Expr],
    controller: &[&syn::Expr],
    args: &[&Type],
    acc: &mut Accumulator,
) {
    if let Some(extra) = own.iter().chain(controller).nth(MAX_STATIC) {
        acc.push(
            Error::custom(format!(
                "an endpoint's chain holds at most {MAX_STATIC} auths (its own, then its controller's), combine some into one auth or move them to a scope or the settings"
            ))
            .with_span(&crate::auth_decl::auth_span(extra)),
        );
    }
    if let Some(extra) = args.get(MAX_STATIC) {
        acc.push(
            Error::custom(format!(
                "an endpoint takes at most {MAX_STATIC} arguments, group some into one extractor (a struct implementing `FromRequest`)"
            ))
            .with_span(extra),
        );
    }
}

/// The endpoints of one controller are all `async fn` or all plain `fn` (as in the
/// reference): the first one decides, and the error points at the keyword to add or remove.
fn check_same_kind(first: &syn::Signature, sig: &syn::Signature, acc: &mut Accumulator) {
    let message = |this: &str, other: &str| {
        format!(
            "`{}` is {this} but `{}` is {other}, the endpoints of one controller must all be `async fn` or all plain `fn`",
            sig.ident, first.ident
        )
    };
    match (&first.asyncness, &sig.asyncness) {
        (None, Some(token)) => {
            acc.push(Error::custom(message("an `async fn`", "a plain `fn`")).with_span(token))
        }
        (Some(_), None) => acc
            .push(Error::custom(message("a plain `fn`", "an `async fn`")).with_span(&sig.fn_token)),
        _ => {}
    }
}

/// `Authed<T>` and `AuthInfo` read what the chain found; with auth off there is never
/// anything to read (`#[endpoint(get, path = "/", auth = none)] async fn f(u: Authed<User>)`).
fn check_no_identity(args: &[&Type], layer: &str, acc: &mut Accumulator) {
    for ty in args {
        if let Some(name) = last_ident(ty).filter(|i| *i == "Authed" || *i == "AuthInfo") {
            acc.push(Error::custom(format!(
                "`{name}` reads the identity of the auth that let the request in, but {layer} `auth = none`: remove this argument or turn auth on"
            )).with_span(ty));
        }
    }
}

fn check_signature(func: &FnItem, acc: &mut Accumulator) {
    let sig = &func.sig;
    if let Some(FnArg::Receiver(r)) = sig.inputs.first() {
        acc.push(
            Error::custom("endpoints are associated functions, remove the `self` parameter")
                .with_span(r),
        );
    }
    if let Some(param) = sig.generics.params.first() {
        acc.push(
            Error::custom("an endpoint cannot be generic, use concrete types").with_span(param),
        );
    }
    if let Some(c) = &sig.constness {
        acc.push(Error::custom("an endpoint cannot be a `const fn`, remove `const`").with_span(c));
    }
    if let syn::Safety::Unsafe(u) = &sig.safety {
        acc.push(
            Error::custom("an endpoint cannot be an `unsafe fn`, remove `unsafe`").with_span(u),
        );
    }
    if let Some(abi) = &sig.abi {
        acc.push(Error::custom("an endpoint cannot have an ABI, remove it").with_span(abi));
    }
    if let Some(v) = &sig.variadic {
        acc.push(Error::custom("an endpoint cannot be variadic, remove `...`").with_span(v));
    }
}

/// The type's name (`Articles`), or its tokens for a type that is not a path (which rustc
/// rejects on an inherent impl anyway).
fn type_name(ty: &Type) -> String {
    match last_ident(ty) {
        Some(ident) => ident.to_string(),
        None => ty.to_token_stream().to_string(),
    }
}
