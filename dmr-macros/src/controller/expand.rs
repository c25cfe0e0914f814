//! Code generation from the validated controller: an `impl Controller` that builds each
//! endpoint's auths once and registers its description, chain and function with one call
//! into the runtime's pipeline.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::checks::{self, AuthSlot};
use super::handler;
use super::model::{Controller, Endpoint};

pub fn controller_impl(c: &Controller<'_>) -> TokenStream {
    let real = c.runtime.private();
    let p = c.runtime.local();
    let self_ty = c.self_ty;
    let controller_site = &c.name;
    let controller_auth = c.auth.iter().map(|e| build_auth(&p, e, controller_site));
    let controller_chain = (!c.auth.is_empty())
        .then(|| quote!(let __dmr_controller = (#(#p::Arc::new(#controller_auth),)*);));
    let endpoints = c.endpoints.iter().map(|e| endpoint(c, e));
    quote! {
        #[automatically_derived]
        #[allow(clippy::all, non_snake_case, unused_labels, unreachable_code)]
        impl #real::Controller for #self_ty {
            fn __dmr_build(
                __dmr_b: &mut #real::ControllerBuild<'_>,
            ) -> #real::Result<(), #real::ApiError> {
                use #real as __dmr;
                #[allow(unused_imports)]
                use #p::probes::*;
                #controller_chain
                #(#endpoints)*
                #p::Ok(())
            }
        }
    }
}

/// Evaluates one `auth = [..]` entry once, when the API is built; spanned at the entry so
/// that "`X` is not an auth" points at it.
/// A closure `|keys: &Keys| ..` is called with the registered values, looked up by type.
fn build_auth(p: &TokenStream, expr: &syn::Expr, site: &str) -> TokenStream {
    let span = crate::auth_decl::auth_span(expr);
    let value = crate::auth_decl::entry_value(p, expr, site);
    quote_spanned! {span=> {
        let __dmr_value = #value;
        #p::auth_entry_must_be_an_auth(&__dmr_value);
        (&&#p::BuildProbe::new(__dmr_value)).build(#site)?
    }}
}

/// One endpoint: its own auths built, the type assertions, and one call that registers its
/// description, throttles, static chain (its auths, then the controller's) and function.
fn endpoint(c: &Controller<'_>, e: &Endpoint<'_>) -> TokenStream {
    let p = c.runtime.local();
    let ident = &e.func.sig.ident;
    let site = format!("{}::{}", c.name, ident);
    let controller = &c.name;
    let name = ident.to_string();
    let method = syn::Ident::new(e.method.wire, proc_macro2::Span::call_site());
    let path = &e.path;
    let sync = c.sync;
    let inherit = e.inherit;
    let inherit_throttles = e.inherit_throttles;
    let throttles = super::throttle::entries(c, e, &site);
    let model = error_model(c);
    // the fields that differ from `EndpointSpec::of`'s defaults
    let mut fields = TokenStream::new();
    if sync {
        fields.extend(quote!(sync: true,));
    }
    if !inherit {
        fields.extend(quote!(inherit: false,));
    }
    if !inherit_throttles {
        fields.extend(quote!(inherit_throttles: false,));
    }
    if let Some(code) = e.status {
        fields.extend(quote!(status: #p::Some(#code),));
    }
    let endpoint_auth = e.auth.iter().map(|x| build_auth(&p, x, &site));
    let controller_auth: &[&syn::Expr] = if e.uses_controller_auth { &c.auth } else { &[] };
    // Chain order: the endpoint's auths, then the controller's.
    let chain: Vec<(AuthSlot, &syn::Expr)> = e
        .auth
        .iter()
        .enumerate()
        .map(|(position, x)| (AuthSlot::endpoint(position), *x))
        .chain(
            controller_auth
                .iter()
                .enumerate()
                .map(|(position, x)| (AuthSlot::controller(position), *x)),
        )
        .collect();
    let kind_checks = chain
        .iter()
        .map(|(slot, x)| checks::auth_kind(&p, sync, x, slot));
    let links = chain.iter().map(|(slot, _)| {
        let probe = slot.probe(&p, proc_macro2::Span::call_site());
        if sync {
            quote!(#probe.sync_link())
        } else {
            quote!(#probe.async_link())
        }
    });
    let own =
        (!e.auth.is_empty()).then(|| quote!(let __dmr_auth = (#(#p::Arc::new(#endpoint_auth),)*);));
    let function = handler::function(c, e);
    let operation = operation_doc(c, e);
    let sig_checks = checks::signature(&p, sync, &e.args, &e.func.sig.output);
    let opaque_checks = checks::opaque_result(c, e);
    let needs = e.args.iter().map(|ty| checks::identity_need(&p, ty));
    let run = if sync {
        quote!(RunSync)
    } else {
        quote!(RunAsync)
    };
    quote! {
        {
            #own
            if false {
                #(#kind_checks)*
                #sig_checks
                #opaque_checks
            }
            __dmr_b.serve(
                #p::EndpointSpec {
                    #fields
                    doc: #operation,
                    ..#p::EndpointSpec::of::<#model>(#controller, #name, #p::Method::#method, #path)
                },
                #p::vec([#(#throttles),*]),
                &[#(#needs),*],
                #p::#run((#(#links,)*), #function),
            )?;
        }
    }
}

/// The controller's error model type: `error_model = T`, or the reference's.
fn error_model(c: &Controller<'_>) -> TokenStream {
    let p = c.runtime.local();
    match c.error_model {
        Some(m) => quote!(#m),
        None => quote!(#p::DefaultErrorModel),
    }
}

/// The OpenAPI facts of one endpoint: texts from its doc comments and attribute, and what
/// its argument and return types say about parameters, body and responses; only what differs
/// from `OperationDoc::empty()` is written.
fn operation_doc(c: &Controller<'_>, e: &Endpoint<'_>) -> TokenStream {
    let p = c.runtime.local();
    let (summary, description) = crate::docs::summary_and_description(&e.func.attrs);
    let mut fields = TokenStream::new();
    if let Some(s) = summary {
        fields.extend(quote!(summary: #p::Some(#s),));
    }
    if let Some(d) = description {
        fields.extend(quote!(description: #p::Some(#d),));
    }
    if let Some(id) = &e.operation_id {
        fields.extend(quote!(operation_id: #p::Some(#id),));
    }
    if e.deprecated {
        fields.extend(quote!(deprecated: true,));
    }
    if !e.args.is_empty() {
        let args = e
            .args
            .iter()
            .map(|ty| quote!((&&#p::DocProbe::<#ty>::new()).arg_doc()));
        fields.extend(quote!(args: #p::vec([#(#args),*]),));
    }
    let response = match &e.func.sig.output {
        syn::ReturnType::Type(_, ty) if !checks::contains_impl_trait(ty) => {
            quote!((&&#p::DocProbe::<#ty>::new()).response_doc())
        }
        syn::ReturnType::Type(..) => quote!(#p::openapi_probe::ResponseDoc::unknown()),
        syn::ReturnType::Default => quote!((&&#p::DocProbe::<()>::new()).response_doc()),
    };
    quote! {
        #p::OperationDoc {
            #fields
            response: #response,
            ..#p::OperationDoc::empty()
        }
    }
}
