//! Code generation from the validated controller: an `impl Controller` that builds each
//! endpoint's chain, context and handler, and the OpenAPI facts of each operation.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::checks::{self, AuthSlot};
use super::handler;
use super::model::{Controller, Endpoint};

pub fn controller_impl(c: &Controller<'_>) -> TokenStream {
    let p = c.runtime.private();
    let self_ty = c.self_ty;
    let controller_site = &c.name;
    let controller_auth = c.auth.iter().map(|e| build_auth(&p, e, controller_site));
    let controller_chain = (!c.auth.is_empty())
        .then(|| quote!(let __dmr_controller = #p::Arc::new((#(#controller_auth,)*));));
    let endpoints = c.endpoints.iter().map(|e| endpoint(c, e));
    quote! {
        #[automatically_derived]
        #[allow(clippy::all, non_snake_case, unused_labels, unreachable_code)]
        impl #p::Controller for #self_ty {
            fn __dmr_build(
                __dmr_b: &mut #p::ControllerBuild<'_>,
            ) -> #p::Result<(), #p::ApiError> {
                #[allow(unused_imports)]
                use #p::no_cascade::{
                    ArgsFallback as _, ArgsSpecific as _, AsyncFallback as _, AsyncSpecific as _,
                    BuildFallback as _, BuildSpecific as _,
                    DocFallback as _, DocSpecific as _, KindFallback as _, KindSpecific as _,
                    ResponseFallback as _, ResponseSpecific as _, SyncFallback as _, SyncSpecific as _,
                };
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
    let value = match crate::auth_decl::state_closure(expr) {
        Some(closure) => {
            let types = crate::auth_decl::state_types(closure);
            let asserts = types
                .iter()
                .map(|ty| quote_spanned!(ty.span()=> #p::state_type_must_be_shareable::<#ty>();));
            quote_spanned! {span=> {
                if false {
                    #(#asserts)*
                }
                #p::from_state(__dmr_b.state(), #site, #expr)?
            }}
        }
        None => quote!(#expr),
    };
    quote_spanned! {span=> {
        let __dmr_value = #value;
        #p::auth_entry_must_be_an_auth(&__dmr_value);
        (&&#p::no_cascade::BuildProbe::new(__dmr_value)).build(#site)?
    }}
}

/// One endpoint: its spec, chain, context and handler registration.
fn endpoint(c: &Controller<'_>, e: &Endpoint<'_>) -> TokenStream {
    let p = c.runtime.private();
    let ident = &e.func.sig.ident;
    let site = format!("{}::{}", c.name, ident);
    let controller = &c.name;
    let name = ident.to_string();
    let method = syn::Ident::new(e.method.wire, proc_macro2::Span::call_site());
    let path = &e.path;
    let sync = c.sync;
    let inherit = e.inherit;
    let inherit_throttles = e.inherit_throttles;
    let throttles = super::throttle::bind(c, e, &site);
    let model = error_model(c);
    let endpoint_auth = e.auth.iter().map(|x| build_auth(&p, x, &site));
    let controller_auth: &[&syn::Expr] = if e.uses_controller_auth { &c.auth } else { &[] };
    // Chain order: the endpoint's auths, then the controller's.
    let chain: Vec<(AuthSlot, &syn::Expr)> = e
        .auth
        .iter()
        .enumerate()
        .map(|(position, x)| (AuthSlot { part: 1, position }, *x))
        .chain(
            controller_auth
                .iter()
                .enumerate()
                .map(|(position, x)| (AuthSlot { part: 2, position }, *x)),
        )
        .collect();
    let kind_checks = chain
        .iter()
        .map(|(slot, x)| checks::auth_kind(&p, sync, x, slot));
    let docs = chain.iter().map(|(slot, x)| {
        let probe = slot.probe(&p, x.span());
        quote!(#probe.doc())
    });
    let controller_ref = if controller_auth.is_empty() {
        quote!(())
    } else {
        quote!(#p::Clone::clone(&__dmr_controller))
    };
    let handler = handler::handler(c, e, &chain);
    let operation = operation_doc(c, e);
    let sig_checks = checks::signature(&p, sync, &e.args, &e.func.sig.output);
    let needs = e.args.iter().map(|ty| checks::identity_need(&p, ty));
    quote! {
        {
            let __dmr_spec = #p::EndpointSpec {
                controller: #controller,
                name: #name,
                method: #p::actix_web::http::Method::#method,
                path: #path,
                sync: #sync,
                inherit: #inherit,
                inherit_throttles: #inherit_throttles,
                render: #p::render_fn::<#model>(),
                doc: #operation,
            };
            let __dmr_state = (
                (),
                (#(#endpoint_auth,)*),
                #controller_ref,
            );
            if false {
                #(#kind_checks)*
                #sig_checks
            }
            #throttles
            let __dmr_ctx = __dmr_b.context(&__dmr_spec, #p::no_cascade::docs([#(#docs),*]));
            __dmr_b.require_identities(&__dmr_spec, &__dmr_ctx, &[#(#needs),*])?;
            let __dmr_state = #p::Arc::new((#p::Clone::clone(&__dmr_ctx), __dmr_state.1, __dmr_state.2));
            __dmr_b.route(&__dmr_spec, &__dmr_ctx, #handler);
        }
    }
}

/// The controller's error model type: `error_model = T`, or the reference's.
fn error_model(c: &Controller<'_>) -> TokenStream {
    let p = c.runtime.private();
    match c.error_model {
        Some(m) => quote!(#m),
        None => quote!(#p::DefaultErrorModel),
    }
}

/// The OpenAPI facts of one endpoint: texts from its doc comments and attribute, and what
/// its argument and return types say about parameters, body and responses.
fn operation_doc(c: &Controller<'_>, e: &Endpoint<'_>) -> TokenStream {
    let p = c.runtime.private();
    let (summary, description) = crate::docs::summary_and_description(&e.func.attrs);
    let opt = |v: Option<String>| match v {
        Some(s) => quote!(#p::Some(#s)),
        None => quote!(#p::None),
    };
    let summary = opt(summary);
    let description = opt(description);
    let operation_id = opt(e.operation_id.clone());
    let deprecated = e.deprecated;
    let model = error_model(c);
    let args = e.args.iter().map(|ty| {
        quote! {{
            #[allow(unused_imports)]
            use #p::openapi_probe::{ArgFallback as _, ArgSpecific as _};
            (&&#p::openapi_probe::Probe::<#ty>::new()).arg_doc()
        }}
    });
    let response = match &e.func.sig.output {
        syn::ReturnType::Type(_, ty) if !checks::contains_impl_trait(ty) => quote! {{
            #[allow(unused_imports)]
            use #p::openapi_probe::{ResponseFallback as _, ResponseSpecific as _};
            (&&#p::openapi_probe::Probe::<#ty>::new()).response_doc()
        }},
        syn::ReturnType::Type(..) => quote!(#p::openapi_probe::ResponseDoc::unknown()),
        syn::ReturnType::Default => quote! {{
            #[allow(unused_imports)]
            use #p::openapi_probe::{ResponseFallback as _, ResponseSpecific as _};
            (&&#p::openapi_probe::Probe::<()>::new()).response_doc()
        }},
    };
    // `status = 201`: the first response gets the declared status
    let response = match e.status {
        Some(code) => quote!(#p::declared_response_doc(#response, #code)),
        None => response,
    };
    quote! {
        #p::OperationDoc {
            summary: #summary,
            description: #description,
            operation_id: #operation_id,
            deprecated: #deprecated,
            args: #p::vec([#(#args),*]),
            response: #response,
            error_schema: #p::OperationDoc::error_schema_of::<#model>,
        }
    }
}
