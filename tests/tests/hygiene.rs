//! The expansion survives a hostile scope: a module without the implicit prelude, whose
//! local items are named like every prelude item and dependency the expansion could reach
//! for. Generated code must use only rooted paths through `::dmr_runtime::__private`.

use dmr_runtime::Api;
use dmr_runtime::auth::{Auth, AuthRequest, AuthResult, InlineAuth, SchemeDoc};
use dmr_tests::{get, serve};

/// Lets `X-Token: ok` in, as "token".
struct Token;

impl Auth for Token {
    type Identity = String;
    fn scheme_name(&self) -> &str {
        "token"
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        vec![SchemeDoc::api_key_header("token", "X-Token", "test token")]
    }
}

impl InlineAuth for Token {
    fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<String> {
        Ok((req.header_str("x-token") == Some("ok")).then(|| "token".to_owned()))
    }
}

mod hostile {
    #![no_implicit_prelude]
    #![allow(dead_code, non_camel_case_types)]

    // Prelude names, shadowed.
    pub struct Result;
    pub struct Option;
    pub struct Ok;
    pub struct Err;
    pub struct Some;
    pub struct None;
    pub struct Box;
    pub struct String;
    pub struct Vec;
    pub struct Arc;
    pub struct Clone;
    pub struct From;
    pub struct Into;
    pub struct Default;
    pub struct Send;
    pub struct Sync;
    // Dependencies, shadowed: the expansion must reach them through the runtime.
    pub mod actix_web {}
    pub mod utoipa {}
    pub mod serde {}
    pub mod dmr_runtime {}

    use ::dmr_runtime::{Authed, controller};

    pub struct Articles;

    #[controller(path = "/hostile", auth = [super::Token])]
    impl Articles {
        /// Doc comments feed OpenAPI here too.
        #[endpoint(get, path = "/{id}")]
        async fn show(
            id: ::actix_web::web::Path<u32>,
            who: Authed<::std::string::String>,
        ) -> ::std::string::String {
            ::std::format!("{}:{}", *who, id.into_inner())
        }

        #[endpoint(get, path = "/public/", auth = none)]
        async fn public() -> &'static str {
            "public"
        }
    }

    pub struct Reports;

    #[controller(path = "/hostile-sync", auth = [super::Token])]
    impl Reports {
        #[endpoint(get, path = "/")]
        fn list(who: Authed<::std::string::String>) -> ::std::string::String {
            who.into_inner()
        }
    }
}

#[actix_rt::test]
async fn expansion_needs_no_prelude_and_no_dependency_names() {
    let api = Api::new()
        .controller::<hostile::Articles>()
        .controller::<hostile::Reports>()
        .build()
        .expect("api builds");
    let srv = serve(api);
    assert_eq!(
        get(&srv, "/hostile/7", &[("x-token", "ok")]).await.text(),
        "token:7"
    );
    assert_eq!(get(&srv, "/hostile/7", &[]).await.status, 401);
    assert_eq!(get(&srv, "/hostile/public/", &[]).await.text(), "public");
    assert_eq!(
        get(&srv, "/hostile-sync/", &[("x-token", "ok")])
            .await
            .text(),
        "token"
    );
}
