impl Renamed {
    async fn get(who: Authed<String>) -> String {
        who.0
    }
}
const _: () = {
    #[automatically_derived]
    #[allow(clippy::all, non_snake_case, unused_labels, unreachable_code)]
    impl ::dmr_renamed::__private::Controller for Renamed {
        fn __dmr_build(
            __dmr_b: &mut ::dmr_renamed::__private::ControllerBuild<'_>,
        ) -> ::dmr_renamed::__private::Result<(), ::dmr_renamed::__private::ApiError> {
            #[allow(unused_imports)]
            use ::dmr_renamed::__private::no_cascade::{
                ArgsFallback as _, ArgsSpecific as _, AsyncFallback as _,
                AsyncSpecific as _, BuildFallback as _, BuildSpecific as _,
                DocFallback as _, DocSpecific as _, KindFallback as _, KindSpecific as _,
                ResponseFallback as _, ResponseSpecific as _, SyncFallback as _,
                SyncSpecific as _,
            };
            let __dmr_controller = ::dmr_renamed::__private::Arc::new((
                {
                    let __dmr_value = Token;
                    ::dmr_renamed::__private::auth_entry_must_be_an_auth(&__dmr_value);
                    (&&::dmr_renamed::__private::no_cascade::BuildProbe::new(
                        __dmr_value,
                    ))
                        .build("Renamed")?
                },
            ));
            {
                let __dmr_spec = ::dmr_renamed::__private::EndpointSpec {
                    controller: "Renamed",
                    name: "get",
                    method: ::dmr_renamed::__private::actix_web::http::Method::GET,
                    path: "/r/",
                    sync: false,
                    inherit: true,
                    inherit_throttles: true,
                    render: ::dmr_renamed::__private::render_fn::<
                        ::dmr_renamed::__private::DefaultErrorModel,
                    >(),
                    doc: ::dmr_renamed::__private::OperationDoc {
                        summary: ::dmr_renamed::__private::None,
                        description: ::dmr_renamed::__private::None,
                        operation_id: ::dmr_renamed::__private::None,
                        deprecated: false,
                        args: ::dmr_renamed::__private::vec([
                            {
                                #[allow(unused_imports)]
                                use ::dmr_renamed::__private::openapi_probe::{
                                    ArgFallback as _, ArgSpecific as _,
                                };
                                (&&::dmr_renamed::__private::openapi_probe::Probe::<
                                    Authed<String>,
                                >::new())
                                    .arg_doc()
                            },
                        ]),
                        response: {
                            #[allow(unused_imports)]
                            use ::dmr_renamed::__private::openapi_probe::{
                                ResponseFallback as _, ResponseSpecific as _,
                            };
                            (&&::dmr_renamed::__private::openapi_probe::Probe::<
                                String,
                            >::new())
                                .response_doc()
                        },
                        error_schema: ::dmr_renamed::__private::OperationDoc::error_schema_of::<
                            ::dmr_renamed::__private::DefaultErrorModel,
                        >,
                    },
                };
                let __dmr_state = (
                    (),
                    (),
                    ::dmr_renamed::__private::Clone::clone(&__dmr_controller),
                );
                if false {
                    ::dmr_renamed::__private::auth_must_be_async_for_an_async_endpoint(
                        (&&::dmr_renamed::__private::no_cascade::AuthProbe(
                            &__dmr_state.2.0,
                        ))
                            .kind(),
                    );
                    ::dmr_renamed::__private::handler_must_return_a_response::<String>();
                }
                __dmr_b.throttles(&__dmr_spec, ::dmr_renamed::__private::vec([]));
                let __dmr_ctx = __dmr_b
                    .context(
                        &__dmr_spec,
                        ::dmr_renamed::__private::no_cascade::docs([
                            (&&::dmr_renamed::__private::no_cascade::AuthProbe(
                                &__dmr_state.2.0,
                            ))
                                .doc(),
                        ]),
                    );
                __dmr_b
                    .require_identities(
                        &__dmr_spec,
                        &__dmr_ctx,
                        &[
                            ::dmr_renamed::__private::authed_type_must_be_an_auth_identity({
                                #[allow(unused_imports)]
                                use ::dmr_renamed::__private::identity_probe::{
                                    Fallback as _, Specific as _,
                                };
                                (&&::dmr_renamed::__private::identity_probe::Probe::<
                                    Authed<String>,
                                >::new())
                                    .reads()
                            }),
                        ],
                    )?;
                let __dmr_state = ::dmr_renamed::__private::Arc::new((
                    ::dmr_renamed::__private::Clone::clone(&__dmr_ctx),
                    __dmr_state.1,
                    __dmr_state.2,
                ));
                __dmr_b
                    .route(
                        &__dmr_spec,
                        &__dmr_ctx,
                        move |__dmr_raw: ::dmr_renamed::__private::RawRequest| {
                            let __dmr_state = ::dmr_renamed::__private::Clone::clone(
                                &__dmr_state,
                            );
                            async move {
                                let (__dmr_req, mut __dmr_payload) = __dmr_raw.into_parts();
                                let __dmr_ctx = &*__dmr_state.0;
                                if __dmr_ctx.throttles_before_auth() {
                                    if let ::dmr_renamed::__private::Some(__dmr_resp) = __dmr_ctx
                                        .throttle_before_auth(&__dmr_req)
                                        .await
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                if let ::dmr_renamed::__private::Some(__dmr_resp) = __dmr_ctx
                                    .negotiate(&__dmr_req)
                                {
                                    return __dmr_resp;
                                }
                                if __dmr_ctx.run_chain(&__dmr_req) {
                                    let __dmr_outcome = {
                                        let __dmr_areq = ::dmr_renamed::__private::AuthRequest::live(
                                            &__dmr_req,
                                        );
                                        'chain: {
                                            if let ::dmr_renamed::__private::ControlFlow::Break(
                                                __dmr_o,
                                            ) = __dmr_ctx
                                                .step(
                                                    0,
                                                    (&&::dmr_renamed::__private::no_cascade::AuthProbe(
                                                        &__dmr_state.2.0,
                                                    ))
                                                        .run_async(&__dmr_areq)
                                                        .await,
                                                )
                                            {
                                                break 'chain __dmr_o;
                                            }
                                            match __dmr_ctx.finish_without_layers() {
                                                ::dmr_renamed::__private::Some(__dmr_o) => __dmr_o,
                                                ::dmr_renamed::__private::None => {
                                                    __dmr_ctx.finish_async(&__dmr_areq).await
                                                }
                                            }
                                        }
                                    };
                                    if let ::dmr_renamed::__private::Some(__dmr_resp) = __dmr_ctx
                                        .settle(__dmr_outcome, &__dmr_req)
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                if __dmr_ctx.throttles_after_auth() {
                                    if let ::dmr_renamed::__private::Some(__dmr_resp) = __dmr_ctx
                                        .throttle_after_auth(&__dmr_req)
                                        .await
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                let __dmr_args = (&&::dmr_renamed::__private::no_cascade::ArgsProbe::<
                                    (Authed<String>,),
                                >::new())
                                    .extract(&__dmr_req, &mut __dmr_payload)
                                    .await;
                                let (__dmr_arg0,) = match __dmr_args {
                                    ::dmr_renamed::__private::Ok(__dmr_args) => __dmr_args,
                                    ::dmr_renamed::__private::Err(__dmr_e) => {
                                        return __dmr_ctx.errors().extract(&__dmr_e, &__dmr_req);
                                    }
                                };
                                let __dmr_out = <Renamed>::get(__dmr_arg0).await;
                                __dmr_ctx
                                    .errors()
                                    .finish(
                                        (&&::dmr_renamed::__private::no_cascade::ResponseProbe::new(
                                            __dmr_out,
                                        ))
                                            .respond(&__dmr_req),
                                        &__dmr_req,
                                    )
                            }
                        },
                    );
            }
            ::dmr_renamed::__private::Ok(())
        }
    }
};
