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
                if false {
                    __dmr::handler_argument_must_be_an_extractor::<Json<NewArticle>>();
                    __dmr::handler_must_return_a_response::<
                        (Json<Article>, StatusCode),
                    >();
                }
                __dmr_b
                    .serve_async(
                        __dmr::EndpointSpec {
                            controller: "Articles",
                            name: "create",
                            method: __dmr::actix_web::http::Method::POST,
                            path: "/api/articles/",
                            sync: false,
                            inherit: true,
                            inherit_throttles: true,
                            render: __dmr::render_fn::<__dmr::DefaultErrorModel>(),
                            status: __dmr::Some(201u16),
                            doc: __dmr::OperationDoc {
                                summary: __dmr::None,
                                description: __dmr::None,
                                operation_id: __dmr::None,
                                deprecated: false,
                                args: __dmr::vec([
                                    (&&__dmr::openapi_probe::Probe::<Json<NewArticle>>::new())
                                        .arg_doc(),
                                ]),
                                response: (&&__dmr::openapi_probe::Probe::<
                                    (Json<Article>, StatusCode),
                                >::new())
                                    .response_doc(),
                                error_schema: __dmr::OperationDoc::error_schema_of::<
                                    __dmr::DefaultErrorModel,
                                >,
                            },
                        },
                        __dmr::vec([]),
                        (),
                        &[
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::identity_probe::Probe::<Json<NewArticle>>::new())
                                    .reads(),
                            ),
                        ],
                        (&&__dmr::no_cascade::FnProbe::<
                            (Json<NewArticle>,),
                            _,
                        >::new(<Articles>::create))
                            .async_fn(),
                    )?;
            }
            {
                if false {
                    __dmr::handler_must_return_a_response::<Json<Vec<Article>>>();
                }
                __dmr_b
                    .serve_async(
                        __dmr::EndpointSpec {
                            controller: "Articles",
                            name: "list",
                            method: __dmr::actix_web::http::Method::GET,
                            path: "/api/articles/",
                            sync: false,
                            inherit: true,
                            inherit_throttles: true,
                            render: __dmr::render_fn::<__dmr::DefaultErrorModel>(),
                            status: __dmr::None,
                            doc: __dmr::OperationDoc {
                                summary: __dmr::None,
                                description: __dmr::None,
                                operation_id: __dmr::None,
                                deprecated: false,
                                args: __dmr::vec([]),
                                response: (&&__dmr::openapi_probe::Probe::<
                                    Json<Vec<Article>>,
                                >::new())
                                    .response_doc(),
                                error_schema: __dmr::OperationDoc::error_schema_of::<
                                    __dmr::DefaultErrorModel,
                                >,
                            },
                        },
                        __dmr::vec([]),
                        (),
                        &[],
                        (&&__dmr::no_cascade::FnProbe::<(), _>::new(<Articles>::list))
                            .async_fn(),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
