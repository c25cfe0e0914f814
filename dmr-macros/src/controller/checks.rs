//! Type assertions spanned at the user's tokens, so a wrong type is reported where it was
//! written, with the runtime traits' `on_unimplemented` messages.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

/// Asserts that the auth stored at `access` fits the endpoint kind; spanned at `expr`.
pub fn auth_kind(private: &TokenStream, sync: bool, expr: &syn::Expr, access: &TokenStream) -> TokenStream {
    let check = if sync {
        quote!(auth_must_be_sync_for_a_sync_endpoint)
    } else {
        quote!(auth_must_be_async_for_an_async_endpoint)
    };
    let access = respan(access.clone(), expr.span());
    quote_spanned!(expr.span()=> #private::#check(&#access);)
}

/// Gives every token of `tokens` the span `span`, so that an error about the whole
/// expression lands on the user's token instead of the attribute.
fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let proc_macro2::TokenTree::Group(g) = &tt {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = proc_macro2::TokenTree::Group(group);
            }
            tt.set_span(span);
            tt
        })
        .collect()
}

/// Asserts that every argument is an extractor (and `Send` on sync endpoints) and that the
/// return type is a response.
pub fn signature(private: &TokenStream, sync: bool, args: &[&Type], ret: &syn::ReturnType) -> TokenStream {
    let mut out = TokenStream::new();
    for ty in args {
        out.extend(quote_spanned!(ty.span()=> #private::handler_argument_must_be_an_extractor::<#ty>();));
        if sync {
            out.extend(quote_spanned!(ty.span()=> #private::sync_endpoint_argument_must_be_send::<#ty>();));
        }
    }
    if let syn::ReturnType::Type(_, ty) = ret
        && !contains_impl_trait(ty)
    {
        out.extend(quote_spanned!(ty.span()=> #private::handler_must_return_a_response::<#ty>();));
        if sync {
            out.extend(quote_spanned!(ty.span()=> #private::sync_endpoint_output_must_be_send::<#ty>();));
        }
    }
    out
}

pub fn contains_impl_trait(ty: &Type) -> bool {
    let tokens = quote!(#ty).to_string();
    tokens.contains("impl ") || tokens.starts_with("impl")
}
