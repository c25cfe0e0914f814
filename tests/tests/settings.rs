//! Settings and scope layers: `SyncOrAsync` resolves per endpoint kind, scopes can say
//! `none`, and one settings value serves sync and async endpoints.

use dmr_runtime::backends::basic::{BasicUser, HttpBasic, basic_auth};
use dmr_runtime::prelude::*;
use dmr_tests::{get, serve};

struct SyncCtl;

#[controller(path = "/sync")]
impl SyncCtl {
    #[endpoint(get, path = "/")]
    fn who(user: Authed<BasicUser>) -> String {
        format!("sync:{}", user.username)
    }
}

struct AsyncCtl;

#[controller(path = "/async")]
impl AsyncCtl {
    #[endpoint(get, path = "/")]
    async fn who(user: Authed<BasicUser>) -> String {
        format!("async:{}", user.username)
    }
}

fn settings() -> Settings {
    let blocking = HttpBasic::blocking(|u, p| u == "sync-user" && p == "pw");
    let awaiting =
        HttpBasic::with_async(|u: String, p: String| async move { u == "async-user" && p == "pw" });
    Settings::new().auth(SyncOrAsync::new(blocking, awaiting))
}

#[actix_rt::test]
async fn sync_or_async_resolves_per_endpoint_kind() {
    let srv = serve(
        Api::new()
            .settings(settings())
            .controller::<SyncCtl>()
            .controller::<AsyncCtl>()
            .build()
            .unwrap(),
    );
    let sync_user = basic_auth("sync-user", "pw");
    let async_user = basic_auth("async-user", "pw");
    assert_eq!(
        get(&srv, "/sync/", &[("authorization", &sync_user)])
            .await
            .text(),
        "sync:sync-user"
    );
    assert_eq!(
        get(&srv, "/sync/", &[("authorization", &async_user)])
            .await
            .status,
        401
    );
    assert_eq!(
        get(&srv, "/async/", &[("authorization", &async_user)])
            .await
            .text(),
        "async:async-user"
    );
    assert_eq!(
        get(&srv, "/async/", &[("authorization", &sync_user)])
            .await
            .status,
        401
    );
}

#[actix_rt::test]
async fn inline_auth_serves_both_kinds_from_settings() {
    let api = Api::new()
        .settings(Settings::new().auth(HttpBasic::new(|u, p| u == "both" && p == "pw")))
        .controller::<SyncCtl>()
        .controller::<AsyncCtl>()
        .build()
        .unwrap();
    let srv = serve(api);
    let both = basic_auth("both", "pw");
    assert_eq!(
        get(&srv, "/sync/", &[("authorization", &both)])
            .await
            .text(),
        "sync:both"
    );
    assert_eq!(
        get(&srv, "/async/", &[("authorization", &both)])
            .await
            .text(),
        "async:both"
    );
}

struct PublicCtl;

#[controller(path = "/hello")]
impl PublicCtl {
    #[endpoint(get, path = "/")]
    async fn hello(req: actix_web::HttpRequest) -> String {
        format!("hello, authenticated: {}", request_auth(&req).is_some())
    }
}

#[actix_rt::test]
async fn scope_none_drops_settings_and_scope_prefixes_paths() {
    let api = Api::new()
        .settings(settings())
        .scope("/public", |s| s.no_auth().controller::<PublicCtl>())
        .build()
        .unwrap();
    let srv = serve(api);
    // no auth runs at all: the request is let in without an identity
    let seen = get(
        &srv,
        "/public/hello/",
        &[("authorization", &basic_auth("async-user", "pw"))],
    )
    .await;
    assert_eq!(seen.text(), "hello, authenticated: false");
    assert_eq!(get(&srv, "/hello/", &[]).await.status, 404);
}

#[actix_rt::test]
async fn authed_under_a_scope_without_auth_is_refused_when_the_api_is_built() {
    // no auth runs under the scope, so `Authed<BasicUser>` could never be extracted
    let err = Api::new()
        .settings(settings())
        .scope("/public", |s| s.no_auth().controller::<AsyncCtl>())
        .build()
        .err()
        .expect("the API must not build");
    assert_eq!(
        err.to_string(),
        "`AsyncCtl::who` takes `Authed<BasicUser>` but has no auth (`auth = none`, or no layer lists any), so it can never be extracted"
    );
}

#[actix_rt::test]
async fn scope_auth_runs_before_settings() {
    let api = Api::new()
        .settings(settings())
        .scope("/admin", |s| {
            s.auth(HttpBasic::new(|u, p| u == "root" && p == "toor"))
                .controller::<AsyncCtl>()
        })
        .build()
        .unwrap();
    let srv = serve(api);
    assert_eq!(
        get(
            &srv,
            "/admin/async/",
            &[("authorization", &basic_auth("root", "toor"))]
        )
        .await
        .text(),
        "async:root"
    );
    let async_user = basic_auth("async-user", "pw");
    assert_eq!(
        get(&srv, "/admin/async/", &[("authorization", &async_user)])
            .await
            .text(),
        "async:async-user"
    );
}

#[test]
fn a_scope_cannot_list_auth_and_say_no_auth() {
    for scope in [
        |s: dmr_runtime::Scope| {
            s.no_auth()
                .auth(HttpBasic::new(|_, _| true))
                .controller::<AsyncCtl>()
        },
        |s: dmr_runtime::Scope| {
            s.auth(HttpBasic::new(|_, _| true))
                .no_auth()
                .controller::<AsyncCtl>()
        },
    ] {
        let err = Api::new()
            .scope("/admin", scope)
            .build()
            .err()
            .expect("conflict refused");
        assert_eq!(
            err.to_string(),
            "scope `/admin` lists auth and also says `no_auth()`, which turns off every auth of the scope; remove one of the two"
        );
    }
}
