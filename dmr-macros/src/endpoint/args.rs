//! The grammar of `#[endpoint(<method>, path = "..", auth = [..] | none, ..)]`: the method
//! word first, then keys that darling reads.

use darling::ast::NestedMeta;
use darling::util::{Flag, SpannedValue};
use darling::{Error, FromMeta};
use syn::{Ident, Meta};

use super::status::StatusDecl;
use crate::layer_decl::AuthDecl;
use crate::layer_decl::ThrottleDecl;
use crate::method::Method;
use crate::path_template::PathTemplate;

/// Keys after the method word.
#[derive(FromMeta)]
pub struct EndpointArgs {
    pub path: PathTemplate,
    pub auth: Option<SpannedValue<AuthDecl>>,
    pub throttle: Option<ThrottleDecl>,
    /// Marks the operation deprecated in OpenAPI.
    pub deprecated: Flag,
    /// Overrides the OpenAPI `operationId`.
    pub operation_id: Option<String>,
    /// The status a successful call answers and its operation documents.
    pub status: Option<StatusDecl>,
}

/// Everything one `#[endpoint(..)]` says.
pub struct EndpointAttr {
    pub method: Method,
    pub args: EndpointArgs,
}

const EXAMPLE: &str = "`#[endpoint(get, path = \"/\")]`";

impl EndpointAttr {
    /// Parses the attribute: the method word first, then the keys. Reports a bad method and
    /// bad keys together.
    pub fn parse(attr: &syn::Attribute) -> darling::Result<Self> {
        let Meta::List(list) = &attr.meta else {
            return Err(
                Error::custom(format!("expected the method and the path, like {EXAMPLE}"))
                    .with_span(&attr.meta),
            );
        };
        let mut items = NestedMeta::parse_meta_list(list.tokens.clone())?.into_iter();
        let parens = list.delimiter.span().join();
        let method = match items.next() {
            Some(NestedMeta::Meta(Meta::Path(p))) if p.get_ident().is_some() => {
                p.get_ident().cloned()
            }
            _ => None,
        };
        let Some(method) = method else {
            // `#[endpoint(path = "/")]`: the method is missing, not misspelled.
            return Err(Error::custom(format!(
                "missing HTTP method, write it first, like {EXAMPLE}"
            ))
            .with_span(&list.path));
        };
        let (extra, keys): (Vec<_>, Vec<_>) = items.partition(|item| second_method(item).is_some());
        let mut errors: Vec<Error> = extra
            .iter()
            .filter_map(second_method)
            .map(|ident| {
                Error::custom(format!(
                    "an endpoint has one HTTP method, remove `{ident}` and declare another endpoint for it"
                ))
                .with_span(ident)
            })
            .collect();
        let keys = drop_repeated_keys(keys, &mut errors);
        let method = Method::parse(&method);
        // A missing `path` has no token of its own: point at the parentheses. Each error of a
        // combined darling error needs the span, not only the container.
        let args = EndpointArgs::from_list(&keys).map_err(|e| {
            Error::multiple(
                e.flatten()
                    .into_iter()
                    .map(|e| e.with_span(&parens))
                    .collect(),
            )
        });
        match (method, args) {
            (Ok(method), Ok(args)) if errors.is_empty() => Ok(Self { method, args }),
            (method, args) => {
                errors.splice(0..0, method.err());
                errors.extend(args.err());
                Err(Error::multiple(errors))
            }
        }
    }
}

/// A bare method word after the first one: `post` in `#[endpoint(get, post, path = "/")]`.
fn second_method(item: &NestedMeta) -> Option<&Ident> {
    match item {
        NestedMeta::Meta(Meta::Path(p)) => p.get_ident().filter(|i| Method::is_method_word(i)),
        _ => None,
    }
}

/// The keys without their repetitions, each repetition reported at its own name
/// (`status = 201, status = 202`).
fn drop_repeated_keys(keys: Vec<NestedMeta>, errors: &mut Vec<Error>) -> Vec<NestedMeta> {
    let mut seen: Vec<Ident> = Vec::new();
    let mut kept = Vec::with_capacity(keys.len());
    for item in keys {
        let name = match &item {
            NestedMeta::Meta(meta) => meta.path().get_ident().cloned(),
            NestedMeta::NameValueInvalidExpr(nv) => nv.path.get_ident().cloned(),
            NestedMeta::Lit(_) => None,
        };
        match name {
            Some(name) if seen.contains(&name) => {
                errors.push(
                    Error::custom(format!(
                        "`{name}` specified more than once, remove this one"
                    ))
                    .with_span(&name),
                );
            }
            Some(name) => {
                seen.push(name);
                kept.push(item);
            }
            None => kept.push(item),
        }
    }
    kept
}
