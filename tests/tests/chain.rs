//! Chain dispatch: layer order, skip / success / stop, `none`, all-skip 401.

use dmr_runtime::auth::{Auth, AuthError, AuthRequest, AuthResult, InlineAuth, SchemeDoc};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, get, serve};

/// Succeeds when header `X-<name>` is `ok`, stops with 401 when it is `deny`, 418 on `tea`,
/// skips otherwise. Its identity is its own name.
#[derive(Clone)]
struct Probe(&'static str);

impl Auth for Probe {
    type Identity = String;
    fn scheme_name(&self) -> &str {
        self.0
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        vec![SchemeDoc::api_key_header(
            self.0,
            format!("X-{}", self.0),
            "probe",
        )]
    }
}

impl InlineAuth for Probe {
    fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<String> {
        match req.header_str(&format!("x-{}", self.0)) {
            Some("ok") => Ok(Some(self.0.to_owned())),
            Some("deny") => Err(AuthError::not_authenticated_with(format!(
                "{} says no",
                self.0
            ))),
            Some("tea") => Err(AuthError::api(
                actix_web::http::StatusCode::IM_A_TEAPOT,
                serde_json::json!({"teapot": self.0}),
            )),
            _ => Ok(None),
        }
    }
}

struct Layers;

#[controller(path = "/layers", auth = [Probe("ctl")])]
impl Layers {
    #[endpoint(get, path = "/", auth = [Probe("ep")])]
    async fn all(info: AuthInfo) -> String {
        format!("{}@{}", info.scheme(), info.position())
    }

    #[endpoint(get, path = "/ctl")]
    async fn controller_only(who: Authed<String>) -> String {
        who.into_inner()
    }

    #[endpoint(get, path = "/off", auth = none)]
    async fn off(req: actix_web::HttpRequest) -> String {
        format!("public {}", request_auth(&req).is_none())
    }
}

struct Open;

#[controller(path = "/open")]
impl Open {
    #[endpoint(get, path = "/")]
    async fn open(req: actix_web::HttpRequest) -> String {
        request_auth(&req).map_or_else(|| "anonymous".to_owned(), |i| i.scheme().to_owned())
    }
}

struct Closed;

#[controller(path = "/closed", auth = none)]
impl Closed {
    #[endpoint(get, path = "/")]
    async fn closed() -> &'static str {
        "closed controller is public"
    }
}

fn api() -> Api {
    Api::new()
        .settings(Settings::new().auth(Probe("set")))
        .scope("/s", |s| {
            s.auth(Probe("scope"))
                .controller::<Layers>()
                .controller::<Closed>()
        })
        .controller::<Open>()
        .build()
        .expect("api builds")
}

#[actix_rt::test]
async fn chain_order_is_endpoint_controller_scope_settings() {
    let srv = serve(api());
    for (header, expected) in [
        ("x-ep", "ep@0"),
        ("x-ctl", "ctl@1"),
        ("x-scope", "scope@2"),
        ("x-set", "set@3"),
    ] {
        let seen = get(&srv, "/s/layers/", &[(header, "ok")]).await;
        assert_eq!(seen.status, 200, "{header}");
        assert_eq!(seen.text(), expected);
    }
    // the first success wins even when a later auth would also succeed
    let seen = get(&srv, "/s/layers/", &[("x-ctl", "ok"), ("x-set", "ok")]).await;
    assert_eq!(seen.text(), "ctl@1");
}

#[actix_rt::test]
async fn all_skip_is_the_reference_401() {
    let srv = serve(api());
    let seen = get(&srv, "/s/layers/", &[]).await;
    assert_eq!(seen.status, 401);
    assert_eq!(seen.text(), NOT_AUTHENTICATED);
    assert_eq!(seen.header("content-type"), Some("application/json"));
}

#[actix_rt::test]
async fn not_authenticated_stops_at_once_with_its_message() {
    let srv = serve(api());
    let seen = get(&srv, "/s/layers/", &[("x-ep", "deny"), ("x-set", "ok")]).await;
    assert_eq!(seen.status, 401);
    assert_eq!(
        seen.text(),
        r#"{"detail":[{"msg":"ep says no","type":"security"}]}"#
    );
}

#[actix_rt::test]
async fn api_error_stops_with_its_own_status_and_body() {
    let srv = serve(api());
    let seen = get(&srv, "/s/layers/", &[("x-ctl", "tea"), ("x-set", "ok")]).await;
    assert_eq!(seen.status, 418);
    assert_eq!(seen.json(), serde_json::json!({"teapot": "ctl"}));
}

#[actix_rt::test]
async fn none_disables_every_layer_below() {
    let srv = serve(api());
    let seen = get(&srv, "/s/layers/off", &[]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text().as_str()),
        (200, "public true")
    );
    let seen = get(&srv, "/s/closed/", &[]).await;
    assert_eq!(seen.status, 200);
    // a request carrying credentials for a disabled chain is not authenticated either
    let seen = get(&srv, "/s/layers/off", &[("x-set", "ok")]).await;
    assert_eq!(seen.text(), "public true");
}

#[actix_rt::test]
async fn settings_apply_to_controllers_without_auth() {
    let srv = serve(api());
    assert_eq!(get(&srv, "/open/", &[]).await.status, 401);
    assert_eq!(get(&srv, "/open/", &[("x-set", "ok")]).await.text(), "set");
}

#[actix_rt::test]
async fn empty_chain_is_public() {
    let api = Api::new().controller::<Open>().build().unwrap();
    let srv = serve(api);
    let seen = get(&srv, "/open/", &[]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text().as_str()),
        (200, "anonymous")
    );
}

#[actix_rt::test]
async fn typed_identity_reaches_the_handler() {
    let srv = serve(api());
    let seen = get(&srv, "/s/layers/ctl", &[("x-ctl", "ok")]).await;
    assert_eq!(seen.text(), "ctl");
}

#[actix_rt::test]
async fn endpoint_functions_stay_callable() {
    assert_eq!(Closed::closed().await, "closed controller is public");
    let req = actix_web::test::TestRequest::get().to_http_request();
    assert_eq!(Open::open(req).await, "anonymous");
}

struct Strict;

#[controller(path = "/strict")]
impl Strict {
    #[endpoint(get, path = "/", auth = [Probe("p")])]
    async fn strict(req: actix_web::HttpRequest) -> String {
        let info = request_auth_strict(&req).expect("the chain succeeded");
        format!("{} {:?}", info.scheme(), info.identity::<String>())
    }

    #[endpoint(get, path = "/none", auth = none)]
    async fn none(req: actix_web::HttpRequest) -> String {
        request_auth_strict(&req).unwrap_err().to_string()
    }
}

#[actix_rt::test]
async fn request_auth_strict_reports_the_record_or_its_absence() {
    let srv = serve(Api::new().controller::<Strict>().build().unwrap());
    assert_eq!(
        get(&srv, "/strict/", &[("x-p", "ok")]).await.text(),
        r#"p Some("p")"#
    );
    assert_eq!(
        get(&srv, "/strict/none", &[]).await.text(),
        "no auth record on this request"
    );
}
