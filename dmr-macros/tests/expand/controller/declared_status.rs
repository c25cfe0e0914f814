impl Articles {
    async fn create(body: Json<NewArticle>) -> (Json<Article>, StatusCode) {
        todo!()
    }
    async fn list() -> Json<Vec<Article>> {
        todo!()
    }
}
const _: () = {
    #[automatically_derived]
    #[allow(clippy::all, non_snake_case, unused_labels, unreachable_code)]
    impl ::dmr_runtime::__private::Controller for Articles {
        fn __dmr_build(
            __dmr_b: &mut ::dmr_runtime::__private::ControllerBuild<'_>,
        ) -> ::dmr_runtime::__private::Result<(), ::dmr_runtime::__private::ApiError> {
            use ::dmr_runtime::__private as __dmr;
            #[allow(unused_imports)]
            use __dmr::probes::*;
            {
                if false {
                    __dmr::handler_argument_must_be_an_extractor::<Json<NewArticle>>();
                    __dmr::handler_must_return_a_response::<
                        (Json<Article>, StatusCode),
                    >();
                }
                __dmr_b
                    .serve(
                        __dmr::EndpointSpec {
                            status: __dmr::Some(201u16),
                            doc: __dmr::OperationDoc {
                                args: __dmr::vec([
                                    (&&__dmr::DocProbe::<Json<NewArticle>>::new()).arg_doc(),
                                ]),
                                response: (&&__dmr::DocProbe::<
                                    (Json<Article>, StatusCode),
                                >::new())
                                    .response_doc(),
                                ..__dmr::OperationDoc::empty()
                            },
                            ..__dmr::EndpointSpec::of::<
                                __dmr::DefaultErrorModel,
                            >(
                                "Articles",
                                "create",
                                __dmr::Method::POST,
                                "/api/articles/",
                            )
                        },
                        __dmr::vec([]),
                        &[
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::NeedProbe::<Json<NewArticle>>::new()).reads(),
                            ),
                        ],
                        __dmr::RunAsync(
                            (),
                            (&&__dmr::FnProbe::<
                                (Json<NewArticle>,),
                                _,
                            >::new(Self::create))
                                .async_fn(),
                        ),
                    )?;
            }
            {
                if false {
                    __dmr::handler_must_return_a_response::<Json<Vec<Article>>>();
                }
                __dmr_b
                    .serve(
                        __dmr::EndpointSpec {
                            doc: __dmr::OperationDoc {
                                response: (&&__dmr::DocProbe::<Json<Vec<Article>>>::new())
                                    .response_doc(),
                                ..__dmr::OperationDoc::empty()
                            },
                            ..__dmr::EndpointSpec::of::<
                                __dmr::DefaultErrorModel,
                            >("Articles", "list", __dmr::Method::GET, "/api/articles/")
                        },
                        __dmr::vec([]),
                        &[],
                        __dmr::RunAsync(
                            (),
                            (&&__dmr::FnProbe::<(), _>::new(Self::list)).async_fn(),
                        ),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
