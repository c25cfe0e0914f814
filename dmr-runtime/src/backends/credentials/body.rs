//! [`CredentialBody`]: the small JSON body of a credential endpoint, read with a tight size
//! limit and a deadline.

use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::web::{BytesMut, Data};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::StreamExt as _;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{DefaultErrorModel, ErrorItem, ErrorModel as _, VALUE_ERROR};
use crate::openapi::{ArgDoc, DescribeArg};

/// The limits of [`CredentialBody`]: register one as app data (on the `App` or a scope) to
/// change them, as with actix's `JsonConfig`; without one the defaults apply.
///
/// Defaults: at most 8 KiB (a 4096-byte password, Django's longest, and a long user name fit)
/// and 10 seconds to receive the whole body (a client dripping bytes is answered 408 and its
/// connection freed).
///
/// ```
/// use std::time::Duration;
///
/// use actix_web::App;
/// use dmr_runtime::backends::credentials::CredentialBodyConfig;
///
/// let limits = CredentialBodyConfig::new().limit(2048).timeout(Duration::from_secs(5));
/// assert_eq!(limits.get_limit(), 2048);
/// let app = App::new().app_data(limits);
/// # let _ = app;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialBodyConfig {
    limit: usize,
    timeout: Duration,
}

impl Default for CredentialBodyConfig {
    fn default() -> Self {
        Self {
            limit: 8 * 1024,
            timeout: Duration::from_secs(10),
        }
    }
}

impl CredentialBodyConfig {
    /// The defaults (8 KiB, 10 seconds).
    pub fn new() -> Self {
        Self::default()
    }

    /// The largest body accepted, in bytes (default 8 KiB); larger ones are answered 413
    /// without being read (when `Content-Length` tells) or as soon as they pass the limit.
    pub fn limit(mut self, bytes: usize) -> Self {
        self.limit = bytes;
        self
    }

    /// How long the whole body may take to arrive (default 10 seconds); then 408.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The size limit in bytes.
    pub fn get_limit(&self) -> usize {
        self.limit
    }

    /// The read deadline.
    pub fn get_timeout(&self) -> Duration {
        self.timeout
    }

    fn of(req: &HttpRequest) -> Self {
        req.app_data::<Self>()
            .copied()
            .or_else(|| req.app_data::<Data<Self>>().map(|d| *d.get_ref()))
            .unwrap_or_default()
    }
}

/// A credential body: JSON (`application/json`) of at most
/// [`CredentialBodyConfig::limit`] bytes, received within [`CredentialBodyConfig::timeout`],
/// deserialized into `T`. Nothing larger than the limit is ever buffered, and no error
/// message quotes a value of the body (use [`CredentialField`](super::CredentialField) for
/// fields that must be strings). OpenAPI documents it as a required JSON body of `T`'s schema.
///
/// Failures ([`CredentialBodyError`]), with the standard error body:
/// 400 (not JSON, malformed, not an object, a bad field), 408 (too slow), 413 (too large).
///
/// ```
/// use dmr_runtime::backends::credentials::{CredentialBody, CredentialBodyError, CredentialField};
/// use dmr_runtime::prelude::*;
///
/// #[derive(serde::Deserialize, utoipa::ToSchema)]
/// struct Obtain {
///     #[serde(default)]
///     #[schema(value_type = String)]
///     username: CredentialField,
/// }
///
/// struct Tokens;
///
/// #[controller(path = "/token", auth = none)]
/// impl Tokens {
///     #[endpoint(post, path = "/")]
///     async fn obtain(body: CredentialBody<Obtain>) -> Result<String, CredentialBodyError> {
///         body.into_inner().username.require("username")
///     }
/// }
/// ```
pub struct CredentialBody<T>(pub T);

impl<T> CredentialBody<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::fmt::Debug for CredentialBody<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // never print credentials
        f.debug_struct("CredentialBody").finish_non_exhaustive()
    }
}

impl<T: utoipa::ToSchema> DescribeArg for CredentialBody<T> {
    fn arg_doc() -> ArgDoc {
        ArgDoc::body::<T>("application/json")
    }
}

/// Whether the request says its body is JSON (`application/json` or `application/*+json`).
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The declared `Content-Length`, if any and valid.
fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

impl<T: DeserializeOwned + 'static> FromRequest for CredentialBody<T> {
    type Error = CredentialBodyError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let config = CredentialBodyConfig::of(req);
        let json = is_json(req.headers());
        let declared = declared_length(req.headers());
        let mut payload = payload.take();
        Box::pin(async move {
            if !json {
                return Err(CredentialBodyError::ContentType);
            }
            let limit = config.limit;
            if declared.is_some_and(|n| n > limit) {
                return Err(CredentialBodyError::TooLarge { limit });
            }
            let read = async {
                let mut buf = BytesMut::with_capacity(declared.unwrap_or(1024).min(limit));
                while let Some(chunk) = payload.next().await {
                    let chunk = chunk.map_err(|_| CredentialBodyError::Incomplete)?;
                    if buf.len() + chunk.len() > limit {
                        return Err(CredentialBodyError::TooLarge { limit });
                    }
                    buf.extend_from_slice(&chunk);
                }
                Ok(buf)
            };
            let buf = actix_web::rt::time::timeout(config.timeout, read)
                .await
                .map_err(|_| CredentialBodyError::Timeout)??;
            // a JSON object, not an array (serde would read `[..]` as the fields in order)
            match buf.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => {}
                Some(_) if serde_json::from_slice::<serde::de::IgnoredAny>(&buf).is_ok() => {
                    return Err(CredentialBodyError::NotAnObject);
                }
                _ => return Err(CredentialBodyError::Malformed),
            }
            serde_json::from_slice(&buf)
                .map(CredentialBody)
                .map_err(|e| match e.classify() {
                    serde_json::error::Category::Data => CredentialBodyError::NotAnObject,
                    _ => CredentialBodyError::Malformed,
                })
        })
    }
}

/// Why a [`CredentialBody`] was refused; rendered with the standard error body
/// (`{"detail":[{"msg":"..","type":"value_error"}]}`). No message quotes the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialBodyError {
    /// 400 `Content type must be application/json`.
    ContentType,
    /// 400 `JSON decode error`: not well-formed JSON.
    Malformed,
    /// 400 `Input should be a valid dictionary or object`: JSON of the wrong shape.
    NotAnObject,
    /// 400: a field is missing or not a string ([`CredentialField::require`]).
    ///
    /// [`CredentialField::require`]: super::CredentialField::require
    BadField {
        /// The field's name.
        field: &'static str,
        /// `Field required` or `Input should be a valid string`.
        msg: &'static str,
    },
    /// 400 `Incomplete request body`: the connection failed while the body was read.
    Incomplete,
    /// 408 `Request body took too long to arrive`.
    Timeout,
    /// 413 `Request body is too large: at most <limit> bytes`.
    TooLarge {
        /// The configured limit.
        limit: usize,
    },
}

impl std::fmt::Display for CredentialBodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ContentType => f.write_str("Content type must be application/json"),
            Self::Malformed => f.write_str("JSON decode error"),
            Self::NotAnObject => f.write_str("Input should be a valid dictionary or object"),
            Self::BadField { field, msg } => write!(f, "{msg}: `{field}`"),
            Self::Incomplete => f.write_str("Incomplete request body"),
            Self::Timeout => f.write_str("Request body took too long to arrive"),
            Self::TooLarge { limit } => {
                write!(f, "Request body is too large: at most {limit} bytes")
            }
        }
    }
}

impl std::error::Error for CredentialBodyError {}

impl ResponseError for CredentialBodyError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let msg = self.to_string();
        let body = DefaultErrorModel::render_bytes(&ErrorItem {
            msg: &msg,
            kind: Some(VALUE_ERROR),
        });
        let mut res = HttpResponse::build(self.status_code());
        if matches!(
            self,
            Self::Timeout | Self::TooLarge { .. } | Self::Incomplete
        ) {
            // the rest of the body is not read: do not reuse the connection
            res.force_close();
        }
        res.content_type("application/json").body(body)
    }
}
