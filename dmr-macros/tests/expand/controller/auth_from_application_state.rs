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
            use __dmr::probes::*;
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
                    (&&__dmr::BuildProbe::new(__dmr_value)).build("Articles")?
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
                                    (&&__dmr::DocProbe::<Authed<Claims>>::new()).arg_doc(),
                                ]),
                                response: (&&__dmr::DocProbe::<String>::new())
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
                        (&&__dmr::BuildProbe::new(__dmr_value))
                            .build("Articles::create")?
                    }),
                );
                if false {
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::AuthProbe(&__dmr_auth.0)).kind(),
                    );
                    __dmr::auth_must_be_async_for_an_async_endpoint(
                        (&&__dmr::AuthProbe(&__dmr_controller.0)).kind(),
                    );
                    __dmr::handler_argument_must_be_an_extractor::<AuthInfo>();
                    __dmr::handler_must_return_a_response::<String>();
                }
                __dmr_b
                    .serve(
                        __dmr::EndpointSpec {
                            doc: __dmr::OperationDoc {
                                args: __dmr::vec([
                                    (&&__dmr::DocProbe::<AuthInfo>::new()).arg_doc(),
                                ]),
                                response: (&&__dmr::DocProbe::<String>::new())
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
                                (&&__dmr::NeedProbe::<AuthInfo>::new()).reads(),
                            ),
                        ],
                        __dmr::RunAsync(
                            (
                                (&&__dmr::AuthProbe(&__dmr_auth.0)).async_link(),
                                (&&__dmr::AuthProbe(&__dmr_controller.0)).async_link(),
                            ),
                            (&&__dmr::FnProbe::<(AuthInfo,), _>::new(Self::create))
                                .async_fn(),
                        ),
                    )?;
            }
            __dmr::Ok(())
        }
    }
};
