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
            {
                if false {}
                __dmr_b
                    .serve_async(
                        __dmr::EndpointSpec {
                            controller: "Health",
                            name: "ping",
                            method: __dmr::actix_web::http::Method::GET,
                            path: "/health",
                            sync: false,
                            inherit: false,
                            inherit_throttles: true,
                            render: __dmr::render_fn::<__dmr::DefaultErrorModel>(),
                            status: __dmr::None,
                            doc: __dmr::OperationDoc {
                                summary: __dmr::None,
                                description: __dmr::None,
                                operation_id: __dmr::None,
                                deprecated: false,
                                args: __dmr::vec([]),
                                response: (&&__dmr::openapi_probe::Probe::<()>::new())
                                    .response_doc(),
                                error_schema: __dmr::OperationDoc::error_schema_of::<
                                    __dmr::DefaultErrorModel,
                                >,
                            },
                        },
                        __dmr::vec([]),
                        (),
                        &[],
                        (&&__dmr::no_cascade::FnProbe::<(), _>::new(<Health>::ping))
                            .async_fn(),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
