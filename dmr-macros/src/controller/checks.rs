//! Type assertions spanned at the user's tokens, so that a wrong type is reported where it was
//! written, with the `on_unimplemented` message of a `__private` helper trait. They sit in an
//! `if false { .. }` block (or feed a value that is needed anyway), so they cost nothing at run
//! time.

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use syn::spanned::Spanned;
use syn::{Index, Type};

/// Where an auth of the static chain is stored: `__dmr_auth.<position>` for the endpoint's
/// own, `__dmr_controller.<position>` for the controller's.
pub struct AuthSlot {
    controller: bool,
    position: usize,
}

impl AuthSlot {
    /// The endpoint's own auth at `position`.
    pub fn endpoint(position: usize) -> Self {
        Self {
            controller: false,
            position,
        }
    }

    /// The controller's auth at `position`.
    pub fn controller(position: usize) -> Self {
        Self {
            controller: true,
            position,
        }
    }

    /// `__dmr_auth.<position>` (or `__dmr_controller.<position>`), spanned at `span`.
    pub fn access(&self, span: Span) -> TokenStream {
        let position = Index {
            index: self.position as u32,
            span,
        };
        if self.controller {
            quote_spanned!(span=> __dmr_controller.#position)
        } else {
            quote_spanned!(span=> __dmr_auth.#position)
        }
    }

    /// `(&&AuthProbe(&<access>))`: the receiver of the `no_cascade` probe methods.
    pub fn probe(&self, private: &TokenStream, span: Span) -> TokenStream {
        let access = self.access(span);
        quote_spanned!(span=> (&&#private::AuthProbe(&#access)))
    }
}

/// Asserts that the auth written as `expr` fits the endpoint kind. A value that is not an auth
/// at all skips this check (its `build_auth` already reports it).
pub fn auth_kind(
    private: &TokenStream,
    sync: bool,
    expr: &syn::Expr,
    slot: &AuthSlot,
) -> TokenStream {
    let span = crate::auth_decl::auth_span(expr);
    let check = if sync {
        quote_spanned!(span=> auth_must_be_sync_for_a_sync_endpoint)
    } else {
        quote_spanned!(span=> auth_must_be_async_for_an_async_endpoint)
    };
    let probe = slot.probe(private, span);
    quote_spanned!(span=> #private::#check(#probe.kind());)
}

/// Asserts that every argument is an extractor (and `Send` on sync endpoints) and that the
/// return type is a response.
pub fn signature(
    private: &TokenStream,
    sync: bool,
    args: &[&Type],
    ret: &syn::ReturnType,
) -> TokenStream {
    let mut out = TokenStream::new();
    for ty in args {
        // `Authed<T>` has its own assertion (an identity an auth can yield), which also
        // covers what makes it an extractor: one error per mistake.
        let is_authed = crate::signature::last_ident(ty).is_some_and(|i| i == "Authed");
        if !is_authed {
            out.extend(quote_spanned!(ty.span()=>
                #private::handler_argument_must_be_an_extractor::<#ty>();
            ));
        }
        if sync {
            out.extend(
                quote_spanned!(ty.span()=> #private::sync_endpoint_argument_must_be_send::<#ty>();),
            );
        }
    }
    if let syn::ReturnType::Type(_, ty) = ret
        && !contains_impl_trait(ty)
    {
        out.extend(quote_spanned!(ty.span()=> #private::handler_must_return_a_response::<#ty>();));
        if sync {
            out.extend(
                quote_spanned!(ty.span()=> #private::sync_endpoint_output_must_be_send::<#ty>();),
            );
        }
    }
    out
}

/// What the argument `ty` reads from the chain (`Authed<T>`, `AuthInfo`), for the check when
/// the API is built; asserts on the way that an `Authed<T>` asks for a type an auth can yield.
pub fn identity_need(private: &TokenStream, ty: &Type) -> TokenStream {
    quote_spanned! {ty.span()=>
        #private::authed_type_must_be_an_auth_identity(
            (&&#private::NeedProbe::<#ty>::new()).reads(),
        )
    }
}

/// An `impl Trait` result cannot be named in an assertion: its bounds (a response, and `Send`
/// on a sync endpoint) are asserted on the function, at the return type.
pub fn opaque_result(
    c: &super::model::Controller<'_>,
    e: &super::model::Endpoint<'_>,
) -> TokenStream {
    let syn::ReturnType::Type(_, ty) = &e.func.sig.output else {
        return TokenStream::new();
    };
    if !contains_impl_trait(ty) {
        return TokenStream::new();
    }
    let p = c.runtime.local();
    // the function named at the return type (inside the `impl Controller`, `Self` is the
    // controller), so that the error points there and not at the function's name
    let ident = syn::Ident::new(&e.func.sig.ident.to_string(), ty.span());
    let args = &e.args;
    let check = if c.sync {
        quote_spanned!(ty.span()=> sync_endpoint_must_return_a_send_response)
    } else {
        quote_spanned!(ty.span()=> async_endpoint_must_return_a_response)
    };
    quote_spanned!(ty.span()=> #p::#check::<(#(#args,)*), _>(Self::#ident);)
}

/// Whether a type mentions `impl Trait` (which cannot be named in a turbofish).
pub fn contains_impl_trait(ty: &Type) -> bool {
    let in_path = |path: &syn::Path| {
        path.segments.iter().any(|s| match &s.arguments {
            syn::PathArguments::AngleBracketed(a) => a.args.iter().any(|arg| match arg {
                syn::GenericArgument::Type(t) => contains_impl_trait(t),
                _ => false,
            }),
            _ => false,
        })
    };
    match ty {
        Type::ImplTrait(_) => true,
        Type::Reference(r) => contains_impl_trait(&r.elem),
        Type::Paren(p) => contains_impl_trait(&p.elem),
        Type::Group(g) => contains_impl_trait(&g.elem),
        Type::Array(a) => contains_impl_trait(&a.elem),
        Type::Slice(s) => contains_impl_trait(&s.elem),
        Type::Ptr(p) => contains_impl_trait(&p.elem),
        Type::Tuple(t) => t.elems.iter().any(contains_impl_trait),
        Type::Path(p) => in_path(&p.path),
        _ => false,
    }
}
