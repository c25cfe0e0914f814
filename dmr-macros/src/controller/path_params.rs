//! Path parameters versus arguments: a `{param}` needs a `Path<..>` argument to read it, and
//! a `Path<..>` argument needs parameters to read. A `Path<(A, B)>` tuple reads exactly as
//! many parameters as it has elements.
//!
//! This works on syntax (the last segment `Path`, `HttpRequest`), since the macro runs before
//! types are known: an endpoint that reads parameters through `HttpRequest::match_info` is
//! accepted without a `Path` argument.

use darling::Error;
use darling::error::Accumulator;
use syn::{GenericArgument, PathArguments, Type};

use crate::path_template::{PathTemplate, join};
use crate::signature::{FnItem, last_ident};

pub fn check(
    base: &PathTemplate,
    template: &PathTemplate,
    func: &FnItem,
    args: &[&Type],
    acc: &mut Accumulator,
) {
    let ident = &func.sig.ident;
    let params: Vec<&String> = base.params.iter().chain(&template.params).collect();
    let path_args: Vec<&Type> = args
        .iter()
        .copied()
        .filter(|t| is_named(t, "Path"))
        .collect();
    let reads_request = args.iter().any(|t| is_named(t, "HttpRequest"));
    if let (Some(param), true, false) = (params.first(), path_args.is_empty(), reads_request) {
        let lit = if template.params.contains(param) {
            &template.lit
        } else {
            &base.lit
        };
        acc.push(Error::custom(format!(
            "path parameter `{param}` has no matching argument in `{ident}`, add an argument of type `Path<..>` that reads it"
        )).with_span(lit));
    }
    for ty in path_args {
        let full = join(&base.value, &template.value);
        match tuple_len(ty) {
            _ if params.is_empty() => acc.push(Error::custom(format!(
                "`{ident}` takes `Path<..>` but its path `{full}` has no `{{parameter}}`, add one to the path or remove the argument"
            )).with_span(ty)),
            Some(len) if len != params.len() => acc.push(Error::custom(format!(
                "this `Path` tuple reads {len} parameter{} but `{full}` has {}, make them match",
                if len == 1 { "" } else { "s" },
                params.len()
            )).with_span(ty)),
            _ => {}
        }
    }
}

fn is_named(ty: &Type, name: &str) -> bool {
    last_ident(ty).is_some_and(|i| i == name)
}

/// `Some(n)` for `Path<(T1, .., Tn)>`.
fn tuple_len(ty: &Type) -> Option<usize> {
    let Type::Path(path) = ty else { return None };
    let PathArguments::AngleBracketed(generics) = &path.path.segments.last()?.arguments else {
        return None;
    };
    match generics.args.first()? {
        GenericArgument::Type(Type::Tuple(tuple)) => Some(tuple.elems.len()),
        _ => None,
    }
}
