//! [`DocsLogin`]: the docs page logs in at an identity provider (authorization code + PKCE).

use std::collections::BTreeMap;

/// How the docs page (Swagger UI, [`ApiBuilder::docs`](crate::ApiBuilder::docs)) logs its
/// user in at an identity provider, given to [`ApiBuilder::docs_login`](crate::ApiBuilder::docs_login).
///
/// The page's Authorize dialog offers the provider's flows, read from the `openIdConnect`
/// security scheme of the document (the discovery URL of an `OidcAuth` of the `oidc` feature,
/// fetched by the browser). Its
/// *authorization_code* flow opens the provider's login page in a popup, with PKCE (S256
/// `code_challenge`), the client id below and no client secret; the provider redirects the
/// popup to `<docs>/oauth2-redirect.html` (served with the page's assets), the page redeems
/// the code at the token endpoint and sends the access token as `Authorization: Bearer ..`
/// with every "Try it out" request.
///
/// At the provider, register a **public** client (no secret; PKCE) with:
/// - the redirect URI `https://<your host><docs>/oauth2-redirect.html` (with the default
///   [`redirect_path`](Self::redirect_path)), exactly as the browser sees the page;
/// - CORS allowed for the page's origin on the discovery document and the token endpoint
///   (the browser calls both);
/// - an access token for this API's audience (some providers need a parameter for it: Auth0's
///   `audience`, an RFC 8707 `resource`; see [`param`](Self::param)).
///
/// ```
/// use dmr_runtime::Api;
/// use dmr_runtime::DocsLogin;
///
/// let login = DocsLogin::new("docs-page")
///     .scopes(["openid", "orders:read"])
///     .param("audience", "orders-api");
/// assert_eq!(login.client_id(), "docs-page");
/// assert_eq!(login.redirect(), "oauth2-redirect.html");
/// let api = Api::new().docs("/docs").docs_login(login).build().unwrap();
/// assert_eq!(api.docs_path(), Some("/docs"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocsLogin {
    client_id: String,
    scopes: Vec<String>,
    redirect: String,
    params: BTreeMap<String, String>,
}

impl DocsLogin {
    /// The provider's client id of the docs page (a public client: no secret).
    pub fn new(client_id: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            scopes: Vec::new(),
            redirect: "oauth2-redirect.html".to_owned(),
            params: BTreeMap::new(),
        }
    }

    /// The scopes the Authorize dialog selects to begin with (the user may change them).
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Where the provider sends the browser back, resolved by the browser against the docs
    /// page's URL: default `oauth2-redirect.html`, that is `<docs>/oauth2-redirect.html`, the
    /// page Swagger UI ships for it. Change it only if a proxy serves the page elsewhere.
    pub fn redirect_path(mut self, path: impl Into<String>) -> Self {
        self.redirect = path.into();
        self
    }

    /// An extra query parameter of the authorization request, like `audience` (Auth0) or
    /// `resource` (RFC 8707 resource indicators), so that the token is issued for this API.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.insert(name.into(), value.into());
        self
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The redirect path ([`redirect_path`](Self::redirect_path)).
    pub fn redirect(&self) -> &str {
        &self.redirect
    }

    /// The initially selected scopes.
    pub fn initial_scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The extra authorization request parameters.
    pub fn params(&self) -> &BTreeMap<String, String> {
        &self.params
    }

    /// Why the page could not log in with this configuration, as the fix.
    pub(crate) fn check(&self) -> Result<(), &'static str> {
        if self.client_id.trim().is_empty() {
            return Err("give the provider's client id of the docs page: \
                 `DocsLogin::new(\"<client id>\")` (a public client whose redirect URI is \
                 `<docs>/oauth2-redirect.html`)");
        }
        if self.redirect.trim().is_empty() {
            return Err("give `DocsLogin::redirect_path` a path (default \
                 `oauth2-redirect.html`, next to the docs page), or leave it out");
        }
        Ok(())
    }
}
