//! The `testing` module: auth overrides checked when the API is built, real logins with CSRF,
//! JWTs minted with the API's own key, and the CSRF `Referer` rules run as HTTPS.

use actix_web::cookie::Key;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use actix_web::{App, HttpRequest};
use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError, JwtToken};
use dmr_runtime::backends::session::{
    CookieSessionStore, SessionConfig, SessionLogin, SessionUser,
};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;
use dmr_runtime::testing::{AssumeHttps, AuthOverride, JwtMinter, login};

struct Keys {
    secret: String,
}

impl Keys {
    fn jwt(&self) -> Result<JwtAuth, JwtConfigError> {
        JwtAuth::hs256(self.secret.as_bytes())
    }
    fn minter(&self) -> JwtMinter {
        JwtMinter::hs256(&self.secret).unwrap()
    }
}

fn keys() -> Keys {
    Keys {
        secret: "the API's own key, thirty-two bytes or more".into(),
    }
}

/// Session-guarded notes; the session configuration is application state.
struct Notes;

#[controller(path = "/notes", auth = [|cfg: &SessionConfig| cfg.auth()])]
impl Notes {
    #[endpoint(get, path = "/")]
    async fn list(user: Authed<SessionUser>) -> String {
        format!("notes of {}", user.id)
    }

    #[endpoint(post, path = "/")]
    async fn add(user: Authed<SessionUser>) -> String {
        format!("added by {}", user.id)
    }

    #[endpoint(get, path = "/public", auth = none)]
    async fn public() -> &'static str {
        "public"
    }
}

/// JWT-guarded; reads the record, not a typed identity.
struct Articles;

#[controller(path = "/articles", auth = [|keys: &Keys| keys.jwt()])]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list(req: HttpRequest) -> String {
        match request_auth(&req) {
            Some(info) => format!("via {}", info.scheme()),
            None => "no record".to_owned(),
        }
    }

    #[endpoint(get, path = "/mine")]
    async fn mine(token: Authed<JwtToken>) -> String {
        format!("mine: {}", token.sub)
    }
}

fn session_config() -> SessionConfig {
    let users =
        MemoryUsers::with_params(Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap());
    users.add("1", "admin", "pass").unwrap();
    SessionConfig::new(users).secure(false)
}

fn base(cfg: &SessionConfig) -> dmr_runtime::ApiBuilder {
    Api::new()
        .state(cfg.clone())
        .state(keys())
        .scope("/auth", |s| s.controller::<SessionLogin>())
        .controller::<Notes>()
        .controller::<Articles>()
}

macro_rules! app {
    ($cfg:expr, $api:expr) => {{
        let api = $api;
        init_service(
            App::new()
                .wrap($cfg.middleware(CookieSessionStore::default(), Key::generate()))
                .configure(|c| api.configure(c)),
        )
        .await
    }};
    (https $cfg:expr, $api:expr) => {{
        let api = $api;
        init_service(
            App::new()
                .wrap($cfg.middleware(CookieSessionStore::default(), Key::generate()))
                .wrap(AssumeHttps)
                .configure(|c| api.configure(c)),
        )
        .await
    }};
}

async fn text<S, B>(app: &S, req: TestRequest) -> (u16, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let resp = call_service(app, req.to_request()).await;
    let status = resp.status().as_u16();
    (
        status,
        String::from_utf8_lossy(&read_body(resp).await).into_owned(),
    )
}

#[actix_rt::test]
async fn login_keeps_the_session_and_fills_the_csrf_header() {
    let cfg = session_config();
    let app = app!(cfg, base(&cfg).build().unwrap());
    let admin = login(&app, "/auth/login/", "admin", "pass").await;

    let get = admin.apply(TestRequest::get().uri("/notes/"));
    assert_eq!(text(&app, get).await, (200, "notes of 1".to_owned()));
    let post = admin.apply(TestRequest::post().uri("/notes/"));
    assert_eq!(text(&app, post).await, (200, "added by 1".to_owned()));

    // The same cookies without the header: the CSRF check refuses.
    let mut bare = TestRequest::post().uri("/notes/");
    for c in admin.cookies() {
        bare = bare.cookie(c.clone());
    }
    let (status, body) = text(&app, bare).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        r#"{"detail":[{"msg":"CSRF Failed: CSRF token missing."}]}"#
    );
}

#[actix_rt::test]
async fn assume_https_runs_the_referer_rules() {
    let cfg = session_config();
    let app = app!(https cfg, base(&cfg).build().unwrap());
    let admin = login(&app, "/auth/login/", "admin", "pass").await;

    let post = admin.apply(TestRequest::post().uri("/notes/"));
    let (status, body) = text(&app, post).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        r#"{"detail":[{"msg":"CSRF Failed: Referer checking failed - no Referer."}]}"#
    );

    let post = admin
        .apply(TestRequest::post().uri("/notes/"))
        .insert_header(("referer", "https://localhost:8080/notes/"));
    assert_eq!(text(&app, post).await, (200, "added by 1".to_owned()));
    let post = admin
        .apply(TestRequest::post().uri("/notes/"))
        .insert_header(("referer", "http://localhost:8080/notes/"));
    let (status, body) = text(&app, post).await;
    assert_eq!(status, 403);
    assert!(
        body.contains("Referer is insecure while host is secure."),
        "{body}"
    );
}

#[actix_rt::test]
async fn the_minter_signs_with_the_apis_own_key() {
    let cfg = session_config();
    let app = app!(cfg, base(&cfg).build().unwrap());
    let (name, value) = keys().minter().bearer("42").unwrap();
    let req = TestRequest::get()
        .uri("/articles/mine")
        .insert_header((name, value));
    assert_eq!(text(&app, req).await, (200, "mine: 42".to_owned()));
    let other = JwtMinter::hs256("another key, thirty-two bytes or longer").unwrap();
    let req = TestRequest::get()
        .uri("/articles/mine")
        .insert_header(other.bearer("42").unwrap());
    assert_eq!(text(&app, req).await.0, 401);
}

#[actix_rt::test]
async fn an_identity_override_replaces_one_controllers_chain() {
    let cfg = session_config();
    let claims = JwtToken::new("alice", std::time::Duration::from_secs(60));
    let api = base(&cfg)
        .override_auth::<Articles>(AuthOverride::identity("jwt", claims))
        .build()
        .unwrap();
    let app = app!(cfg, api);
    assert_eq!(
        text(&app, TestRequest::get().uri("/articles/mine")).await,
        (200, "mine: alice".to_owned())
    );
    assert_eq!(
        text(&app, TestRequest::get().uri("/articles/")).await,
        (200, "via jwt".to_owned())
    );
    // Other controllers keep their auth.
    assert_eq!(text(&app, TestRequest::get().uri("/notes/")).await.0, 401);
}

#[actix_rt::test]
async fn an_endpoint_override_wins_over_the_controllers() {
    let cfg = session_config();
    let claims = JwtToken::new("alice", std::time::Duration::from_secs(60));
    let api = base(&cfg)
        .override_auth::<Articles>(AuthOverride::identity("jwt", claims))
        .override_endpoint_auth::<Articles>("list", AuthOverride::off())
        .build()
        .unwrap();
    let app = app!(cfg, api);
    assert_eq!(
        text(&app, TestRequest::get().uri("/articles/")).await,
        (200, "no record".to_owned())
    );
    assert_eq!(
        text(&app, TestRequest::get().uri("/articles/mine")).await,
        (200, "mine: alice".to_owned())
    );
}

fn override_error(api: dmr_runtime::ApiBuilder) -> String {
    api.build()
        .err()
        .expect("the override is refused")
        .to_string()
}

#[test]
fn overrides_that_cannot_apply_fail_the_build() {
    let cfg = session_config();
    assert_eq!(
        override_error(base(&cfg).override_endpoint_auth::<Notes>("lst", AuthOverride::off())),
        "cannot override the auth of `Notes::lst`: the controller has no endpoint `lst`; its \
         endpoints are `list`, `add`, `public`"
    );
    assert_eq!(
        override_error(base(&cfg).override_endpoint_auth::<Notes>("public", AuthOverride::off())),
        "cannot override the auth of `Notes::public`: the endpoint has no auth to override \
         (`auth = none`, or no layer lists any); remove the override"
    );
    assert_eq!(
        override_error(base(&cfg).override_auth::<SessionLogin>(AuthOverride::off())),
        "cannot override the auth of `SessionLogin`: none of its endpoints has auth to \
         override; remove the override"
    );
    assert_eq!(
        override_error(
            Api::new()
                .state(keys())
                .controller::<Articles>()
                .override_auth::<Notes>(AuthOverride::off())
        ),
        "cannot override the auth of `Notes`: the controller is not mounted in this API; mount \
         it with `.controller::<..>()` first"
    );
    let off = override_error(base(&cfg).override_auth::<Notes>(AuthOverride::off()));
    assert!(
        off.starts_with(
            "cannot override the auth of `Notes::list`: the endpoint reads the identity"
        ),
        "{off}"
    );
    let wrong =
        override_error(base(&cfg).override_auth::<Notes>(AuthOverride::identity("s", 1_u8)));
    assert!(wrong.contains("an identity of another type"), "{wrong}");
}
