//! [`ObtainTokenBody`]: the credentials of a token obtain request, read with a tight size
//! limit and a read deadline so that an anonymous request holds a few KiB at most.

use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::StreamExt as _;
use futures_util::future::LocalBoxFuture;
use serde_json::Value;

use crate::error::{DefaultErrorModel, ErrorItem, ErrorModel as _, VALUE_ERROR};
use crate::openapi::{ArgDoc, DescribeArg};

/// The largest credential body read (8 KiB); longer ones are refused with 413 unread.
pub const OBTAIN_BODY_LIMIT: usize = 8 * 1024;

/// How long the body may take to arrive (10 s); a slower one is refused with 408.
pub const OBTAIN_BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// `{"username": "..", "password": ".."}` of [`TokenObtain`](super::TokenObtain), read
/// with [`OBTAIN_BODY_LIMIT`] and [`OBTAIN_BODY_TIMEOUT`]; errors never quote a value.
#[derive(Clone)]
pub struct ObtainTokenBody {
    /// The login name.
    pub username: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for ObtainTokenBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObtainTokenBody")
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .finish()
    }
}

/// Credentials for a token (named as the reference names them).
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct ObtainTokenPayload {
    /// The login name.
    pub username: String,
    /// The password (never logged or echoed).
    pub password: String,
}

impl DescribeArg for ObtainTokenBody {
    fn arg_doc() -> ArgDoc {
        ArgDoc::body::<ObtainTokenPayload>("application/json")
    }
}

/// Why the body was refused: 400 (not a JSON object with two strings, or not JSON), 408 (too
/// slow), 413 (too large); the reference's error body with `type` `value_error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObtainBodyError {
    /// 400 `Content type must be application/json`.
    NotJson,
    /// 400 `Input should be a valid JSON object`.
    Malformed,
    /// 400 `Field required: \`<field>\`` / `Input should be a valid string: \`<field>\``.
    Field(&'static str, &'static str),
    /// 408 `Request body not received in time`.
    Slow,
    /// 413 `Request body is too large`.
    TooLarge,
}

impl std::fmt::Display for ObtainBodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotJson => f.write_str("Content type must be application/json"),
            Self::Malformed => f.write_str("Input should be a valid JSON object"),
            Self::Field(msg, field) => write!(f, "{msg}: `{field}`"),
            Self::Slow => f.write_str("Request body not received in time"),
            Self::TooLarge => f.write_str("Request body is too large"),
        }
    }
}

impl ResponseError for ObtainBodyError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotJson | Self::Malformed | Self::Field(..) => StatusCode::BAD_REQUEST,
            Self::Slow => StatusCode::REQUEST_TIMEOUT,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let msg = self.to_string();
        let body = DefaultErrorModel::render_bytes(&ErrorItem {
            msg: &msg,
            kind: Some(VALUE_ERROR),
        });
        HttpResponse::build(self.status_code())
            .content_type("application/json")
            .body(body)
    }
}

fn string_field(body: &Value, name: &'static str) -> Result<String, ObtainBodyError> {
    match body.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(ObtainBodyError::Field(
            "Input should be a valid string",
            name,
        )),
        None => Err(ObtainBodyError::Field("Field required", name)),
    }
}

async fn read(req: HttpRequest, mut payload: Payload) -> Result<ObtainTokenBody, ObtainBodyError> {
    let json = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(ObtainBodyError::NotJson);
    }
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > OBTAIN_BODY_LIMIT) {
        return Err(ObtainBodyError::TooLarge);
    }
    let mut buf = Vec::with_capacity(declared.unwrap_or(256).min(OBTAIN_BODY_LIMIT));
    let collect = async {
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| ObtainBodyError::Malformed)?;
            if buf.len() + chunk.len() > OBTAIN_BODY_LIMIT {
                return Err(ObtainBodyError::TooLarge);
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(())
    };
    tokio::time::timeout(OBTAIN_BODY_TIMEOUT, collect)
        .await
        .map_err(|_| ObtainBodyError::Slow)??;
    let body: Value = serde_json::from_slice(&buf).map_err(|_| ObtainBodyError::Malformed)?;
    if !body.is_object() {
        return Err(ObtainBodyError::Malformed);
    }
    Ok(ObtainTokenBody {
        username: string_field(&body, "username")?,
        password: string_field(&body, "password")?,
    })
}

impl FromRequest for ObtainTokenBody {
    type Error = ObtainBodyError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        Box::pin(read(req.clone(), payload.take()))
    }
}
