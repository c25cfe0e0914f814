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
            use ::dmr_renamed::__private as __dmr;
            #[allow(unused_imports)]
            use __dmr::probes::*;
            let __dmr_controller = (
                __dmr::Arc::new({
                    let __dmr_value = Token;
                    __dmr::auth_entry_must_be_an_auth(&__dmr_value);
                    (&&__dmr::BuildProbe::new(__dmr_value)).build("Renamed")?
                }),
            );
            {
                if false {
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::AuthProbe(&__dmr_controller.0)).kind(),
                    );
                    __dmr::handler_must_return_a_response::<String>();
                }
                __dmr_b
                    .serve(
                        __dmr::EndpointSpec {
                            doc: __dmr::OperationDoc {
                                args: __dmr::vec([
                                    (&&__dmr::DocProbe::<Authed<String>>::new()).arg_doc(),
                                ]),
                                response: (&&__dmr::DocProbe::<String>::new())
                                    .response_doc(),
                                ..__dmr::OperationDoc::empty()
                            },
                            ..__dmr::EndpointSpec::of::<
                                __dmr::DefaultErrorModel,
                            >("Renamed", "get", __dmr::Method::GET, "/r/")
                        },
                        __dmr::vec([]),
                        &[
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::NeedProbe::<Authed<String>>::new()).reads(),
                            ),
                        ],
                        __dmr::RunAsync(
                            ((&&__dmr::AuthProbe(&__dmr_controller.0)).async_link(),),
                            (&&__dmr::FnProbe::<(Authed<String>,), _>::new(Self::get))
                                .async_fn(),
                        ),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
