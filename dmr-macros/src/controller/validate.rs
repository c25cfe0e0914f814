//! Rules that span more than one attribute or function: sync/async consistency, `none`
//! versus listed auth, path parameters versus arguments, duplicate routes.

use darling::Error;
use darling::error::Accumulator;
use syn::{FnArg, Type};

use super::args::ControllerArgs;
use super::model::{Controller, Endpoint};
use crate::auth_decl::{AuthDecl, check_no_sync_or_async};
use crate::endpoint::args::EndpointAttr;
use crate::path_template::PathTemplate;
use crate::runtime::Runtime;
use crate::signature::{FnItem, ImplBlock};

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
) -> Option<Controller<'a>> {
    let name = type_name(&block.self_ty, acc)?;
    if let Some((_, path, _)) = &block.trait_ {
        acc.push(Error::custom("`#[controller]` goes on an inherent impl block (`impl Type { .. }`), not on a trait impl").with_span(path));
    }
    if !block.generics.params.is_empty() {
        acc.push(Error::custom("`#[controller]` does not support generic impl blocks, implement it on a concrete type").with_span(&block.generics));
    }
    let base = acc.handle(PathTemplate::parse(&args.path));
    if let Some(AuthDecl::List(exprs, _)) = &args.auth {
        check_no_sync_or_async(exprs, acc);
    }
    let controller_off = args.auth.as_ref().is_some_and(AuthDecl::is_disabled);
    let controller_auth: Vec<_> = args.auth.iter().flat_map(|a| a.exprs()).collect();

    let first_kind = parsed.first().map(|p| (p.func.sig.asyncness.is_none(), &p.func.sig.ident));
    let mut seen: Vec<(&str, String, &syn::Ident)> = Vec::new();
    let mut endpoints = Vec::new();
    for p in parsed {
        let sig = &p.func.sig;
        let sync = sig.asyncness.is_none();
        if let Some((first_sync, first_name)) = first_kind
            && sync != first_sync
        {
            let (this_kind, other_kind) = if sync { ("a plain `fn`", "an `async fn`") } else { ("an `async fn`", "a plain `fn`") };
            acc.push(Error::custom(format!(
                "`{}` is {this_kind} but `{first_name}` is {other_kind}, the endpoints of one controller must be all `async fn` or all plain `fn`",
                sig.ident
            )).with_span(&sig.fn_token));
        }
        check_signature(p.func, acc);
        let endpoint_auth = p.attr.args.auth.as_ref();
        if let Some(decl) = endpoint_auth {
            if let AuthDecl::List(exprs, span) = &**decl {
                check_no_sync_or_async(exprs, acc);
                if controller_off {
                    acc.push(Error::custom(
                        "this endpoint lists auth, but its controller says `auth = none`, which turns off auth for every endpoint in it; remove `auth = none` from the controller or this list",
                    ).with_span(span));
                }
            }
        }
        let endpoint_off = endpoint_auth.is_some_and(|d| d.is_disabled());
        let template = acc.handle(PathTemplate::parse(&p.attr.args.path));
        let args: Vec<&Type> = sig.inputs.iter().filter_map(|a| match a {
            FnArg::Typed(t) => Some(&*t.ty),
            FnArg::Receiver(_) => None,
        }).collect();
        if controller_off || endpoint_off {
            for ty in &args {
                if last_ident(ty).is_some_and(|i| i == "Authed" || i == "AuthInfo") {
                    acc.push(Error::custom(
                        "this endpoint has `auth = none`, so no identity is ever available; remove this argument or turn auth on",
                    ).with_span(ty));
                }
            }
        }
        let (Some(base), Some(template)) = (&base, template) else { continue };
        let full = join(&base.value, &template.value);
        check_path_params(base, &template, p.func, &args, acc);
        if let Some((_, _, first)) = seen.iter().find(|(m, path, _)| *m == p.attr.method.wire && *path == full) {
            acc.push(Error::custom(format!(
                "`{}` and `{first}` both handle `{} {full}`, give one of them another method or path",
                sig.ident, p.attr.method.wire
            )).with_span(&template.lit));
        }
        seen.push((p.attr.method.wire, full.clone(), &sig.ident));
        endpoints.push(Endpoint {
            func: p.func,
            method: p.attr.method.clone(),
            path: full,
            auth: endpoint_auth.iter().flat_map(|a| a.exprs()).collect(),
            uses_controller_auth: !endpoint_off,
            inherit: !(controller_off || endpoint_off),
            args,
            deprecated: p.attr.args.deprecated.is_present(),
            operation_id: p.attr.args.operation_id.clone(),
        });
    }
    let sync = first_kind.is_some_and(|(s, _)| s);
    Some(Controller {
        self_ty: &block.self_ty,
        name,
        runtime: Runtime::new(args.krate.clone()),
        error_model: args.error_model.as_ref(),
        auth: controller_auth,
        sync,
        endpoints,
    })
}

fn type_name(ty: &Type, acc: &mut Accumulator) -> Option<String> {
    match last_ident(ty) {
        Some(ident) => Some(ident.to_string()),
        None => {
            acc.push(Error::custom("`#[controller]` needs a named type, like `impl Articles { .. }`").with_span(ty));
            None
        }
    }
}

/// The last path segment of a path type (`Authed` in `dmr::Authed<Claims>`).
pub fn last_ident(ty: &Type) -> Option<&syn::Ident> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| &s.ident),
        Type::Group(g) => last_ident(&g.elem),
        Type::Paren(p) => last_ident(&p.elem),
        _ => None,
    }
}

fn check_signature(func: &FnItem, acc: &mut Accumulator) {
    let sig = &func.sig;
    if let Some(FnArg::Receiver(r)) = sig.inputs.first() {
        acc.push(Error::custom("endpoints are associated functions, remove the `self` parameter").with_span(r));
    }
    if !sig.generics.params.is_empty() {
        acc.push(Error::custom("endpoints cannot be generic, use concrete types").with_span(&sig.generics));
    }
    if let Some(c) = &sig.constness {
        acc.push(Error::custom("an endpoint cannot be a `const fn`").with_span(c));
    }
    if let syn::Safety::Unsafe(u) = &sig.safety {
        acc.push(Error::custom("an endpoint cannot be an `unsafe fn`").with_span(u));
    }
    if let Some(v) = &sig.variadic {
        acc.push(Error::custom("an endpoint cannot be variadic").with_span(v));
    }
}

fn check_path_params(base: &PathTemplate, template: &PathTemplate, func: &FnItem, args: &[&Type], acc: &mut Accumulator) {
    let has_path_arg = args.iter().any(|t| last_ident(t).is_some_and(|i| i == "Path"));
    let params: Vec<&String> = base.params.iter().chain(&template.params).collect();
    if let (Some(param), false) = (params.first(), has_path_arg) {
        let lit = if template.params.contains(param) { &template.lit } else { &base.lit };
        acc.push(Error::custom(format!(
            "path parameter `{param}` has no matching argument in `{}`, add an argument of type `Path<..>`",
            func.sig.ident
        )).with_span(lit));
    }
    if params.is_empty() {
        for ty in args.iter().filter(|t| last_ident(t).is_some_and(|i| i == "Path")) {
            acc.push(Error::custom(format!(
                "`{}` takes `Path<..>` but its path `{}` has no `{{parameter}}`, add one to the path or remove the argument",
                func.sig.ident,
                join(&base.value, &template.value)
            )).with_span(*ty));
        }
    }
}

/// Joins the controller path and the endpoint path (`/api/x` + `/` = `/api/x/`).
pub fn join(base: &str, path: &str) -> String {
    if path.is_empty() { base.to_owned() } else { format!("{}{}", base.trim_end_matches('/'), path) }
}
