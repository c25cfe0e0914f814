//! The OpenAPI methods of [`Api`] and [`ApiBuilder`].

use super::{Api, ApiBuilder};
use crate::api::DocsLogin;
use crate::build_error::ApiError;
use crate::openapi::OpenApiConfig;

impl ApiBuilder {
    /// Sets the document's `info` and OpenAPI version (default: `API`, `0.1.0`, 3.1.0).
    ///
    /// ```
    /// use dmr_runtime::openapi::{OpenApiConfig, OpenApiVersion};
    /// use dmr_runtime::Api;
    ///
    /// let api = Api::new()
    ///     .openapi(OpenApiConfig::new("Shop", "2.0.0").openapi_version(OpenApiVersion::V3_2))
    ///     .build()
    ///     .unwrap();
    /// assert!(api.openapi_json().starts_with(r#"{"openapi":"3.2.0","info":{"title":"Shop","#));
    /// ```
    pub fn openapi(mut self, config: OpenApiConfig) -> Self {
        self.openapi = config;
        self
    }

    /// Makes [`Api::configure`] also serve the document at `GET <path>/openapi.json` and
    /// Swagger UI at `GET <path>/` (`GET <path>` redirects there). The UI's assets are compiled
    /// into the binary, so the page makes no request off the machine.
    ///
    /// ```
    /// # actix_rt::System::new().block_on(async {
    /// use actix_web::{App, test};
    /// use dmr_runtime::Api;
    ///
    /// let api = Api::new().docs("/docs").build().unwrap();
    /// let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
    /// let req = test::TestRequest::get().uri("/docs/openapi.json").to_request();
    /// let body = test::call_and_read_body(&app, req).await;
    /// assert_eq!(body, api.openapi_json().as_bytes());
    /// # });
    /// ```
    pub fn docs(mut self, path: impl Into<String>) -> Self {
        self.docs = Some(path.into());
        self
    }

    /// Lets the docs page ([`ApiBuilder::docs`]) log its user in at an identity provider:
    /// Swagger UI's Authorize dialog runs the authorization code flow with PKCE as the public
    /// client `login` describes, then sends the access token with "Try it out" requests (see
    /// [`DocsLogin`] for what to register at the provider). The provider's flows come from the
    /// `openIdConnect` scheme that an OIDC auth (`oidc` feature) puts in the document.
    ///
    /// Without [`ApiBuilder::docs`] the build fails with [`ApiError::DocsLogin`], as it does
    /// for an empty client id and without the `swagger-ui` feature (on by default).
    ///
    /// ```
    /// # actix_rt::System::new().block_on(async {
    /// use actix_web::{App, test};
    /// use dmr_runtime::Api;
    /// use dmr_runtime::DocsLogin;
    ///
    /// let login = DocsLogin::new("docs-page").scopes(["openid", "read"]);
    /// let api = Api::new().docs("/docs").docs_login(login.clone()).build().unwrap();
    /// let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
    /// let req = test::TestRequest::get().uri("/docs/swagger-initializer.js").to_request();
    /// let script = String::from_utf8(test::call_and_read_body(&app, req).await.to_vec()).unwrap();
    /// assert!(script.contains(r#""clientId": "docs-page""#));
    /// assert!(script.contains(r#""usePkceWithAuthorizationCodeGrant": true"#));
    ///
    /// let err = Api::new().docs_login(login).build().err().unwrap();
    /// assert!(err.to_string().contains(r#"add `.docs("/docs")`"#));
    /// # });
    /// ```
    pub fn docs_login(mut self, login: DocsLogin) -> Self {
        self.docs_login = Some(login);
        self
    }

    /// [`ApiError::DocsLogin`] when the docs login cannot work.
    pub(super) fn check_docs_login(&self) -> Result<(), ApiError> {
        let Some(login) = &self.docs_login else {
            return Ok(());
        };
        if cfg!(not(feature = "swagger-ui")) {
            return Err(ApiError::DocsLogin {
                fix: "the login runs in Swagger UI: build dmr-runtime with its `swagger-ui` \
                      feature (on by default)",
            });
        }
        if self.docs.is_none() {
            return Err(ApiError::DocsLogin {
                fix: "the login is part of the docs page: add `.docs(\"/docs\")` to the API builder",
            });
        }
        login.check().map_err(|fix| ApiError::DocsLogin { fix })
    }
}

impl Api {
    /// The OpenAPI document as compact JSON, exactly as `GET <docs>/openapi.json` serves it.
    ///
    /// Security schemes and the error model components are printed byte for byte as the
    /// auths and error models describe them ([`SchemeDoc`](crate::auth::SchemeDoc),
    /// [`ErrorSchema`](crate::error::ErrorSchema)).
    pub fn openapi_json(&self) -> &str {
        self.document.json()
    }

    /// The document as utoipa's model, to merge with other utoipa documents or inspect.
    ///
    /// utoipa cannot express everything the JSON says: an `http` scheme named `Bearer` prints
    /// as `bearer`, key order follows utoipa's, and a response header's `required` is kept as
    /// an extension. [`Api::openapi_json`] is the exact document.
    ///
    /// ```
    /// use dmr_runtime::Api;
    ///
    /// let api = Api::new().build().unwrap();
    /// let doc = api.openapi();
    /// assert_eq!(doc.info.title, "API");
    /// assert!(doc.paths.paths.is_empty());
    /// ```
    pub fn openapi(&self) -> utoipa::openapi::OpenApi {
        self.document.to_utoipa()
    }

    /// The path [`Api::configure`] serves the docs under, if [`ApiBuilder::docs`] set one.
    pub fn docs_path(&self) -> Option<&str> {
        self.docs.as_deref()
    }
}
