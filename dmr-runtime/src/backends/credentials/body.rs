//! [`CredentialBody`]: the small JSON body of a credential endpoint, read with a tight size
//! limit and a deadline.

use std::borrow::Cow;

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
/// use std::borrow::Cow;
use std::time::Duration;
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
/// A request without content reads as `{}` (so a body whose fields are all optional may be left
/// out); content must say it is JSON (`Content-Type: application/json` or `application/*+json`).
///
/// Failures ([`CredentialBodyError`]), with the standard error body and a `loc`:
/// 415 (content that is not JSON), 400 (malformed, not an object, a bad field), 408 (too
/// slow), 413 (too large).
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
            // content that does not say it is JSON is refused unread
            if !json && declared.is_some_and(|n| n > 0) {
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
                    if !json && !chunk.is_empty() {
                        return Err(CredentialBodyError::ContentType);
                    }
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
            // no content at all (a cookie-mode refresh or logout): an object without fields
            let buf: &[u8] = if buf.is_empty() { b"{}" } else { &buf };
            // a JSON object, not an array (serde would read `[..]` as the fields in order)
            match buf.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => {}
                Some(_) if serde_json::from_slice::<serde::de::IgnoredAny>(buf).is_ok() => {
                    return Err(CredentialBodyError::NotAnObject);
                }
                _ => return Err(CredentialBodyError::Malformed),
            }
            serde_json::from_slice(buf)
                .map(CredentialBody)
                .map_err(|e| match e.classify() {
                    serde_json::error::Category::Data => CredentialBodyError::NotAnObject,
                    _ => CredentialBodyError::Malformed,
                })
        })
    }
}

/// Why a [`CredentialBody`] was refused; rendered through the error model with type
/// `value_error` and the location of the fault ([`CredentialBodyError::loc`]):
/// `{"detail":[{"msg":"Field required","loc":["parsed_body","password"],"type":"value_error"}]}`.
/// No message quotes the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialBodyError {
    /// 415 ``Content type must be `application/json` `` (at `Content-Type`), with
    /// `Accept-Post: application/json`: content that does not say it is JSON.
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

/// `loc` of errors about the body as a whole.
const BODY: &[&str] = &["parsed_body"];
/// `loc` of a wrong content type.
const CONTENT_TYPE: &[&str] = &["parsed_headers", "Content-Type"];

impl CredentialBodyError {
    /// The 400 `Field required` at `field`.
    ///
    /// ```
    /// use dmr_runtime::backends::credentials::CredentialBodyError;
    ///
    /// let err = CredentialBodyError::missing("refresh_token");
    /// assert_eq!(err.msg(), "Field required");
    /// assert_eq!(err.loc(), ["parsed_body", "refresh_token"]);
    /// ```
    pub const fn missing(field: &'static str) -> Self {
        Self::BadField {
            field,
            msg: "Field required",
        }
    }

    /// The `msg` of the error body (the field is in [`CredentialBodyError::loc`]).
    pub fn msg(&self) -> Cow<'static, str> {
        match self {
            Self::ContentType => "Content type must be `application/json`".into(),
            Self::Malformed => "JSON decode error".into(),
            Self::NotAnObject => "Input should be a valid dictionary or object".into(),
            Self::BadField { msg, .. } => (*msg).into(),
            Self::Incomplete => "Incomplete request body".into(),
            Self::Timeout => "Request body took too long to arrive".into(),
            Self::TooLarge { limit } => {
                format!("Request body is too large: at most {limit} bytes").into()
            }
        }
    }

    /// The `loc` of the error body: `["parsed_body", "<field>"]` for a field,
    /// `["parsed_headers", "Content-Type"]` for the content type, `["parsed_body"]` otherwise.
    pub fn loc(&self) -> Vec<&'static str> {
        match self {
            Self::BadField { field, .. } => vec![BODY[0], field],
            Self::ContentType => CONTENT_TYPE.to_vec(),
            _ => BODY.to_vec(),
        }
    }

    /// Whether the rest of the body was left unread, so the connection cannot be reused.
    pub fn closes_connection(&self) -> bool {
        matches!(
            self,
            Self::Timeout | Self::TooLarge { .. } | Self::Incomplete | Self::ContentType
        )
    }

    /// Puts what goes with the error besides its body on a response rendered for it:
    /// `Accept-Post` on a 415, `Connection: close` when the body was left unread.
    pub(crate) fn finish(&self, resp: &mut HttpResponse) {
        if matches!(self, Self::ContentType) {
            resp.headers_mut().insert(
                header::HeaderName::from_static("accept-post"),
                header::HeaderValue::from_static("application/json"),
            );
        }
        if self.closes_connection() {
            resp.head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
        }
    }
}

impl std::fmt::Display for CredentialBodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadField { field, msg } => write!(f, "{msg}: `{field}`"),
            _ => f.write_str(&self.msg()),
        }
    }
}

impl std::error::Error for CredentialBodyError {}

impl ResponseError for CredentialBodyError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::ContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let msg = self.msg();
        let loc = self.loc();
        let item = ErrorItem::new(&msg).with_kind(VALUE_ERROR).with_loc(&loc);
        let mut resp = HttpResponse::build(self.status_code())
            .content_type("application/json")
            .body(DefaultErrorModel::render_bytes(&item));
        self.finish(&mut resp);
        resp
    }
}
