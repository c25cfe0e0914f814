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
            use ::dmr_runtime::__private as __dmr;
            #[allow(unused_imports)]
            use __dmr::no_cascade::{
                AsyncFnFallback as _, AsyncFnSpecific as _, AsyncLinkFallback as _,
                AsyncLinkSpecific as _, BuildFallback as _, BuildSpecific as _,
                KindFallback as _, KindSpecific as _, SyncFnFallback as _,
                SyncFnSpecific as _, SyncLinkFallback as _, SyncLinkSpecific as _,
            };
            #[allow(unused_imports)]
            use __dmr::openapi_probe::{
                ArgFallback as _, ArgSpecific as _, ResponseFallback as _,
                ResponseSpecific as _,
            };
            #[allow(unused_imports)]
            use __dmr::identity_probe::{Fallback as _, Specific as _};
            let __dmr_controller = (
                __dmr::Arc::new({
                    let __dmr_value = DbTokenAuth::new(pool());
                    __dmr::auth_entry_must_be_an_auth(&__dmr_value);
                    (&&__dmr::no_cascade::BuildProbe::new(__dmr_value)).build("Reports")?
                }),
            );
            {
                if false {
                    __dmr::auth_must_be_sync_for_a_sync_endpoint(
                        (&&__dmr::no_cascade::AuthProbe(&__dmr_controller.0)).kind(),
                    );
                    __dmr::handler_argument_must_be_an_extractor::<Data<Pool>>();
                    __dmr::sync_endpoint_argument_must_be_send::<Data<Pool>>();
                    __dmr::handler_must_return_a_response::<Json<Vec<Report>>>();
                    __dmr::sync_endpoint_output_must_be_send::<Json<Vec<Report>>>();
                }
                __dmr_b
                    .serve_sync(
                        __dmr::EndpointSpec {
                            controller: "Reports",
                            name: "list",
                            method: __dmr::actix_web::http::Method::GET,
                            path: "/api/reports/",
                            sync: true,
                            inherit: true,
                            inherit_throttles: true,
                            render: __dmr::render_fn::<MyErrors>(),
                            status: __dmr::None,
                            doc: __dmr::OperationDoc {
                                summary: __dmr::None,
                                description: __dmr::None,
                                operation_id: __dmr::None,
                                deprecated: false,
                                args: __dmr::vec([
                                    (&&__dmr::openapi_probe::Probe::<Data<Pool>>::new())
                                        .arg_doc(),
                                ]),
                                response: (&&__dmr::openapi_probe::Probe::<
                                    Json<Vec<Report>>,
                                >::new())
                                    .response_doc(),
                                error_schema: __dmr::OperationDoc::error_schema_of::<
                                    MyErrors,
                                >,
                            },
                        },
                        __dmr::vec([]),
                        (
                            (&&__dmr::no_cascade::AuthProbe(&__dmr_controller.0))
                                .sync_link(),
                        ),
                        &[
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::identity_probe::Probe::<Data<Pool>>::new())
                                    .reads(),
                            ),
                        ],
                        (&&__dmr::no_cascade::FnProbe::<
                            (Data<Pool>,),
                            _,
                        >::new(<Reports>::list))
                            .sync_fn(),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
