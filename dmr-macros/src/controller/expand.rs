//! Code generation from the validated controller: the user's impl block (with `#[endpoint]`
//! removed) and an `impl Controller` that builds each endpoint's chain and handler.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::Index;

use super::checks;
use super::model::{Controller, Endpoint};

pub fn controller_impl(c: &Controller<'_>) -> TokenStream {
    let p = c.runtime.private();
    let self_ty = c.self_ty;
    let controller_site = &c.name;
    let controller_auth = c.auth.iter().map(|e| {
        quote!(#p::build_auth(#e, #controller_site)?)
    });
    let any_controller_auth = !c.auth.is_empty();
    let controller_chain = any_controller_auth.then(|| {
        quote!(let __dmr_controller = #p::Arc::new((#(#controller_auth,)*));)
    });
    let endpoints = c.endpoints.iter().map(|e| endpoint(c, e));
    quote! {
        #[automatically_derived]
        #[allow(clippy::all, non_snake_case, unused_labels, unreachable_code)]
        impl #p::Controller for #self_ty {
            fn __dmr_build(
                __dmr_b: &mut #p::ControllerBuild<'_>,
            ) -> #p::Result<(), #p::ApiError> {
                #controller_chain
                #(#endpoints)*
                #p::Ok(())
            }
        }
    }
}

/// One endpoint: its spec, chain, context and handler registration.
fn endpoint(c: &Controller<'_>, e: &Endpoint<'_>) -> TokenStream {
    let p = c.runtime.private();
    let ident = &e.func.sig.ident;
    let site = format!("{}::{}", c.name, ident);
    let controller = &c.name;
    let name = ident.to_string();
    let method = e.method.wire;
    let path = &e.path;
    let sync = c.sync;
    let inherit = e.inherit;
    let model = match c.error_model {
        Some(m) => quote!(#m),
        None => quote!(#p::DefaultErrorModel),
    };
    let endpoint_auth = e.auth.iter().map(|x| quote!(#p::build_auth(#x, #site)?));
    let controller_auth: Vec<_> = if e.uses_controller_auth { c.auth.clone() } else { Vec::new() };

    // Positions: endpoint auths first, then controller auths.
    let accesses: Vec<(TokenStream, &syn::Expr)> = e
        .auth
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let i = Index::from(i);
            (quote!(__dmr_state.1.#i), *x)
        })
        .chain(controller_auth.iter().enumerate().map(|(i, x)| {
            let i = Index::from(i);
            (quote!(__dmr_state.2.#i), *x)
        }))
        .collect();
    let kind_checks = accesses.iter().map(|(a, x)| checks::auth_kind(&p, sync, x, a));
    let docs = accesses.iter().map(|(a, _)| quote!(#p::doc(&#a)));
    let controller_ref = if controller_auth.is_empty() {
        quote!(())
    } else {
        quote!(#p::Arc::clone(&__dmr_controller))
    };
    let handler = handler(c, e, &accesses);
    let operation = operation_doc(c, e);
    let sig_checks = checks::signature(&p, sync, &e.args, &e.func.sig.output);
    quote! {
        {
            let __dmr_spec = #p::EndpointSpec {
                controller: #controller,
                name: #name,
                method: #method,
                path: #path,
                sync: #sync,
                inherit: #inherit,
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
            let __dmr_ctx = __dmr_b.context(&__dmr_spec, #p::Vec::from([#(#docs),*]));
            let __dmr_state = #p::Arc::new((#p::Arc::clone(&__dmr_ctx), __dmr_state.1, __dmr_state.2));
            __dmr_b.route(&__dmr_spec, &__dmr_ctx, #handler);
        }
    }
}

/// The actix handler closure: negotiation, the auth chain, the user's extractors, the call.
fn handler(c: &Controller<'_>, e: &Endpoint<'_>, accesses: &[(TokenStream, &syn::Expr)]) -> TokenStream {
    let p = c.runtime.private();
    let self_ty = c.self_ty;
    let ident = &e.func.sig.ident;
    let arg_names: Vec<_> = (0..e.args.len()).map(|i| format_ident!("__dmr_arg{}", i)).collect();
    let arg_types = &e.args;
    let steps = accesses.iter().enumerate().map(|(i, (access, _))| {
        let pos = Literal::usize_unsuffixed(i);
        let call = if c.sync {
            quote!(#p::SyncAuth::authenticate_sync(&#access, &__dmr_areq))
        } else {
            quote!(#p::AsyncAuth::authenticate(&#access, &__dmr_areq).await)
        };
        quote! {
            if let #p::ControlFlow::Break(__dmr_o) = __dmr_ctx.step(#pos, #call) {
                break 'chain __dmr_o;
            }
        }
    });
    let auth = if !e.inherit && accesses.is_empty() {
        TokenStream::new()
    } else if c.sync {
        quote! {
            if __dmr_ctx.has_auth() {
                let __dmr_snapshot = #p::RequestSnapshot::of(&__dmr_req);
                let __dmr_st = #p::Arc::clone(&__dmr_state);
                let __dmr_outcome = #p::blocking(move || {
                    let __dmr_state = &*__dmr_st;
                    let __dmr_ctx = &*__dmr_state.0;
                    let __dmr_areq = __dmr_snapshot.view();
                    'chain: {
                        #(#steps)*
                        __dmr_ctx.finish_sync(&__dmr_areq)
                    }
                })
                .await;
                if let #p::Some(__dmr_resp) = __dmr_ctx.settle_blocking(__dmr_outcome, &__dmr_req) {
                    return __dmr_resp;
                }
            }
        }
    } else {
        quote! {
            if __dmr_ctx.has_auth() {
                let __dmr_outcome = {
                    let __dmr_areq = #p::AuthRequest::live(&__dmr_req);
                    'chain: {
                        #(#steps)*
                        __dmr_ctx.finish_async(&__dmr_areq).await
                    }
                };
                if let #p::Some(__dmr_resp) = __dmr_ctx.settle(__dmr_outcome, &__dmr_req) {
                    return __dmr_resp;
                }
            }
        }
    };
    let call = if c.sync {
        quote! {
            match #p::blocking(move || <#self_ty>::#ident(#(#arg_names),*)).await {
                #p::Ok(__dmr_out) => __dmr_out,
                #p::Err(_) => return __dmr_ctx.errors().internal(),
            }
        }
    } else {
        quote!(<#self_ty>::#ident(#(#arg_names),*).await)
    };
    quote! {
        move |__dmr_raw: #p::RawRequest| {
            let __dmr_state = #p::Arc::clone(&__dmr_state);
            async move {
                let (__dmr_req, mut __dmr_payload) = __dmr_raw.into_parts();
                let __dmr_ctx = &*__dmr_state.0;
                if !#p::accepts_json(&__dmr_req) {
                    return __dmr_ctx.errors().not_acceptable();
                }
                #auth
                let (#(#arg_names,)*) = match <(#(#arg_types,)*) as #p::actix_web::FromRequest>::from_request(
                    &__dmr_req,
                    &mut __dmr_payload,
                )
                .await
                {
                    #p::Ok(__dmr_args) => __dmr_args,
                    #p::Err(__dmr_e) => return __dmr_ctx.errors().extract(&#p::actix_web::Error::from(__dmr_e)),
                };
                let __dmr_out = #call;
                #p::respond(__dmr_out, &__dmr_req)
            }
        }
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
    quote! {
        #p::OperationDoc {
            summary: #summary,
            description: #description,
            operation_id: #operation_id,
            deprecated: #deprecated,
            args: #p::Vec::from([#(#args),*]),
            response: #response,
        }
    }
}
