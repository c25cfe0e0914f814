//! The request bodies of the credential views: small, JSON, typed, and never echoed.
//!
//! A body is read up to [`MAX_BODY_BYTES`] (413 beyond), must be `application/json` when it is
//! not empty, and is parsed into a typed struct whose fields accept any JSON value, so that a
//! wrong field is reported by name (`Input should be a valid string: `password``) and no error
//! message ever quotes a value (serde's would quote a numeric password). Errors are 4xx with
//! type `value_error`, rendered through the controller's error model.

use std::borrow::Cow;
use std::fmt;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::mime;
use actix_web::web::BytesMut;
use actix_web::{FromRequest, HttpRequest, ResponseError};
use futures_util::StreamExt as _;
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::openapi::{ArgDoc, DescribeArg};

/// Credential bodies larger than this are refused (413) without being parsed.
pub const MAX_BODY_BYTES: usize = 4 * 1024;

const NOT_AN_OBJECT: &str = "Input should be a valid JSON object";

/// Why a credential body was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// 400: a field is missing or is not a string.
    Field {
        /// The field's name.
        field: &'static str,
        /// `Field required` or `Input should be a valid string`.
        msg: &'static str,
    },
    /// 400: not JSON, or not a JSON object.
    Malformed(Cow<'static, str>),
    /// 415: a non-empty body that is not `application/json`.
    ContentType,
    /// 413: longer than [`MAX_BODY_BYTES`].
    TooLarge,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Field { field, msg } => write!(f, "{msg}: `{field}`"),
            Self::Malformed(why) => f.write_str(why),
            Self::ContentType => f.write_str("Content type should be `application/json`"),
            Self::TooLarge => write!(f, "Request body is larger than {MAX_BODY_BYTES} bytes"),
        }
    }
}

impl ResponseError for BodyError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Field { .. } | Self::Malformed(_) => StatusCode::BAD_REQUEST,
            Self::ContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }
}

/// A field as received: a string, or anything else (kept out of error messages).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Text {
    /// A JSON string.
    Str(String),
    /// Any other JSON value.
    Other(IgnoredAny),
}

/// A required string field.
pub(super) fn required(value: Option<Text>, field: &'static str) -> Result<String, BodyError> {
    optional(value, field)?.ok_or(BodyError::Field {
        field,
        msg: "Field required",
    })
}

/// An optional string field (`null` counts as absent).
pub(super) fn optional(
    value: Option<Text>,
    field: &'static str,
) -> Result<Option<String>, BodyError> {
    match value {
        None => Ok(None),
        Some(Text::Str(s)) => Ok(Some(s)),
        Some(Text::Other(_)) => Err(BodyError::Field {
            field,
            msg: "Input should be a valid string",
        }),
    }
}

/// A typed credential body: its wire form and its checked form.
pub trait CredentialBody: Sized + utoipa::ToSchema + 'static {
    /// The body as parsed (fields of [`Text`]); `Default` is the empty body.
    type Raw: DeserializeOwned + Default;

    /// Checks the fields.
    fn check(raw: Self::Raw) -> Result<Self, BodyError>;
}

/// A credential body extractor: `T` read from at most [`MAX_BODY_BYTES`] of JSON.
#[derive(Debug)]
pub struct CredentialJson<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| {
            m.type_() == mime::APPLICATION
                && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
        })
}

fn parse<T: CredentialBody>(bytes: &[u8], json: bool) -> Result<T, BodyError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return T::check(T::Raw::default());
    }
    if !json {
        return Err(BodyError::ContentType);
    }
    // serde would read a struct from an array too, by position
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(BodyError::Malformed(NOT_AN_OBJECT.into()));
    }
    let raw = serde_json::from_slice::<T::Raw>(bytes).map_err(|e| {
        use serde_json::error::Category;
        BodyError::Malformed(match e.classify() {
            // the message names a position, never a value
            Category::Syntax | Category::Eof | Category::Io => {
                format!("JSON parse error: {e}").into()
            }
            // serde's message would quote the value
            Category::Data => NOT_AN_OBJECT.into(),
        })
    })?;
    T::check(raw)
}

impl<T: CredentialBody> FromRequest for CredentialJson<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req.headers());
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
                return Err(BodyError::TooLarge.into());
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk?;
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(BodyError::TooLarge.into());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Self(parse::<T>(&body, json)?))
        })
    }
}

impl<T: CredentialBody> DescribeArg for CredentialJson<T> {
    fn arg_doc() -> ArgDoc {
        ArgDoc::body::<T>("application/json")
    }
}

/// `POST obtain/`: `{"username": "..", "password": ".."}` (named as the reference names it).
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct ObtainTokensPayload {
    /// The login name.
    pub username: String,
    /// The password (never logged or echoed).
    pub password: String,
}

/// The wire form of [`ObtainTokensPayload`].
#[derive(Debug, Default, Deserialize)]
pub struct ObtainRaw {
    #[serde(default)]
    username: Option<Text>,
    #[serde(default)]
    password: Option<Text>,
}

impl CredentialBody for ObtainTokensPayload {
    type Raw = ObtainRaw;

    fn check(raw: ObtainRaw) -> Result<Self, BodyError> {
        Ok(Self {
            username: required(raw.username, "username")?,
            password: required(raw.password, "password")?,
        })
    }
}

/// `POST refresh/` and `POST logout/`: `{"refresh_token": ".."}`. Optional in cookie mode,
/// where the refresh cookie (refresh) or the access cookie (logout) can stand for it.
#[derive(Debug, Clone, Default, utoipa::ToSchema)]
pub struct RefreshTokenPayload {
    /// The refresh token.
    pub refresh_token: Option<String>,
}

/// The wire form of [`RefreshTokenPayload`].
#[derive(Debug, Default, Deserialize)]
pub struct RefreshRaw {
    #[serde(default)]
    refresh_token: Option<Text>,
}

impl CredentialBody for RefreshTokenPayload {
    type Raw = RefreshRaw;

    fn check(raw: RefreshRaw) -> Result<Self, BodyError> {
        Ok(Self {
            refresh_token: optional(raw.refresh_token, "refresh_token")?,
        })
    }
}

/// `POST verify/`: `{"access_token": ".."}`.
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct VerifyTokenPayload {
    /// The access token to check.
    pub access_token: String,
}

/// The wire form of [`VerifyTokenPayload`].
#[derive(Debug, Default, Deserialize)]
pub struct VerifyRaw {
    #[serde(default)]
    access_token: Option<Text>,
}

impl CredentialBody for VerifyTokenPayload {
    type Raw = VerifyRaw;

    fn check(raw: VerifyRaw) -> Result<Self, BodyError> {
        Ok(Self {
            access_token: required(raw.access_token, "access_token")?,
        })
    }
}
