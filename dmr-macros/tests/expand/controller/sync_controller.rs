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
            use __dmr::probes::*;
            let __dmr_controller = (
                __dmr::Arc::new({
                    let __dmr_value = DbTokenAuth::new(pool());
                    __dmr::auth_entry_must_be_an_auth(&__dmr_value);
                    (&&__dmr::BuildProbe::new(__dmr_value)).build("Reports")?
                }),
            );
            {
                if false {
                    __dmr::auth_must_be_sync_for_a_sync_endpoint(
                        (&&__dmr::AuthProbe(&__dmr_controller.0)).kind(),
                    );
                    __dmr::handler_argument_must_be_an_extractor::<Data<Pool>>();
                    __dmr::sync_endpoint_argument_must_be_send::<Data<Pool>>();
                    __dmr::handler_must_return_a_response::<Json<Vec<Report>>>();
                    __dmr::sync_endpoint_output_must_be_send::<Json<Vec<Report>>>();
                }
                __dmr_b
                    .serve(
                        __dmr::EndpointSpec {
                            sync: true,
                            doc: __dmr::OperationDoc {
                                args: __dmr::vec([
                                    (&&__dmr::DocProbe::<Data<Pool>>::new()).arg_doc(),
                                ]),
                                response: (&&__dmr::DocProbe::<Json<Vec<Report>>>::new())
                                    .response_doc(),
                                ..__dmr::OperationDoc::empty()
                            },
                            ..__dmr::EndpointSpec::of::<
                                MyErrors,
                            >("Reports", "list", __dmr::Method::GET, "/api/reports/")
                        },
                        __dmr::vec([]),
                        &[
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::NeedProbe::<Data<Pool>>::new()).reads(),
                            ),
                        ],
                        __dmr::RunSync(
                            ((&&__dmr::AuthProbe(&__dmr_controller.0)).sync_link(),),
                            (&&__dmr::FnProbe::<(Data<Pool>,), _>::new(Self::list))
                                .sync_fn(),
                        ),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
