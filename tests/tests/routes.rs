//! Route conflicts across controllers are refused when the API is built: actix would send
//! every request to the first registration, so a public endpoint could shadow a protected one.

use dmr_runtime::ApiError;
use dmr_runtime::backends::basic::HttpBasic;
use dmr_runtime::prelude::*;

struct PublicItems;

#[controller(path = "/items", auth = none)]
impl PublicItems {
    #[endpoint(get, path = "/{id}")]
    async fn show(id: actix_web::web::Path<String>) -> String {
        format!("public:{id}")
    }
}

struct SecretItems;

#[controller(path = "/items", auth = [HttpBasic::new(|u, p| u == "a" && p == "b")])]
impl SecretItems {
    #[endpoint(get, path = "/{name}")]
    async fn secret(name: actix_web::web::Path<String>) -> String {
        format!("secret:{name}")
    }

    #[endpoint(post, path = "/{name}")]
    async fn create(name: actix_web::web::Path<String>) -> String {
        format!("created:{name}")
    }
}

#[test]
fn same_method_and_route_shape_in_two_controllers_is_refused() {
    let err = Api::new()
        .controller::<PublicItems>()
        .controller::<SecretItems>()
        .build()
        .err();
    match err {
        Some(ApiError::RouteConflict {
            method,
            path,
            first,
            second,
        }) => {
            assert_eq!((method.as_str(), path.as_str()), ("GET", "/items/{name}"));
            assert_eq!(
                (first.as_str(), second.as_str()),
                ("PublicItems::show", "SecretItems::secret")
            );
        }
        other => panic!("expected a route conflict, got {other:?}"),
    }
}

#[test]
fn the_same_shape_under_different_scopes_or_methods_is_fine() {
    Api::new()
        .controller::<PublicItems>()
        .scope("/v2", |s| s.controller::<SecretItems>())
        .build()
        .expect("different prefixes do not overlap");
}

#[test]
fn the_message_names_both_endpoints_and_the_fix() {
    let err = Api::new()
        .controller::<SecretItems>()
        .controller::<PublicItems>()
        .build()
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        "`SecretItems::secret` and `PublicItems::show` both handle `GET /items/{id}` (path parameter names aside), \
         so one would shadow the other; give one of them another method or path"
    );
}
