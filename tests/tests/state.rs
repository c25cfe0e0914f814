//! Auth built from application state: values registered with `Api::new().state(..)` are read
//! by `auth = [|x: &T| ..]` closures on controllers and endpoints and by `auth_from` on
//! settings and scopes, once, when the API is built; handlers read them as `Data<T>`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::web::Data;
use dmr_runtime::auth::InlineAuth;
use dmr_runtime::backends::basic::{BasicUser, HttpBasic, basic_auth, constant_time_eq};
use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError, JwtToken};
use dmr_runtime::prelude::*;
use dmr_tests::{get, serve};

/// What a service reads from its configuration at startup.
struct Keys {
    jwt_secret: String,
    /// How many times `jwt()` ran.
    built: Arc<AtomicUsize>,
}

impl Keys {
    fn new(secret: &str) -> Self {
        Self {
            jwt_secret: secret.to_owned(),
            built: Arc::new(AtomicUsize::new(0)),
        }
    }

    fn jwt(&self) -> Result<JwtAuth, JwtConfigError> {
        self.built.fetch_add(1, Ordering::SeqCst);
        JwtAuth::hs256(self.jwt_secret.as_bytes())
    }
}

/// A user directory, and the realm its Basic challenge names.
struct Users(Vec<(String, String)>);
struct Realm(&'static str);

impl Users {
    fn basic(&self, realm: &Realm) -> impl InlineAuth<Identity = BasicUser> + use<> {
        let users = self.0.clone();
        HttpBasic::new(move |u, p| {
            users
                .iter()
                .any(|(n, pw)| n == u && constant_time_eq(p, pw))
        })
        .realm(realm.0)
    }
}

const SECRET_A: &str = "secret A, at least thirty-two bytes long";
const SECRET_B: &str = "secret B, at least thirty-two bytes long";

struct Articles;

#[controller(path = "/articles", auth = [|keys: &Keys| keys.jwt()])]
impl Articles {
    #[endpoint(get, path = "/")]
    async fn list(token: Authed<JwtToken>) -> String {
        format!("articles of {}", token.sub)
    }

    #[endpoint(post, path = "/", auth = [|users: &Users, realm: &Realm| users.basic(realm)])]
    async fn create(user: AuthInfo) -> String {
        format!("created via {}", user.scheme())
    }

    /// The same state, as app data.
    #[endpoint(get, path = "/secret-length", auth = none)]
    async fn secret_length(keys: Data<Keys>) -> String {
        keys.jwt_secret.len().to_string()
    }
}

struct Reports;

#[controller(path = "/reports", auth = [|users: &Users, realm: &Realm| users.basic(realm)])]
impl Reports {
    #[endpoint(get, path = "/")]
    fn list(user: Authed<BasicUser>) -> String {
        format!("reports of {}", user.username)
    }
}

fn users() -> Users {
    Users(vec![("ann".into(), "pw-ann".into())])
}

fn bearer(secret: &str, sub: &str) -> String {
    let jwt = JwtToken::new(sub, Duration::from_secs(60));
    format!("Bearer {}", jwt.encode_hs256(secret).unwrap())
}

#[actix_rt::test]
async fn one_controller_serves_two_configurations() {
    let keys_a = Keys::new(SECRET_A);
    let api_a = Api::new()
        .state(keys_a)
        .state(users())
        .state(Realm("a"))
        .controller::<Articles>()
        .build()
        .unwrap();
    let api_b = Api::new()
        .state(Keys::new(SECRET_B))
        .state(users())
        .state(Realm("b"))
        .controller::<Articles>()
        .build()
        .unwrap();
    let (a, b) = (serve(api_a), serve(api_b));

    let token_a = bearer(SECRET_A, "alice");
    let seen = get(&a, "/articles/", &[("authorization", &token_a)]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "articles of alice".to_owned())
    );
    // B verifies with its own key: A's token is refused there, B's is accepted.
    assert_eq!(
        get(&b, "/articles/", &[("authorization", &token_a)])
            .await
            .status,
        401
    );
    let token_b = bearer(SECRET_B, "bob");
    assert_eq!(
        get(&b, "/articles/", &[("authorization", &token_b)])
            .await
            .text(),
        "articles of bob"
    );
    // The realm came from state too (the POST endpoint adds Basic before the JWT).
    let seen = dmr_tests::send(&b, "POST", "/articles/", &[], None).await;
    assert_eq!(
        seen.header("www-authenticate"),
        Some("Basic realm=\"b\", Bearer")
    );
}

#[actix_rt::test]
async fn an_endpoint_closure_reads_two_values() {
    let api = Api::new()
        .state(Keys::new(SECRET_A))
        .state(users())
        .state(Realm("notes"))
        .controller::<Articles>()
        .build()
        .unwrap();
    let srv = serve(api);
    let ann = basic_auth("ann", "pw-ann");
    let seen = dmr_tests::send(
        &srv,
        "POST",
        "/articles/",
        &[("authorization", ann.as_bytes())],
        None,
    )
    .await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "created via http_basic".to_owned())
    );
    let wrong = basic_auth("ann", "nope");
    let seen = dmr_tests::send(
        &srv,
        "POST",
        "/articles/",
        &[("authorization", wrong.as_bytes())],
        None,
    )
    .await;
    assert_eq!(seen.status, 401);
}

#[actix_rt::test]
async fn state_is_served_to_handlers_as_data() {
    let api = Api::new()
        .state(Keys::new(SECRET_A))
        .state(users())
        .state(Realm("r"))
        .controller::<Articles>()
        .build()
        .unwrap();
    let srv = serve(api);
    let seen = get(&srv, "/articles/secret-length", &[]).await;
    assert_eq!(seen.text(), SECRET_A.len().to_string());
}

#[actix_rt::test]
async fn a_sync_controller_builds_its_auth_from_state() {
    let api = Api::new()
        .state(users())
        .state(Realm("reports"))
        .controller::<Reports>()
        .build()
        .unwrap();
    let srv = serve(api);
    let ann = basic_auth("ann", "pw-ann");
    assert_eq!(
        get(&srv, "/reports/", &[("authorization", &ann)])
            .await
            .text(),
        "reports of ann"
    );
    let seen = get(&srv, "/reports/", &[]).await;
    assert_eq!(seen.status, 401);
    assert_eq!(
        seen.header("www-authenticate"),
        Some("Basic realm=\"reports\"")
    );
}

#[test]
fn each_declaration_is_evaluated_once_per_build() {
    let keys = Keys::new(SECRET_A);
    let built = Arc::clone(&keys.built);
    let _api = Api::new()
        .state(keys)
        .state(users())
        .state(Realm("r"))
        .controller::<Articles>()
        .build()
        .unwrap();
    // three endpoints share the controller's declaration: evaluated once, not per endpoint
    // (and never per request)
    assert_eq!(built.load(Ordering::SeqCst), 1);
}

#[test]
fn a_missing_value_fails_the_build_naming_type_and_declaration() {
    let err = Api::new()
        .state(users())
        .controller::<Articles>()
        .build()
        .err()
        .expect("`Keys` is not registered");
    assert_eq!(
        err.to_string(),
        "`Articles` builds its auth from application state of type `state::Keys`, which was not \
         registered; add `.state(value)` with a `state::Keys` to the API builder (registered: \
         `state::Users`); a value given to `App::app_data` is not visible to auth: register it \
         with `.state(value)`, which handlers also read as `web::Data`"
    );
    let err = Api::new()
        .state(Keys::new(SECRET_A))
        .state(users())
        .controller::<Articles>()
        .build()
        .err()
        .expect("`Realm` is not registered");
    assert!(
        err.to_string().starts_with(
            "`Articles::create` builds its auth from application state of type `state::Realm`"
        ),
        "{err}"
    );
}

#[test]
fn a_type_registered_twice_is_refused() {
    let err = Api::new()
        .state(Realm("one"))
        .state(Realm("two"))
        .build()
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        "application state of type `state::Realm` is registered twice; register it once, or wrap \
         one of the values in a type of its own"
    );
}

#[test]
fn a_failing_declaration_names_its_site() {
    let err = Api::new()
        .state(Keys::new("too short"))
        .state(users())
        .state(Realm("r"))
        .controller::<Articles>()
        .build()
        .err()
        .unwrap();
    assert!(
        err.to_string().starts_with(
            "auth `JwtAuth` in `auth = [..]` of controller `Articles` cannot be built: "
        ),
        "{err}"
    );
}

struct Open;

#[controller(path = "/open")]
impl Open {
    #[endpoint(get, path = "/")]
    async fn who(user: Authed<BasicUser>) -> String {
        user.username.clone()
    }
}

#[actix_rt::test]
async fn settings_and_scopes_build_their_auth_from_state() {
    let api = Api::new()
        .state(users())
        .state(Realm("settings"))
        .settings(Settings::new().auth_from(|users: &Users, realm: &Realm| users.basic(realm)))
        .scope("/admin", |s| {
            s.auth_from(|_: &Users| HttpBasic::new(|u, p| u == "root" && p == "toor"))
                .controller::<Open>()
        })
        .build()
        .unwrap();
    let srv = serve(api);
    let ann = basic_auth("ann", "pw-ann");
    let root = basic_auth("root", "toor");
    assert_eq!(
        get(&srv, "/admin/open/", &[("authorization", &ann)])
            .await
            .text(),
        "ann"
    );
    assert_eq!(
        get(&srv, "/admin/open/", &[("authorization", &root)])
            .await
            .text(),
        "root"
    );
    assert_eq!(get(&srv, "/admin/open/", &[]).await.status, 401);

    let err = Api::new()
        .scope("/admin", |s| {
            s.auth_from(|u: &Users| u.basic(&Realm("x")))
                .controller::<Open>()
        })
        .build()
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .starts_with("`scope \"/admin\"` builds its auth"),
        "{err}"
    );
    let err = Api::new()
        .settings(Settings::new().auth_from(|u: &Users| u.basic(&Realm("x"))))
        .build()
        .err()
        .unwrap();
    assert!(
        err.to_string().starts_with("`settings` builds its auth"),
        "{err}"
    );
}
