//! `ApiBuilder::docs_login`: the docs page's start-up script hands Swagger UI the public
//! client (authorization code + PKCE) and the redirect page, which is served with the page's
//! assets; a login without a docs page, or without a client id, fails the build with the fix.
//! (The login itself, in a browser against a real provider: scripts/docs-login.sh.)

use dmr_runtime::DocsLogin;
use dmr_runtime::prelude::*;
use dmr_tests::{get, serve};

struct Orders;

#[controller(path = "/api/orders", auth = none)]
impl Orders {
    /// Everybody's orders.
    #[endpoint(get, path = "/")]
    async fn list() -> &'static str {
        "orders"
    }
}

fn api(login: Option<DocsLogin>) -> Result<Api, dmr_runtime::ApiError> {
    let mut api = Api::new().docs("/docs").controller::<Orders>();
    if let Some(login) = login {
        api = api.docs_login(login);
    }
    api.build()
}

/// The JSON value the script assigns to `var <name> = ..;`.
fn script_value(script: &str, name: &str) -> serde_json::Value {
    let start = script
        .find(&format!("var {name} = "))
        .unwrap_or_else(|| panic!("`var {name}` in {script}"))
        + name.len()
        + 7;
    let end = start + script[start..].find(";\n").expect("the statement ends");
    serde_json::from_str(&script[start..end]).expect("a JSON value")
}

#[actix_rt::test]
async fn the_page_logs_in_with_the_public_client_and_pkce() {
    // a value that would break out of a string or a script if it were pasted, not encoded
    let tricky = r#"api"</script><script>alert(1)//"#;
    let login = DocsLogin::new("docs-page")
        .scopes(["openid", "orders:read"])
        .param("audience", tricky);
    let srv = serve(api(Some(login)).unwrap());
    let script = get(&srv, "/docs/swagger-initializer.js", &[]).await.text();
    assert_eq!(
        script_value(&script, "oauth"),
        serde_json::json!({
            "clientId": "docs-page",
            "scopes": ["openid", "orders:read"],
            "additionalQueryStringParams": {"audience": tricky},
            "usePkceWithAuthorizationCodeGrant": true,
        })
    );
    assert_eq!(script_value(&script, "redirect"), "oauth2-redirect.html");
    assert!(
        !script.contains("clientSecret"),
        "a public client: {script}"
    );
    assert!(script.contains("window.ui.initOAuth(oauth)"));
    assert!(script.contains("config.oauth2RedirectUrl = new URL(redirect, window.location.href)"));
}

#[actix_rt::test]
async fn without_a_login_the_page_has_none() {
    let srv = serve(api(None).unwrap());
    let script = get(&srv, "/docs/swagger-initializer.js", &[]).await.text();
    assert_eq!(script_value(&script, "oauth"), serde_json::Value::Null);
    assert_eq!(script_value(&script, "redirect"), serde_json::Value::Null);
}

#[actix_rt::test]
async fn the_redirect_page_comes_with_the_assets() {
    let login = DocsLogin::new("docs-page").redirect_path("/docs/oauth2-redirect.html");
    let srv = serve(api(Some(login)).unwrap());
    let script = get(&srv, "/docs/swagger-initializer.js", &[]).await.text();
    assert_eq!(
        script_value(&script, "redirect"),
        "/docs/oauth2-redirect.html"
    );
    let page = get(&srv, "/docs/oauth2-redirect.html", &[]).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html"));
    assert!(
        page.text()
            .contains(r#"<script src="oauth2-redirect.js"></script>"#)
    );
    let code = get(&srv, "/docs/oauth2-redirect.js", &[]).await;
    assert_eq!(code.status, 200);
    // it hands the code back to the page that opened the login window
    assert!(
        code.text()
            .contains("window.opener.swaggerUIRedirectOauth2")
    );
}

#[test]
fn a_login_needs_the_docs_page() {
    let err = Api::new()
        .controller::<Orders>()
        .docs_login(DocsLogin::new("docs-page"))
        .build()
        .err()
        .expect("no docs page, no login");
    assert_eq!(
        err.to_string(),
        "the docs page cannot log in: the login is part of the docs page: add `.docs(\"/docs\")` \
         to the API builder"
    );
}

#[test]
fn a_login_needs_a_client_id_and_a_redirect() {
    let err = api(Some(DocsLogin::new(" "))).err().expect("no client id");
    assert!(
        err.to_string().starts_with(
            "the docs page cannot log in: give the provider's client id of the docs page: \
             `DocsLogin::new(\"<client id>\")`"
        ),
        "{err}"
    );
    let login = DocsLogin::new("docs-page").redirect_path("");
    let err = api(Some(login)).err().expect("no redirect");
    assert!(
        err.to_string()
            .contains("give `DocsLogin::redirect_path` a path"),
        "{err}"
    );
}
