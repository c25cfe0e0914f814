impl Reports {
    fn list(db: Data<Pool>) -> Json<Vec<Report>> {
        todo!()
    }
    fn helper() -> usize {
        1
    }
}
const _: () = {
    #[automatically_derived]
    #[allow(clippy::all, non_snake_case, unused_labels, unreachable_code)]
    impl ::dmr_runtime::__private::Controller for Reports {
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
            let __dmr_controller = ::dmr_runtime::__private::Arc::new((
                {
                    let __dmr_value = DbTokenAuth::new(pool());
                    ::dmr_runtime::__private::auth_entry_must_be_an_auth(&__dmr_value);
                    (&&::dmr_runtime::__private::no_cascade::BuildProbe::new(
                        __dmr_value,
                    ))
                        .build("Reports")?
                },
            ));
            {
                let __dmr_spec = ::dmr_runtime::__private::EndpointSpec {
                    controller: "Reports",
                    name: "list",
                    method: ::dmr_runtime::__private::actix_web::http::Method::GET,
                    path: "/api/reports/",
                    sync: true,
                    inherit: true,
                    inherit_throttles: true,
                    render: ::dmr_runtime::__private::render_fn::<MyErrors>(),
                    doc: ::dmr_runtime::__private::OperationDoc {
                        summary: ::dmr_runtime::__private::None,
                        description: ::dmr_runtime::__private::None,
                        operation_id: ::dmr_runtime::__private::None,
                        deprecated: false,
                        args: ::dmr_runtime::__private::vec([
                            {
                                #[allow(unused_imports)]
                                use ::dmr_runtime::__private::openapi_probe::{
                                    ArgFallback as _, ArgSpecific as _,
                                };
                                (&&::dmr_runtime::__private::openapi_probe::Probe::<
                                    Data<Pool>,
                                >::new())
                                    .arg_doc()
                            },
                        ]),
                        response: {
                            #[allow(unused_imports)]
                            use ::dmr_runtime::__private::openapi_probe::{
                                ResponseFallback as _, ResponseSpecific as _,
                            };
                            (&&::dmr_runtime::__private::openapi_probe::Probe::<
                                Json<Vec<Report>>,
                            >::new())
                                .response_doc()
                        },
                        error_schema: ::dmr_runtime::__private::OperationDoc::error_schema_of::<
                            MyErrors,
                        >,
                    },
                };
                let __dmr_state = (
                    (),
                    (),
                    ::dmr_runtime::__private::Clone::clone(&__dmr_controller),
                );
                if false {
                    ::dmr_runtime::__private::auth_must_be_sync_for_a_sync_endpoint(
                        (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                            &__dmr_state.2.0,
                        ))
                            .kind(),
                    );
                    ::dmr_runtime::__private::handler_argument_must_be_an_extractor::<
                        Data<Pool>,
                    >();
                    ::dmr_runtime::__private::sync_endpoint_argument_must_be_send::<
                        Data<Pool>,
                    >();
                    ::dmr_runtime::__private::handler_must_return_a_response::<
                        Json<Vec<Report>>,
                    >();
                    ::dmr_runtime::__private::sync_endpoint_output_must_be_send::<
                        Json<Vec<Report>>,
                    >();
                }
                __dmr_b.throttles(&__dmr_spec, ::dmr_runtime::__private::vec([]));
                let __dmr_ctx = __dmr_b
                    .context(
                        &__dmr_spec,
                        ::dmr_runtime::__private::no_cascade::docs([
                            (&&::dmr_runtime::__private::no_cascade::AuthProbe(
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
                            ::dmr_runtime::__private::authed_type_must_be_an_auth_identity({
                                #[allow(unused_imports)]
                                use ::dmr_runtime::__private::identity_probe::{
                                    Fallback as _, Specific as _,
                                };
                                (&&::dmr_runtime::__private::identity_probe::Probe::<
                                    Data<Pool>,
                                >::new())
                                    .reads()
                            }),
                        ],
                    )?;
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
                                if __dmr_ctx.run_chain(&__dmr_req) {
                                    let __dmr_snapshot = ::dmr_runtime::__private::RequestSnapshot::of(
                                        &__dmr_req,
                                    );
                                    let __dmr_st = ::dmr_runtime::__private::Clone::clone(
                                        &__dmr_state,
                                    );
                                    let __dmr_outcome = ::dmr_runtime::__private::blocking(move ||
                                        {
                                            let __dmr_state = &*__dmr_st;
                                            let __dmr_ctx = &*__dmr_state.0;
                                            let __dmr_areq = __dmr_snapshot.view();
                                            'chain: {
                                                if let ::dmr_runtime::__private::ControlFlow::Break(
                                                    __dmr_o,
                                                ) = __dmr_ctx
                                                    .step(
                                                        0,
                                                        (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                                                            &__dmr_state.2.0,
                                                        ))
                                                            .run_sync(&__dmr_areq),
                                                    )
                                                {
                                                    break 'chain __dmr_o;
                                                }
                                                __dmr_ctx.finish_sync(&__dmr_areq)
                                            }
                                        })
                                        .await;
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .settle_blocking(__dmr_outcome, &__dmr_req)
                                    {
                                        return __dmr_resp;
                                    }
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
                                    (Data<Pool>,),
                                >::new())
                                    .extract(&__dmr_req, &mut __dmr_payload)
                                    .await;
                                let (__dmr_arg0,) = match __dmr_args {
                                    ::dmr_runtime::__private::Ok(__dmr_args) => __dmr_args,
                                    ::dmr_runtime::__private::Err(__dmr_e) => {
                                        return __dmr_ctx.errors().extract(&__dmr_e, &__dmr_req);
                                    }
                                };
                                let __dmr_out = match ::dmr_runtime::__private::blocking(move ||
                                    <Reports>::list(__dmr_arg0))
                                    .await
                                {
                                    ::dmr_runtime::__private::Ok(__dmr_out) => __dmr_out,
                                    ::dmr_runtime::__private::Err(_) => {
                                        return __dmr_ctx.errors().internal();
                                    }
                                };
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
