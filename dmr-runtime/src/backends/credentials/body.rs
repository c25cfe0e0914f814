//! [`CredentialBody`]: the small JSON body of a credential endpoint, read with a tight size
//! limit and a deadline.

use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderMap};
use actix_web::web::{BytesMut, Data};
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt as _;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use super::CredentialBodyError;
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
/// Content must say it is JSON (`Content-Type: application/json` or `application/*+json`) and
/// be an object. A request without content has no body: a `T` that accepts JSON `null` (an
/// `Option`) reads as that, any other `T` is refused as the reference refuses it (400 `Input
/// should be a valid dictionary` under a JSON content type, 400 `Cannot parse request body
/// with content type 'text/plain', ..` without one; 415 with another one).
///
/// Failures ([`CredentialBodyError`]), with the standard error body and, where the fault has
/// a place, a `loc`: 415 (content that is not JSON), 400 (no content type, malformed, not an
/// object, bad fields: every one of them), 408 (too slow), 413 (too large).
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

/// What the request's `Content-Type` says of its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declared {
    /// `application/json` or `application/*+json`.
    Json,
    /// Another media type (or an unreadable value).
    Other,
    /// No `Content-Type` at all.
    Absent,
}

impl Declared {
    fn of(headers: &HeaderMap) -> Self {
        let Some(value) = headers.get(header::CONTENT_TYPE) else {
            return Self::Absent;
        };
        let essence = value
            .to_str()
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"))
        {
            Self::Json
        } else {
            Self::Other
        }
    }

    /// The refusal of content that does not say it is JSON.
    fn refusal(self) -> CredentialBodyError {
        match self {
            Self::Absent => CredentialBodyError::NoContentType,
            _ => CredentialBodyError::ContentType,
        }
    }

    /// The refusal of a request without content whose body is required.
    fn missing_body(self) -> CredentialBodyError {
        match self {
            Self::Json => CredentialBodyError::NotAnObject,
            other => other.refusal(),
        }
    }
}

/// How a request with these headers and no content is refused where a body is required, as the
/// reference refuses it: 400 `Input should be a valid dictionary` under a JSON content type,
/// 400 `Cannot parse request body with content type 'text/plain', ..` without one (415 with
/// another).
pub(crate) fn missing_body(headers: &HeaderMap) -> CredentialBodyError {
    Declared::of(headers).missing_body()
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

/// `T` from the bytes of a JSON body: an object, as the reference's payload models are.
fn parse<T: DeserializeOwned>(buf: &[u8]) -> Result<T, CredentialBodyError> {
    // a JSON object, not an array (serde would read `[..]` as the fields in order); no
    // content at all under a JSON content type is no object either
    match buf.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        None => return Err(CredentialBodyError::Malformed),
        Some(_) if serde_json::from_slice::<serde::de::IgnoredAny>(buf).is_ok() => {
            return Err(CredentialBodyError::NotAnObject);
        }
        Some(_) => return Err(CredentialBodyError::Malformed),
    }
    serde_json::from_slice(buf).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => CredentialBodyError::NotAnObject,
        _ => CredentialBodyError::Malformed,
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for CredentialBody<T> {
    type Error = CredentialBodyError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let config = CredentialBodyConfig::of(req);
        let declared = Declared::of(req.headers());
        let length = declared_length(req.headers());
        let mut payload = payload.take();
        Box::pin(async move {
            let json = declared == Declared::Json;
            // content that does not say it is JSON is refused unread
            if !json && length.is_some_and(|n| n > 0) {
                return Err(declared.refusal());
            }
            let limit = config.limit;
            if length.is_some_and(|n| n > limit) {
                return Err(CredentialBodyError::TooLarge { limit });
            }
            let read = async {
                let mut buf = BytesMut::with_capacity(length.unwrap_or(1024).min(limit));
                while let Some(chunk) = payload.next().await {
                    let chunk = chunk.map_err(|_| CredentialBodyError::Incomplete)?;
                    if !json && !chunk.is_empty() {
                        return Err(declared.refusal());
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
            if !buf.is_empty() {
                return parse(&buf).map(CredentialBody);
            }
            // no content: no body at all, which only a `T` that can be absent accepts (an
            // `Option`, read from JSON `null`: a cookie-mode refresh, a logout); a required
            // body is refused as the reference refuses it
            serde_json::from_slice(b"null")
                .map(CredentialBody)
                .map_err(|_| declared.missing_body())
        })
    }
}
