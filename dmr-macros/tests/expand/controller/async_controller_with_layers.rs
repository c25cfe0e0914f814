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
            #[allow(unused_imports)]
            use ::dmr_runtime::__private::no_cascade::{
                ArgsFallback as _, ArgsSpecific as _, AsyncFallback as _,
                AsyncSpecific as _, BuildFallback as _, BuildSpecific as _,
                DocFallback as _, DocSpecific as _, KindFallback as _, KindSpecific as _,
                ResponseFallback as _, ResponseSpecific as _, SyncFallback as _,
                SyncSpecific as _,
            };
            let __dmr_controller = ::dmr_runtime::__private::Arc::new((
                {
                    let __dmr_value = JwtAuth::hs256(secret());
                    ::dmr_runtime::__private::auth_entry_must_be_an_auth(&__dmr_value);
                    (&&::dmr_runtime::__private::no_cascade::BuildProbe::new(
                        __dmr_value,
                    ))
                        .build("Articles")?
                },
            ));
            {
                let __dmr_spec = ::dmr_runtime::__private::EndpointSpec {
                    controller: "Articles",
                    name: "list",
                    method: ::dmr_runtime::__private::actix_web::http::Method::GET,
                    path: "/api/articles/",
                    sync: false,
                    inherit: true,
                    inherit_throttles: true,
                    render: ::dmr_runtime::__private::render_fn::<
                        ::dmr_runtime::__private::DefaultErrorModel,
                    >(),
                    doc: ::dmr_runtime::__private::OperationDoc {
                        summary: ::dmr_runtime::__private::Some("List articles."),
                        description: ::dmr_runtime::__private::Some("Newest first."),
                        operation_id: ::dmr_runtime::__private::None,
                        deprecated: false,
                        args: ::dmr_runtime::__private::vec([
                            {
                                #[allow(unused_imports)]
                                use ::dmr_runtime::__private::openapi_probe::{
                                    ArgFallback as _, ArgSpecific as _,
                                };
                                (&&::dmr_runtime::__private::openapi_probe::Probe::<
                                    Authed<Claims>,
                                >::new())
                                    .arg_doc()
                            },
                        ]),
                        response: {
                            #[allow(unused_imports)]
                            use ::dmr_runtime::__private::openapi_probe::{
                                ResponseFallback as _, ResponseSpecific as _,
                            };
                            (&&::dmr_runtime::__private::openapi_probe::Probe::<
                                Json<Vec<Article>>,
                            >::new())
                                .response_doc()
                        },
                        error_schema: ::dmr_runtime::__private::OperationDoc::error_schema_of::<
                            ::dmr_runtime::__private::DefaultErrorModel,
                        >,
                    },
                };
                let __dmr_state = (
                    (),
                    (),
                    ::dmr_runtime::__private::Clone::clone(&__dmr_controller),
                );
                if false {
                    ::dmr_runtime::__private::auth_must_be_async_for_an_async_endpoint(
                        (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                            &__dmr_state.2.0,
                        ))
                            .kind(),
                    );
                    ::dmr_runtime::__private::handler_must_return_a_response::<
                        Json<Vec<Article>>,
                    >();
                }
                __dmr_b.throttles(&__dmr_spec, ::dmr_runtime::__private::vec([]));
                let __dmr_ctx = __dmr_b
                    .context(
                        &__dmr_spec,
                        ::dmr_runtime::__private::no_cascade::docs([
                            (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                                &__dmr_state.2.0,
                            ))
                                .doc(),
                        ]),
                    );
                __dmr_b
                    .require_identities(
                        &__dmr_spec,
                        &__dmr_ctx,
                        &[
                            ::dmr_runtime::__private::authed_type_must_be_an_auth_identity({
                                #[allow(unused_imports)]
                                use ::dmr_runtime::__private::identity_probe::{
                                    Fallback as _, Specific as _,
                                };
                                (&&::dmr_runtime::__private::identity_probe::Probe::<
                                    Authed<Claims>,
                                >::new())
                                    .reads()
                            }),
                        ],
                    )?;
                let __dmr_state = ::dmr_runtime::__private::Arc::new((
                    ::dmr_runtime::__private::Clone::clone(&__dmr_ctx),
                    __dmr_state.1,
                    __dmr_state.2,
                ));
                __dmr_b
                    .route(
                        &__dmr_spec,
                        &__dmr_ctx,
                        move |__dmr_raw: ::dmr_runtime::__private::RawRequest| {
                            let __dmr_state = ::dmr_runtime::__private::Clone::clone(
                                &__dmr_state,
                            );
                            async move {
                                let (__dmr_req, mut __dmr_payload) = __dmr_raw.into_parts();
                                let __dmr_ctx = &*__dmr_state.0;
                                if __dmr_ctx.throttles_before_auth() {
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .throttle_before_auth(&__dmr_req)
                                        .await
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                    .negotiate(&__dmr_req)
                                {
                                    return __dmr_resp;
                                }
                                if __dmr_ctx.run_chain(&__dmr_req) {
                                    let __dmr_outcome = {
                                        let __dmr_areq = ::dmr_runtime::__private::AuthRequest::live(
                                            &__dmr_req,
                                        );
                                        'chain: {
                                            if let ::dmr_runtime::__private::ControlFlow::Break(
                                                __dmr_o,
                                            ) = __dmr_ctx
                                                .step(
                                                    0,
                                                    (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                                                        &__dmr_state.2.0,
                                                    ))
                                                        .run_async(&__dmr_areq)
                                                        .await,
                                                )
                                            {
                                                break 'chain __dmr_o;
                                            }
                                            match __dmr_ctx.finish_without_layers() {
                                                ::dmr_runtime::__private::Some(__dmr_o) => __dmr_o,
                                                ::dmr_runtime::__private::None => {
                                                    __dmr_ctx.finish_async(&__dmr_areq).await
                                                }
                                            }
                                        }
                                    };
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .settle(__dmr_outcome, &__dmr_req)
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                if __dmr_ctx.throttles_after_auth() {
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .throttle_after_auth(&__dmr_req)
                                        .await
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                let __dmr_args = (&&::dmr_runtime::__private::no_cascade::ArgsProbe::<
                                    (Authed<Claims>,),
                                >::new())
                                    .extract(&__dmr_req, &mut __dmr_payload)
                                    .await;
                                let (__dmr_arg0,) = match __dmr_args {
                                    ::dmr_runtime::__private::Ok(__dmr_args) => __dmr_args,
                                    ::dmr_runtime::__private::Err(__dmr_e) => {
                                        return __dmr_ctx.errors().extract(&__dmr_e, &__dmr_req);
                                    }
                                };
                                let __dmr_out = <Articles>::list(__dmr_arg0).await;
                                __dmr_ctx
                                    .errors()
                                    .finish(
                                        (&&::dmr_runtime::__private::no_cascade::ResponseProbe::new(
                                            __dmr_out,
                                        ))
                                            .respond(&__dmr_req),
                                        &__dmr_req,
                                    )
                            }
                        },
                    );
            }
            {
                let __dmr_spec = ::dmr_runtime::__private::EndpointSpec {
                    controller: "Articles",
                    name: "public",
                    method: ::dmr_runtime::__private::actix_web::http::Method::GET,
                    path: "/api/articles/public",
                    sync: false,
                    inherit: false,
                    inherit_throttles: true,
                    render: ::dmr_runtime::__private::render_fn::<
                        ::dmr_runtime::__private::DefaultErrorModel,
                    >(),
                    doc: ::dmr_runtime::__private::OperationDoc {
                        summary: ::dmr_runtime::__private::None,
                        description: ::dmr_runtime::__private::None,
                        operation_id: ::dmr_runtime::__private::None,
                        deprecated: false,
                        args: ::dmr_runtime::__private::vec([]),
                        response: {
                            #[allow(unused_imports)]
                            use ::dmr_runtime::__private::openapi_probe::{
                                ResponseFallback as _, ResponseSpecific as _,
                            };
                            (&&::dmr_runtime::__private::openapi_probe::Probe::<
                                &'static str,
                            >::new())
                                .response_doc()
                        },
                        error_schema: ::dmr_runtime::__private::OperationDoc::error_schema_of::<
                            ::dmr_runtime::__private::DefaultErrorModel,
                        >,
                    },
                };
                let __dmr_state = ((), (), ());
                if false {
                    ::dmr_runtime::__private::handler_must_return_a_response::<
                        &'static str,
                    >();
                }
                __dmr_b.throttles(&__dmr_spec, ::dmr_runtime::__private::vec([]));
                let __dmr_ctx = __dmr_b
                    .context(
                        &__dmr_spec,
                        ::dmr_runtime::__private::no_cascade::docs([]),
                    );
                __dmr_b.require_identities(&__dmr_spec, &__dmr_ctx, &[])?;
                let __dmr_state = ::dmr_runtime::__private::Arc::new((
                    ::dmr_runtime::__private::Clone::clone(&__dmr_ctx),
                    __dmr_state.1,
                    __dmr_state.2,
                ));
                __dmr_b
                    .route(
                        &__dmr_spec,
                        &__dmr_ctx,
                        move |__dmr_raw: ::dmr_runtime::__private::RawRequest| {
                            let __dmr_state = ::dmr_runtime::__private::Clone::clone(
                                &__dmr_state,
                            );
                            async move {
                                let (__dmr_req, mut __dmr_payload) = __dmr_raw.into_parts();
                                let __dmr_ctx = &*__dmr_state.0;
                                if __dmr_ctx.throttles_before_auth() {
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .throttle_before_auth(&__dmr_req)
                                        .await
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                    .negotiate(&__dmr_req)
                                {
                                    return __dmr_resp;
                                }
                                if __dmr_ctx.throttles_after_auth() {
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .throttle_after_auth(&__dmr_req)
                                        .await
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                let __dmr_args = (&&::dmr_runtime::__private::no_cascade::ArgsProbe::<
                                    (),
                                >::new())
                                    .extract(&__dmr_req, &mut __dmr_payload)
                                    .await;
                                let () = match __dmr_args {
                                    ::dmr_runtime::__private::Ok(__dmr_args) => __dmr_args,
                                    ::dmr_runtime::__private::Err(__dmr_e) => {
                                        return __dmr_ctx.errors().extract(&__dmr_e, &__dmr_req);
                                    }
                                };
                                let __dmr_out = <Articles>::public().await;
                                __dmr_ctx
                                    .errors()
                                    .finish(
                                        (&&::dmr_runtime::__private::no_cascade::ResponseProbe::new(
                                            __dmr_out,
                                        ))
                                            .respond(&__dmr_req),
                                        &__dmr_req,
                                    )
                            }
                        },
                    );
            }
            {
                let __dmr_spec = ::dmr_runtime::__private::EndpointSpec {
                    controller: "Articles",
                    name: "replace",
                    method: ::dmr_runtime::__private::actix_web::http::Method::POST,
                    path: "/api/articles/{id}",
                    sync: false,
                    inherit: true,
                    inherit_throttles: true,
                    render: ::dmr_runtime::__private::render_fn::<
                        ::dmr_runtime::__private::DefaultErrorModel,
                    >(),
                    doc: ::dmr_runtime::__private::OperationDoc {
                        summary: ::dmr_runtime::__private::None,
                        description: ::dmr_runtime::__private::None,
                        operation_id: ::dmr_runtime::__private::Some("replace"),
                        deprecated: true,
                        args: ::dmr_runtime::__private::vec([
                            {
                                #[allow(unused_imports)]
                                use ::dmr_runtime::__private::openapi_probe::{
                                    ArgFallback as _, ArgSpecific as _,
                                };
                                (&&::dmr_runtime::__private::openapi_probe::Probe::<
                                    Path<u32>,
                                >::new())
                                    .arg_doc()
                            },
                            {
                                #[allow(unused_imports)]
                                use ::dmr_runtime::__private::openapi_probe::{
                                    ArgFallback as _, ArgSpecific as _,
                                };
                                (&&::dmr_runtime::__private::openapi_probe::Probe::<
                                    Json<NewArticle>,
                                >::new())
                                    .arg_doc()
                            },
                        ]),
                        response: ::dmr_runtime::__private::openapi_probe::ResponseDoc::unknown(),
                        error_schema: ::dmr_runtime::__private::OperationDoc::error_schema_of::<
                            ::dmr_runtime::__private::DefaultErrorModel,
                        >,
                    },
                };
                let __dmr_state = (
                    (),
                    (
                        {
                            let __dmr_value = HttpBasic::new(check);
                            ::dmr_runtime::__private::auth_entry_must_be_an_auth(
                                &__dmr_value,
                            );
                            (&&::dmr_runtime::__private::no_cascade::BuildProbe::new(
                                __dmr_value,
                            ))
                                .build("Articles::replace")?
                        },
                    ),
                    ::dmr_runtime::__private::Clone::clone(&__dmr_controller),
                );
                if false {
                    ::dmr_runtime::__private::auth_must_be_async_for_an_async_endpoint(
                        (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                            &__dmr_state.1.0,
                        ))
                            .kind(),
                    );
                    ::dmr_runtime::__private::auth_must_be_async_for_an_async_endpoint(
                        (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                            &__dmr_state.2.0,
                        ))
                            .kind(),
                    );
                    ::dmr_runtime::__private::handler_argument_must_be_an_extractor::<
                        Path<u32>,
                    >();
                    ::dmr_runtime::__private::handler_argument_must_be_an_extractor::<
                        Json<NewArticle>,
                    >();
                }
                __dmr_b.throttles(&__dmr_spec, ::dmr_runtime::__private::vec([]));
                let __dmr_ctx = __dmr_b
                    .context(
                        &__dmr_spec,
                        ::dmr_runtime::__private::no_cascade::docs([
                            (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                                &__dmr_state.1.0,
                            ))
                                .doc(),
                            (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                                &__dmr_state.2.0,
                            ))
                                .doc(),
                        ]),
                    );
                __dmr_b
                    .require_identities(
                        &__dmr_spec,
                        &__dmr_ctx,
                        &[
                            ::dmr_runtime::__private::authed_type_must_be_an_auth_identity({
                                #[allow(unused_imports)]
                                use ::dmr_runtime::__private::identity_probe::{
                                    Fallback as _, Specific as _,
                                };
                                (&&::dmr_runtime::__private::identity_probe::Probe::<
                                    Path<u32>,
                                >::new())
                                    .reads()
                            }),
                            ::dmr_runtime::__private::authed_type_must_be_an_auth_identity({
                                #[allow(unused_imports)]
                                use ::dmr_runtime::__private::identity_probe::{
                                    Fallback as _, Specific as _,
                                };
                                (&&::dmr_runtime::__private::identity_probe::Probe::<
                                    Json<NewArticle>,
                                >::new())
                                    .reads()
                            }),
                        ],
                    )?;
                let __dmr_state = ::dmr_runtime::__private::Arc::new((
                    ::dmr_runtime::__private::Clone::clone(&__dmr_ctx),
                    __dmr_state.1,
                    __dmr_state.2,
                ));
                __dmr_b
                    .route(
                        &__dmr_spec,
                        &__dmr_ctx,
                        move |__dmr_raw: ::dmr_runtime::__private::RawRequest| {
                            let __dmr_state = ::dmr_runtime::__private::Clone::clone(
                                &__dmr_state,
                            );
                            async move {
                                let (__dmr_req, mut __dmr_payload) = __dmr_raw.into_parts();
                                let __dmr_ctx = &*__dmr_state.0;
                                if __dmr_ctx.throttles_before_auth() {
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .throttle_before_auth(&__dmr_req)
                                        .await
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                    .negotiate(&__dmr_req)
                                {
                                    return __dmr_resp;
                                }
                                if __dmr_ctx.run_chain(&__dmr_req) {
                                    let __dmr_outcome = {
                                        let __dmr_areq = ::dmr_runtime::__private::AuthRequest::live(
                                            &__dmr_req,
                                        );
                                        'chain: {
                                            if let ::dmr_runtime::__private::ControlFlow::Break(
                                                __dmr_o,
                                            ) = __dmr_ctx
                                                .step(
                                                    0,
                                                    (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                                                        &__dmr_state.1.0,
                                                    ))
                                                        .run_async(&__dmr_areq)
                                                        .await,
                                                )
                                            {
                                                break 'chain __dmr_o;
                                            }
                                            if let ::dmr_runtime::__private::ControlFlow::Break(
                                                __dmr_o,
                                            ) = __dmr_ctx
                                                .step(
                                                    1,
                                                    (&&::dmr_runtime::__private::no_cascade::AuthProbe(
                                                        &__dmr_state.2.0,
                                                    ))
                                                        .run_async(&__dmr_areq)
                                                        .await,
                                                )
                                            {
                                                break 'chain __dmr_o;
                                            }
                                            match __dmr_ctx.finish_without_layers() {
                                                ::dmr_runtime::__private::Some(__dmr_o) => __dmr_o,
                                                ::dmr_runtime::__private::None => {
                                                    __dmr_ctx.finish_async(&__dmr_areq).await
                                                }
                                            }
                                        }
                                    };
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .settle(__dmr_outcome, &__dmr_req)
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                if __dmr_ctx.throttles_after_auth() {
                                    if let ::dmr_runtime::__private::Some(__dmr_resp) = __dmr_ctx
                                        .throttle_after_auth(&__dmr_req)
                                        .await
                                    {
                                        return __dmr_resp;
                                    }
                                }
                                let __dmr_args = (&&::dmr_runtime::__private::no_cascade::ArgsProbe::<
                                    (Path<u32>, Json<NewArticle>),
                                >::new())
                                    .extract(&__dmr_req, &mut __dmr_payload)
                                    .await;
                                let (__dmr_arg0, __dmr_arg1) = match __dmr_args {
                                    ::dmr_runtime::__private::Ok(__dmr_args) => __dmr_args,
                                    ::dmr_runtime::__private::Err(__dmr_e) => {
                                        return __dmr_ctx.errors().extract(&__dmr_e, &__dmr_req);
                                    }
                                };
                                let __dmr_out = <Articles>::replace(__dmr_arg0, __dmr_arg1)
                                    .await;
                                __dmr_ctx
                                    .errors()
                                    .finish(
                                        ::dmr_runtime::__private::respond_with_opaque_result(
                                            __dmr_out,
                                            &__dmr_req,
                                        ),
                                        &__dmr_req,
                                    )
                            }
                        },
                    );
            }
            ::dmr_runtime::__private::Ok(())
        }
    }
};
