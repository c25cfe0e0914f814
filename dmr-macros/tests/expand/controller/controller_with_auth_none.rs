impl Health {
    async fn ping() {}
}
const _: () = {
    #[automatically_derived]
    #[allow(clippy::all, non_snake_case, unused_labels, unreachable_code)]
    impl ::dmr_runtime::__private::Controller for Health {
        fn __dmr_build(
            __dmr_b: &mut ::dmr_runtime::__private::ControllerBuild<'_>,
        ) -> ::dmr_runtime::__private::Result<(), ::dmr_runtime::__private::ApiError> {
            #[allow(unused_imports)]
            use ::dmr_runtime::__private::no_cascade::{
                ArgsFallback as _, ArgsSpecific as _, AsyncFallback as _,
                AsyncSpecific as _, BuildFallback as _, BuildSpecific as _,
                DocFallback as _, DocSpecific as _, KindFallback as _, KindSpecific as _,
                ResponseFallback as _, ResponseSpecific as _, SyncFallback as _,
                SyncSpecific as _,
            };
            {
                let __dmr_spec = ::dmr_runtime::__private::EndpointSpec {
                    controller: "Health",
                    name: "ping",
                    method: ::dmr_runtime::__private::actix_web::http::Method::GET,
                    path: "/health",
                    sync: false,
                    inherit: false,
                    inherit_throttles: true,
                    render: ::dmr_runtime::__private::render_fn::<
                        ::dmr_runtime::__private::DefaultErrorModel,
                    >(),
                    doc: ::dmr_runtime::__private::OperationDoc {
                        summary: ::dmr_runtime::__private::None,
                        description: ::dmr_runtime::__private::None,
                        operation_id: ::dmr_runtime::__private::None,
                        deprecated: false,
                        args: ::dmr_runtime::__private::vec([]),
                        response: {
                            #[allow(unused_imports)]
                            use ::dmr_runtime::__private::openapi_probe::{
                                ResponseFallback as _, ResponseSpecific as _,
                            };
                            (&&::dmr_runtime::__private::openapi_probe::Probe::<
                                (),
                            >::new())
                                .response_doc()
                        },
                        error_schema: ::dmr_runtime::__private::OperationDoc::error_schema_of::<
                            ::dmr_runtime::__private::DefaultErrorModel,
                        >,
                    },
                };
                let __dmr_state = ((), (), ());
                if false {}
                __dmr_b.throttles(&__dmr_spec, ::dmr_runtime::__private::vec([]));
                let __dmr_ctx = __dmr_b
                    .context(
                        &__dmr_spec,
                        ::dmr_runtime::__private::no_cascade::docs([]),
                    );
                __dmr_b.require_identities(&__dmr_spec, &__dmr_ctx, &[])?;
                let __dmr_state = ::dmr_runtime::__private::Arc::new((
                    ::dmr_runtime::__private::Clone::clone(&__dmr_ctx),
                    __dmr_state.1,
                    __dmr_state.2,
                ));
                __dmr_b
                    .route(
                        &__dmr_spec,
                        &__dmr_ctx,
                        move |__dmr_raw: ::dmr_runtime::__private::RawRequest| {
                            let __dmr_state = ::dmr_runtime::__private::Clone::clone(
                                &__dmr_state,
                            );
                            async move {
                                let (__dmr_req, mut __dmr_payload) = __dmr_raw.into_parts();
                                let __dmr_ctx = &*__dmr_state.0;
                                if __dmr_ctx.throttles_before_auth() {
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .throttle_before_auth(&__dmr_req)
                                        .await
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                    .negotiate(&__dmr_req)
                                {
                                    return __dmr_resp;
                                }
                                if __dmr_ctx.throttles_after_auth() {
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .throttle_after_auth(&__dmr_req)
                                        .await
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                let __dmr_args = (&&::dmr_runtime::__private::no_cascade::ArgsProbe::<
                                    (),
                                >::new())
                                    .extract(&__dmr_req, &mut __dmr_payload)
                                    .await;
                                let () = match __dmr_args {
                                    ::dmr_runtime::__private::Ok(__dmr_args) => __dmr_args,
                                    ::dmr_runtime::__private::Err(__dmr_e) => {
                                        return __dmr_ctx.errors().extract(&__dmr_e, &__dmr_req);
                                    }
                                };
                                let __dmr_out = <Health>::ping().await;
                                __dmr_ctx
                                    .errors()
                                    .finish(
                                        (&&::dmr_runtime::__private::no_cascade::ResponseProbe::new(
                                            __dmr_out,
                                        ))
                                            .respond(&__dmr_req),
                                        &__dmr_req,
                                    )
                            }
                        },
                    );
            }
            ::dmr_runtime::__private::Ok(())
        }
    }
};
