//! The grammar of `#[endpoint(<method>, path = "..", auth = [..] | none)]`.

use darling::FromMeta;
use darling::ast::NestedMeta;
use darling::util::{Flag, SpannedValue};
use syn::{Ident, LitStr, Meta};

use crate::auth_decl::AuthDecl;
use crate::method::Method;

/// Keys after the method word.
#[derive(FromMeta)]
pub struct EndpointArgs {
    pub path: LitStr,
    pub auth: Option<SpannedValue<AuthDecl>>,
    /// Marks the operation deprecated in OpenAPI.
    pub deprecated: Flag,
    /// Overrides the OpenAPI `operationId`.
    pub operation_id: Option<String>,
}

/// Everything `#[endpoint(..)]` says.
pub struct EndpointAttr {
    pub method: Method,
    pub args: EndpointArgs,
    /// The attribute itself, for errors about the whole declaration.
    pub attr_span: proc_macro2::Span,
}

impl EndpointAttr {
    /// Parses the attribute's token list: the method word first, then keys.
    pub fn parse(attr: &syn::Attribute) -> darling::Result<Self> {
        use syn::spanned::Spanned;
        let attr_span = attr.span();
        let tokens = match &attr.meta {
            Meta::List(list) => list.tokens.clone(),
            _ => {
                return Err(darling::Error::custom(
                    "expected `#[endpoint(<method>, path = \"..\")]`, for example `#[endpoint(get, path = \"/\")]`",
                )
                .with_span(attr));
            }
        };
        let mut items = NestedMeta::parse_meta_list(tokens)?;
        let method_ident: Option<Ident> = match items.first() {
            Some(NestedMeta::Meta(Meta::Path(p))) => p.get_ident().cloned(),
            _ => None,
        };
        let Some(method_ident) = method_ident else {
            return Err(darling::Error::custom(
                "expected the HTTP method first, for example `#[endpoint(get, path = \"/\")]`",
            )
            .with_span(&items.first().map_or(attr_span, |i| i.span())));
        };
        items.remove(0);
        let mut acc = darling::Error::accumulator();
        let method = acc.handle(Method::parse(&method_ident));
        let args = acc.handle(EndpointArgs::from_list(&items).map_err(|e| e.with_span(&attr_span)));
        acc.finish()?;
        match (method, args) {
            (Some(method), Some(args)) => Ok(Self { method, args, attr_span }),
            _ => unreachable!("accumulator reported the failure"),
        }
    }
}
