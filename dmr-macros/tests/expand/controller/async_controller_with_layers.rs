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
            use __dmr::probes::*;
            let __dmr_controller = (
                __dmr::Arc::new({
                    let __dmr_value = JwtAuth::hs256(secret());
                    __dmr::auth_entry_must_be_an_auth(&__dmr_value);
                    (&&__dmr::BuildProbe::new(__dmr_value)).build("Articles")?
                }),
            );
            {
                if false {
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::AuthProbe(&__dmr_controller.0)).kind(),
                    );
                    __dmr::handler_must_return_a_response::<Json<Vec<Article>>>();
                }
                __dmr_b
                    .serve(
                        __dmr::EndpointSpec {
                            doc: __dmr::OperationDoc {
                                summary: __dmr::Some("List articles."),
                                description: __dmr::Some("Newest first."),
                                args: __dmr::vec([
                                    (&&__dmr::DocProbe::<Authed<Claims>>::new()).arg_doc(),
                                ]),
                                response: (&&__dmr::DocProbe::<Json<Vec<Article>>>::new())
                                    .response_doc(),
                                ..__dmr::OperationDoc::empty()
                            },
                            ..__dmr::EndpointSpec::of::<
                                __dmr::DefaultErrorModel,
                            >("Articles", "list", __dmr::Method::GET, "/api/articles/")
                        },
                        __dmr::vec([]),
                        &[
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::NeedProbe::<Authed<Claims>>::new()).reads(),
                            ),
                        ],
                        __dmr::RunAsync(
                            ((&&__dmr::AuthProbe(&__dmr_controller.0)).async_link(),),
                            (&&__dmr::FnProbe::<(Authed<Claims>,), _>::new(Self::list))
                                .async_fn(),
                        ),
                    )?;
            }
            {
                if false {
                    __dmr::handler_must_return_a_response::<&'static str>();
                }
                __dmr_b
                    .serve(
                        __dmr::EndpointSpec {
                            inherit: false,
                            doc: __dmr::OperationDoc {
                                response: (&&__dmr::DocProbe::<&'static str>::new())
                                    .response_doc(),
                                ..__dmr::OperationDoc::empty()
                            },
                            ..__dmr::EndpointSpec::of::<
                                __dmr::DefaultErrorModel,
                            >(
                                "Articles",
                                "public",
                                __dmr::Method::GET,
                                "/api/articles/public",
                            )
                        },
                        __dmr::vec([]),
                        &[],
                        __dmr::RunAsync(
                            (),
                            (&&__dmr::FnProbe::<(), _>::new(Self::public)).async_fn(),
                        ),
                    )?;
            }
            {
                let __dmr_auth = (
                    __dmr::Arc::new({
                        let __dmr_value = HttpBasic::new(check);
                        __dmr::auth_entry_must_be_an_auth(&__dmr_value);
                        (&&__dmr::BuildProbe::new(__dmr_value))
                            .build("Articles::replace")?
                    }),
                );
                if false {
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::AuthProbe(&__dmr_auth.0)).kind(),
                    );
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::AuthProbe(&__dmr_controller.0)).kind(),
                    );
                    __dmr::handler_argument_must_be_an_extractor::<Path<u32>>();
                    __dmr::handler_argument_must_be_an_extractor::<Json<NewArticle>>();
                    __dmr::async_endpoint_must_return_a_response::<
                        (Path<u32>, Json<NewArticle>),
                        _,
                    >(Self::replace);
                }
                __dmr_b
                    .serve(
                        __dmr::EndpointSpec {
                            doc: __dmr::OperationDoc {
                                operation_id: __dmr::Some("replace"),
                                deprecated: true,
                                args: __dmr::vec([
                                    (&&__dmr::DocProbe::<Path<u32>>::new()).arg_doc(),
                                    (&&__dmr::DocProbe::<Json<NewArticle>>::new()).arg_doc(),
                                ]),
                                response: __dmr::openapi_probe::ResponseDoc::unknown(),
                                ..__dmr::OperationDoc::empty()
                            },
                            ..__dmr::EndpointSpec::of::<
                                __dmr::DefaultErrorModel,
                            >(
                                "Articles",
                                "replace",
                                __dmr::Method::POST,
                                "/api/articles/{id}",
                            )
                        },
                        __dmr::vec([]),
                        &[
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::NeedProbe::<Path<u32>>::new()).reads(),
                            ),
                            __dmr::authed_type_must_be_an_auth_identity(
                                (&&__dmr::NeedProbe::<Json<NewArticle>>::new()).reads(),
                            ),
                        ],
                        __dmr::RunAsync(
                            (
                                (&&__dmr::AuthProbe(&__dmr_auth.0)).async_link(),
                                (&&__dmr::AuthProbe(&__dmr_controller.0)).async_link(),
                            ),
                            (&&__dmr::FnProbe::<
                                (Path<u32>, Json<NewArticle>),
                                _,
                            >::new(Self::replace))
                                .async_fn(),
                        ),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
