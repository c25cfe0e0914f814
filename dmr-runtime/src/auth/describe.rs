//! How an auth describes itself to OpenAPI: security schemes and the responses it can cause.

use std::ops::BitOr;

use serde::Serialize;

/// One named OpenAPI security scheme, serialized with the reference's key order
/// (`type`, `description`, `name`, `in`, `scheme`, `bearerFormat`).
///
/// # Example
///
/// ```
/// use dmr_runtime::auth::SchemeDoc;
///
/// let basic = SchemeDoc::http("http_basic", "basic", None, "Http Basic auth");
/// assert_eq!(
///     serde_json::to_string(&basic.scheme).unwrap(),
///     r#"{"type":"http","description":"Http Basic auth","scheme":"basic"}"#,
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeDoc {
    /// The key under `components.securitySchemes`.
    pub name: String,
    /// The scheme object.
    pub scheme: SecurityScheme,
}

/// An OpenAPI security scheme object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityScheme {
    /// `http` or `apiKey`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Human-readable description.
    pub description: String,
    /// Header or cookie name (`apiKey` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `header` or `cookie` (`apiKey` only).
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    pub location: Option<&'static str>,
    /// The HTTP auth scheme (`http` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// The bearer token format (`http` only).
    #[serde(rename = "bearerFormat", skip_serializing_if = "Option::is_none")]
    pub bearer_format: Option<String>,
    /// The OpenID Connect discovery URL (`openIdConnect` only).
    #[serde(rename = "openIdConnectUrl", skip_serializing_if = "Option::is_none")]
    pub open_id_connect_url: Option<String>,
}

impl SchemeDoc {
    /// An `http` scheme (`basic`, `Bearer`, ..).
    pub fn http(
        name: impl Into<String>,
        scheme: impl Into<String>,
        bearer_format: Option<&str>,
        description: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            scheme: SecurityScheme {
                kind: "http",
                description: description.into(),
                name: None,
                location: None,
                scheme: Some(scheme.into()),
                bearer_format: bearer_format.map(str::to_owned),
                open_id_connect_url: None,
            },
        }
    }

    /// An `apiKey` scheme carried in a header.
    pub fn api_key_header(
        name: impl Into<String>,
        header: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self::api_key(name.into(), "header", header.into(), description.into())
    }

    /// An `apiKey` scheme carried in a cookie.
    pub fn api_key_cookie(
        name: impl Into<String>,
        cookie: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self::api_key(name.into(), "cookie", cookie.into(), description.into())
    }

    /// An `openIdConnect` scheme: the provider's discovery URL, from which clients (the
    /// docs page) learn its endpoints and flows.
    ///
    /// ```
    /// use dmr_runtime::auth::SchemeDoc;
    ///
    /// let doc = SchemeDoc::open_id_connect("oidc", "https://id.example.com/.well-known/openid-configuration", "Provider");
    /// assert_eq!(
    ///     serde_json::to_string(&doc.scheme).unwrap(),
    ///     r#"{"type":"openIdConnect","description":"Provider","openIdConnectUrl":"https://id.example.com/.well-known/openid-configuration"}"#,
    /// );
    /// ```
    pub fn open_id_connect(
        name: impl Into<String>,
        url: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            scheme: SecurityScheme {
                kind: "openIdConnect",
                description: description.into(),
                name: None,
                location: None,
                scheme: None,
                bearer_format: None,
                open_id_connect_url: Some(url.into()),
            },
        }
    }

    fn api_key(name: String, location: &'static str, param: String, description: String) -> Self {
        Self {
            name,
            scheme: SecurityScheme {
                kind: "apiKey",
                description,
                name: Some(param),
                location: Some(location),
                scheme: None,
                bearer_format: None,
                open_id_connect_url: None,
            },
        }
    }
}

/// The error responses an auth can cause, documented on every operation it guards.
///
/// # Example
///
/// ```
/// use dmr_runtime::auth::AuthResponses;
///
/// let csrf = AuthResponses::UNAUTHORIZED | AuthResponses::CSRF_FORBIDDEN;
/// assert!(csrf.contains(AuthResponses::CSRF_FORBIDDEN));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AuthResponses(u8);

impl AuthResponses {
    /// Nothing.
    pub const NONE: Self = Self(0);
    /// 401 `Raised when auth was not successful`.
    pub const UNAUTHORIZED: Self = Self(1);
    /// 403 `Raised when CSRF check failed`.
    pub const CSRF_FORBIDDEN: Self = Self(2);

    /// Whether every response of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for AuthResponses {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}
