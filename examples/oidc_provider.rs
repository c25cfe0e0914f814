//! Access tokens of an identity provider (Keycloak, Auth0, Entra ID, Okta, Dex, ..), verified
//! with the keys it publishes (OpenID Connect discovery). The keys are cached and refreshed
//! by the auth itself; while the provider has never answered, the API answers 503.
//!
//! ```sh
//! OIDC_ISSUER=https://id.example.com/realms/shop OIDC_AUDIENCE=orders-api \
//!   cargo run -p dmr-examples --example oidc_provider
//! curl -H "Authorization: Bearer $ACCESS_TOKEN" http://127.0.0.1:8080/api/orders/
//! ```
//!
//! The docs page is at `/docs/`. With `OIDC_DOCS_CLIENT_ID` (a public client at the provider
//! whose redirect URI is `http://127.0.0.1:8080/docs/oauth2-redirect.html`) its Authorize
//! button logs in at the provider (authorization code + PKCE) and "Try it out" sends the
//! token: `OIDC_DOCS_SCOPES` (space-separated, default `openid`) are selected to begin with,
//! and `OIDC_DOCS_PARAM=name=value` adds a parameter to the authorization request (Auth0's
//! `audience=..`, an RFC 8707 `resource=..`). `scripts/docs-login.sh` runs it that way
//! against the test provider in headless Chromium.

use std::process::ExitCode;
use std::time::Duration;

use actix_web::{App, HttpServer};
use dmr_runtime::DocsLogin;
use dmr_runtime::backends::oidc::{OidcAuth, OidcConfig, OidcConfigError, OidcToken};
use dmr_runtime::prelude::*;

/// The provider's claims this API reads besides the registered ones.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Claims {
    /// The user's e-mail address, when the provider includes it.
    pub email: Option<String>,
}

/// The provider, read from the configuration at startup.
pub struct Provider {
    auth: OidcAuth<Claims>,
}

impl Provider {
    /// Starts the key cache (waiting at most `startup_wait` for the first keys).
    fn new(issuer: &str, audience: &str, startup_wait: Duration) -> Result<Self, OidcConfigError> {
        let auth = OidcConfig::discover(issuer)
            .audience(audience)
            .leeway(30)
            .startup_wait(startup_wait)
            .build()?;
        Ok(Self { auth })
    }
}

pub struct Orders;

#[controller(path = "/api/orders", auth = [|p: &Provider| p.auth.clone()])]
impl Orders {
    /// The orders of the token's subject.
    #[endpoint(get, path = "/")]
    async fn list(token: Authed<OidcToken<Claims>>) -> String {
        let email = token.claims.email.as_deref().unwrap_or("no e-mail");
        format!("orders of {} ({email})", token.sub)
    }
}

fn api(provider: Provider) -> ApiBuilder {
    Api::new()
        .state(provider)
        .controller::<Orders>()
        .docs("/docs")
}

/// The docs page's login at the provider, from `OIDC_DOCS_*` (none without a client id).
fn docs_login(var: impl Fn(&str) -> Option<String>) -> Result<Option<DocsLogin>, String> {
    let Some(client_id) = var("OIDC_DOCS_CLIENT_ID") else {
        return Ok(None);
    };
    let scopes = var("OIDC_DOCS_SCOPES").unwrap_or_else(|| "openid".to_owned());
    let mut login = DocsLogin::new(client_id).scopes(scopes.split_whitespace());
    if let Some(param) = var("OIDC_DOCS_PARAM") {
        let (name, value) = param
            .split_once('=')
            .ok_or("OIDC_DOCS_PARAM is `name=value`, like `audience=orders-api`")?;
        login = login.param(name, value);
    }
    Ok(Some(login))
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("oidc_provider: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let provider = Provider::new(
        &var("OIDC_ISSUER")?,
        &var("OIDC_AUDIENCE")?,
        Duration::from_secs(5),
    )?;
    let mut api = api(provider);
    if let Some(login) = docs_login(|name| std::env::var(name).ok())? {
        api = api.docs_login(login);
    }
    let api = api.build()?;
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || App::new().configure(|c| api.configure(c)))
        .bind(&addr)
        .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("oidc_provider example on http://{addr}/api/orders/ (docs: http://{addr}/docs/)");
    server.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::test::{TestRequest, call_service, init_service, read_body};

    use super::*;

    /// A provider nobody listens for, and its issuer URL: the API starts anyway.
    fn unreachable() -> (Provider, String) {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let issuer = format!("http://127.0.0.1:{port}");
        let provider = Provider::new(&issuer, "orders-api", Duration::from_millis(200)).unwrap();
        (provider, issuer)
    }

    #[actix_web::test]
    async fn without_the_providers_keys_tokens_wait_with_a_503() {
        let (provider, iss) = unreachable();
        let api = api(provider).build().unwrap();
        let app = init_service(App::new().configure(|c| api.configure(c))).await;
        // a token naming this issuer (its signature is never looked at without keys)
        let payload =
            format!(r#"{{"iss":"{iss}","sub":"ann","aud":"orders-api","exp":9999999999}}"#);
        let b64 = |s: &str| {
            use base64::Engine as _;
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
        };
        let token = format!(
            "{}.{}.sig",
            b64(r#"{"alg":"RS256","kid":"k1"}"#),
            b64(&payload)
        );
        let req = TestRequest::get()
            .uri("/api/orders/")
            .insert_header(("Authorization", format!("Bearer {token}")));
        let resp = call_service(&app, req.to_request()).await;
        assert_eq!(resp.status(), 503);
        assert_eq!(resp.headers().get("retry-after").unwrap(), "1");
        assert_eq!(
            read_body(resp).await,
            r#"{"detail":[{"msg":"Identity provider keys unavailable, try again later"}]}"#
        );

        let req = TestRequest::get().uri("/api/orders/");
        assert_eq!(call_service(&app, req.to_request()).await.status(), 401);
    }

    #[test]
    fn the_docs_login_reads_its_variables() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                let found = pairs.iter().find(|(k, _)| *k == name);
                found.map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(docs_login(vars(&[])), Ok(None));
        let login = docs_login(vars(&[
            ("OIDC_DOCS_CLIENT_ID", "docs"),
            ("OIDC_DOCS_SCOPES", "openid  read"),
            ("OIDC_DOCS_PARAM", "resource=https://api.test/RS256"),
        ]));
        let expected = DocsLogin::new("docs")
            .scopes(["openid", "read"])
            .param("resource", "https://api.test/RS256");
        assert_eq!(login, Ok(Some(expected)));
        let bad = docs_login(vars(&[
            ("OIDC_DOCS_CLIENT_ID", "d"),
            ("OIDC_DOCS_PARAM", "x"),
        ]));
        assert!(bad.unwrap_err().contains("`name=value`"));
    }

    #[test]
    fn the_openapi_document_names_the_discovery_url() {
        let api = api(unreachable().0).build().unwrap();
        let doc: serde_json::Value = serde_json::from_str(api.openapi_json()).unwrap();
        let scheme = &doc["components"]["securitySchemes"]["oidc"];
        assert_eq!(scheme["type"], "openIdConnect");
        assert!(
            scheme["openIdConnectUrl"]
                .as_str()
                .unwrap()
                .ends_with("/.well-known/openid-configuration")
        );
    }
}
