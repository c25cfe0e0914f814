impl Articles {
    async fn list(user: Authed<Claims>) -> String {
        todo!()
    }
    async fn create(user: AuthInfo) -> String {
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
                    let __dmr_value = {
                        if false {
                            __dmr::state_type_must_be_shareable::<Keys>();
                        }
                        __dmr::from_state(
                            __dmr_b.state(),
                            "Articles",
                            |keys: &Keys| keys.jwt(),
                        )?
                    };
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
                    __dmr::handler_must_return_a_response::<String>();
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
                                args: __dmr::vec([
                                    (&&__dmr::openapi_probe::Probe::<Authed<Claims>>::new())
                                        .arg_doc(),
                                ]),
                                response: (&&__dmr::openapi_probe::Probe::<String>::new())
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
                let __dmr_auth = (
                    __dmr::Arc::new({
                        let __dmr_value = {
                            if false {
                                __dmr::state_type_must_be_shareable::<Users>();
                                __dmr::state_type_must_be_shareable::<Realm>();
                            }
                            __dmr::from_state(
                                __dmr_b.state(),
                                "Articles::create",
                                |users: &Users, realm: &Realm| users.basic(realm),
                            )?
                        };
                        __dmr::auth_entry_must_be_an_auth(&__dmr_value);
                        (&&__dmr::no_cascade::BuildProbe::new(__dmr_value))
                            .build("Articles::create")?
                    }),
                );
                if false {
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::no_cascade::AuthProbe(&__dmr_auth.0)).kind(),
                    );
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::no_cascade::AuthProbe(&__dmr_controller.0)).kind(),
                    );
                    __dmr::handler_argument_must_be_an_extractor::<AuthInfo>();
                    __dmr::handler_must_return_a_response::<String>();
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
                            status: __dmr::None,
                            doc: __dmr::OperationDoc {
                                summary: __dmr::None,
                                description: __dmr::None,
                                operation_id: __dmr::None,
                                deprecated: false,
                                args: __dmr::vec([
                                    (&&__dmr::openapi_probe::Probe::<AuthInfo>::new()).arg_doc(),
                                ]),
                                response: (&&__dmr::openapi_probe::Probe::<String>::new())
                                    .response_doc(),
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
                                (&&__dmr::identity_probe::Probe::<AuthInfo>::new()).reads(),
                            ),
                        ],
                        (&&__dmr::no_cascade::FnProbe::<
                            (AuthInfo,),
                            _,
                        >::new(<Articles>::create))
                            .async_fn(),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
