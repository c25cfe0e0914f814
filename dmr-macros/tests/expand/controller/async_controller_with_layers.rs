impl Articles {
    /// List articles.
    ///
    /// Newest first.
    async fn list(user: Authed<Claims>) -> Json<Vec<Article>> {
        todo!()
    }
    async fn public() -> &'static str {
        "hello"
    }
    async fn replace(id: Path<u32>, body: Json<NewArticle>) -> impl Responder {
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
            let __dmr_controller = (
                __dmr::Arc::new({
                    let __dmr_value = JwtAuth::hs256(secret());
                    __dmr::auth_entry_must_be_an_auth(&__dmr_value);
                    (&&__dmr::no_cascade::BuildProbe::new(__dmr_value))
                        .build("Articles")?
                }),
            );
            {
                if false {
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::no_cascade::AuthProbe(&__dmr_controller.0)).kind(),
                    );
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
                                summary: __dmr::Some("List articles."),
                                description: __dmr::Some("Newest first."),
                                operation_id: __dmr::None,
                                deprecated: false,
                                args: __dmr::vec([
                                    (&&__dmr::openapi_probe::Probe::<Authed<Claims>>::new())
                                        .arg_doc(),
                                ]),
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
                        (
                            (&&__dmr::no_cascade::AuthProbe(&__dmr_controller.0))
                                .async_link(),
                        ),
                        &[
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::identity_probe::Probe::<Authed<Claims>>::new())
                                    .reads(),
                            ),
                        ],
                        (&&__dmr::no_cascade::FnProbe::<
                            (Authed<Claims>,),
                            _,
                        >::new(<Articles>::list))
                            .async_fn(),
                    )?;
            }
            {
                if false {
                    __dmr::handler_must_return_a_response::<&'static str>();
                }
                __dmr_b
                    .serve_async(
                        __dmr::EndpointSpec {
                            controller: "Articles",
                            name: "public",
                            method: __dmr::actix_web::http::Method::GET,
                            path: "/api/articles/public",
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
                                response: (&&__dmr::openapi_probe::Probe::<
                                    &'static str,
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
                        (&&__dmr::no_cascade::FnProbe::<(), _>::new(<Articles>::public))
                            .async_fn(),
                    )?;
            }
            {
                let __dmr_auth = (
                    __dmr::Arc::new({
                        let __dmr_value = HttpBasic::new(check);
                        __dmr::auth_entry_must_be_an_auth(&__dmr_value);
                        (&&__dmr::no_cascade::BuildProbe::new(__dmr_value))
                            .build("Articles::replace")?
                    }),
                );
                if false {
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::no_cascade::AuthProbe(&__dmr_auth.0)).kind(),
                    );
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::no_cascade::AuthProbe(&__dmr_controller.0)).kind(),
                    );
                    __dmr::handler_argument_must_be_an_extractor::<Path<u32>>();
                    __dmr::handler_argument_must_be_an_extractor::<Json<NewArticle>>();
                    __dmr::async_endpoint_must_return_a_response::<
                        (Path<u32>, Json<NewArticle>),
                        _,
                    >(Self::replace);
                }
                __dmr_b
                    .serve_async(
                        __dmr::EndpointSpec {
                            controller: "Articles",
                            name: "replace",
                            method: __dmr::actix_web::http::Method::POST,
                            path: "/api/articles/{id}",
                            sync: false,
                            inherit: true,
                            inherit_throttles: true,
                            render: __dmr::render_fn::<__dmr::DefaultErrorModel>(),
                            status: __dmr::None,
                            doc: __dmr::OperationDoc {
                                summary: __dmr::None,
                                description: __dmr::None,
                                operation_id: __dmr::Some("replace"),
                                deprecated: true,
                                args: __dmr::vec([
                                    (&&__dmr::openapi_probe::Probe::<Path<u32>>::new())
                                        .arg_doc(),
                                    (&&__dmr::openapi_probe::Probe::<Json<NewArticle>>::new())
                                        .arg_doc(),
                                ]),
                                response: __dmr::openapi_probe::ResponseDoc::unknown(),
                                error_schema: __dmr::OperationDoc::error_schema_of::<
                                    __dmr::DefaultErrorModel,
                                >,
                            },
                        },
                        __dmr::vec([]),
                        (
                            (&&__dmr::no_cascade::AuthProbe(&__dmr_auth.0)).async_link(),
                            (&&__dmr::no_cascade::AuthProbe(&__dmr_controller.0))
                                .async_link(),
                        ),
                        &[
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::identity_probe::Probe::<Path<u32>>::new()).reads(),
                            ),
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::identity_probe::Probe::<Json<NewArticle>>::new())
                                    .reads(),
                            ),
                        ],
                        (&&__dmr::no_cascade::FnProbe::<
                            (Path<u32>, Json<NewArticle>),
                            _,
                        >::new(<Articles>::replace))
                            .async_fn(),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
