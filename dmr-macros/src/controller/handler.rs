//! The actix handler of one endpoint: `Accept` negotiation, the auth chain (on the blocking
//! pool for a sync controller), the user's extractors, the call, the response.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::checks::AuthSlot;
use super::model::{Controller, Endpoint};

/// The closure registered with actix for `e`; `chain` is its static auth chain in order.
pub fn handler(
    c: &Controller<'_>,
    e: &Endpoint<'_>,
    chain: &[(AuthSlot, &syn::Expr)],
) -> TokenStream {
    let p = c.runtime.private();
    let self_ty = c.self_ty;
    let ident = &e.func.sig.ident;
    let arg_names: Vec<_> = (0..e.args.len())
        .map(|i| format_ident!("__dmr_arg{}", i))
        .collect();
    let arg_types = &e.args;
    let steps = chain.iter().enumerate().map(|(i, (slot, _))| {
        let pos = Literal::usize_unsuffixed(i);
        let probe = slot.probe(&p, proc_macro2::Span::call_site());
        let call = if c.sync {
            quote!(#probe.run_sync(&__dmr_areq))
        } else {
            quote!(#probe.run_async(&__dmr_areq).await)
        };
        quote! {
            if let #p::ControlFlow::Break(__dmr_o) = __dmr_ctx.step(#pos, #call) {
                break 'chain __dmr_o;
            }
        }
    });
    let auth = if !e.inherit && chain.is_empty() {
        TokenStream::new()
    } else if c.sync {
        quote! {
            if __dmr_ctx.run_chain(&__dmr_req) {
                let __dmr_snapshot = #p::RequestSnapshot::of(&__dmr_req);
                let __dmr_st = #p::Clone::clone(&__dmr_state);
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
            if __dmr_ctx.run_chain(&__dmr_req) {
                let __dmr_outcome = {
                    let __dmr_areq = #p::AuthRequest::live(&__dmr_req);
                    'chain: {
                        #(#steps)*
                        match __dmr_ctx.finish_without_layers() {
                            #p::Some(__dmr_o) => __dmr_o,
                            #p::None => __dmr_ctx.finish_async(&__dmr_areq).await,
                        }
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
    let respond = match &e.func.sig.output {
        syn::ReturnType::Type(_, ty) if super::checks::contains_impl_trait(ty) => {
            quote_spanned!(ty.span()=> #p::respond_with_opaque_result(__dmr_out, &__dmr_req))
        }
        _ => quote!((&&#p::no_cascade::ResponseProbe::new(__dmr_out)).respond(&__dmr_req)),
    };
    // `status = 201`: the handler's `200 OK` answers with the declared status
    let respond = match e.status {
        Some(code) => quote!(#p::declared_status(#respond, #code)),
        None => respond,
    };
    // a credential view's `Not authenticated` or CSRF error, in the request's language
    let respond = quote!(__dmr_ctx.errors().finish(#respond, &__dmr_req));
    quote! {
        move |__dmr_raw: #p::RawRequest| {
            let __dmr_state = #p::Clone::clone(&__dmr_state);
            async move {
                let (__dmr_req, mut __dmr_payload) = __dmr_raw.into_parts();
                let __dmr_ctx = &*__dmr_state.0;
                // throttles keyed before auth (429) come before negotiation (406)
                if __dmr_ctx.throttles_before_auth() {
                    if let #p::Some(__dmr_resp) = __dmr_ctx.throttle_before_auth(&__dmr_req).await {
                        return __dmr_resp;
                    }
                }
                if let #p::Some(__dmr_resp) = __dmr_ctx.negotiate(&__dmr_req) {
                    return __dmr_resp;
                }
                #auth
                // throttles keyed on the identity run once the chain let the request in
                if __dmr_ctx.throttles_after_auth() {
                    if let #p::Some(__dmr_resp) = __dmr_ctx.throttle_after_auth(&__dmr_req).await {
                        return __dmr_resp;
                    }
                }
                let __dmr_args = (&&#p::no_cascade::ArgsProbe::<(#(#arg_types,)*)>::new())
                    .extract(&__dmr_req, &mut __dmr_payload)
                    .await;
                let (#(#arg_names,)*) = match __dmr_args {
                    #p::Ok(__dmr_args) => __dmr_args,
                    #p::Err(__dmr_e) => return __dmr_ctx.errors().extract(&__dmr_e, &__dmr_req),
                };
                let __dmr_out = #call;
                #respond
            }
        }
    }
}
