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
            use __dmr::probes::*;
            {
                if false {}
                __dmr_b
                    .serve(
                        __dmr::EndpointSpec {
                            inherit: false,
                            doc: __dmr::OperationDoc {
                                response: (&&__dmr::DocProbe::<()>::new()).response_doc(),
                                ..__dmr::OperationDoc::empty()
                            },
                            ..__dmr::EndpointSpec::of::<
                                __dmr::DefaultErrorModel,
                            >("Health", "ping", __dmr::Method::GET, "/health")
                        },
                        __dmr::vec([]),
                        &[],
                        __dmr::RunAsync(
                            (),
                            (&&__dmr::FnProbe::<(), _>::new(Self::ping)).async_fn(),
                        ),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
