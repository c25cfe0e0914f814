//! [`CredentialBodyError`]: why a credential body was refused, rendered with the reference's
//! error body; every bad field of one body is reported in one response ([`FieldError`]).

use std::borrow::Cow;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};

use super::cannot_parse;
use crate::error::{DefaultErrorModel, ErrorItem, VALUE_ERROR};

/// Why a [`CredentialBody`](crate::backends::credentials::CredentialBody) was refused; rendered through the error
/// model with type `value_error` and, where the fault has a place, its location
/// ([`CredentialBodyError::loc`]), as the reference renders it:
/// `{"detail":[{"msg":"Field required","loc":["parsed_body","username"],"type":"value_error"},
/// {"msg":"Field required","loc":["parsed_body","password"],"type":"value_error"}]}`.
/// No message quotes the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialBodyError {
    /// 415 ``Content type must be `application/json` `` (at `Content-Type`), with
    /// `Accept-Post: application/json`: content whose `Content-Type` is not JSON.
    ContentType,
    /// 400 `Cannot parse request body with content type 'text/plain',
    /// expected=['application/json']` (no `loc`): a request without `Content-Type` (which
    /// HTTP reads as `text/plain`) whose body is required, or that has content.
    NoContentType,
    /// 400 `JSON decode error` (no `loc`): not well-formed JSON.
    Malformed,
    /// 400 `Input should be a valid dictionary` (at `parsed_body`): JSON that is not an
    /// object (`[]`, `"x"`, `1`), or no content at all under a JSON `Content-Type`.
    NotAnObject,
    /// 400: fields missing or not strings, every one of them, in declaration order
    /// ([`CredentialField::require`], [`CredentialBodyError::all`]).
    ///
    /// [`CredentialField::require`]: crate::backends::credentials::CredentialField::require
    Fields(Vec<FieldError>),
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

/// One bad field of a credential body: its name and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name.
    pub field: &'static str,
    /// `Field required` or `Input should be a valid string`.
    pub msg: &'static str,
}

/// `loc` of errors about the body as a whole.
const BODY: &str = "parsed_body";
/// `loc` of a wrong content type.
const CONTENT_TYPE: &[&str] = &["parsed_headers", "Content-Type"];
/// What a request without `Content-Type` is read as (RFC 9110 section 8.3: the recipient
/// may assume `text/plain`; so does the reference's server).
const ASSUMED_CONTENT_TYPE: &str = "text/plain";
/// The content types a credential body is parsed from.
const EXPECTED: &[&str] = &["application/json"];

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
    pub fn missing(field: &'static str) -> Self {
        Self::field(field, "Field required")
    }

    /// The 400 `msg` at `field`.
    pub(crate) fn field(field: &'static str, msg: &'static str) -> Self {
        Self::Fields(vec![FieldError { field, msg }])
    }

    /// Both results, or every field error of the two, in order (so that a body missing two
    /// fields is told about both at once); an error that is not about fields wins.
    ///
    /// ```
    /// use dmr_runtime::backends::credentials::{CredentialBodyError, CredentialField};
    ///
    /// let both = CredentialBodyError::all(
    ///     CredentialField::Missing.require("username"),
    ///     CredentialField::NotString.require("password"),
    /// );
    /// let err = both.unwrap_err();
    /// let fields: Vec<_> = err.fields().iter().map(|f| (f.field, f.msg)).collect();
    /// assert_eq!(
    ///     fields,
    ///     [("username", "Field required"), ("password", "Input should be a valid string")]
    /// );
    /// ```
    pub fn all<A, B>(a: Result<A, Self>, b: Result<B, Self>) -> Result<(A, B), Self> {
        match (a, b) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (Err(Self::Fields(mut first)), Err(Self::Fields(second))) => {
                first.extend(second);
                Err(Self::Fields(first))
            }
            (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
            // an error about the whole body wins over field errors
            (Err(Self::Fields(_)), Err(e)) | (Err(e), Err(_)) => Err(e),
        }
    }

    /// The bad fields, in declaration order (empty for errors about the whole body).
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Self::Fields(fields) => fields,
            _ => &[],
        }
    }

    /// The `msg` of the error body (of its first item when several fields are bad; the field
    /// is in [`CredentialBodyError::loc`]).
    pub fn msg(&self) -> Cow<'static, str> {
        match self {
            Self::ContentType => "Content type must be `application/json`".into(),
            Self::NoContentType => cannot_parse(ASSUMED_CONTENT_TYPE, EXPECTED).into(),
            Self::Malformed => "JSON decode error".into(),
            Self::NotAnObject => "Input should be a valid dictionary".into(),
            Self::Fields(fields) => fields
                .first()
                .map_or("Invalid request body", |f| f.msg)
                .into(),
            Self::Incomplete => "Incomplete request body".into(),
            Self::Timeout => "Request body took too long to arrive".into(),
            Self::TooLarge { limit } => {
                format!("Request body is too large: at most {limit} bytes").into()
            }
        }
    }

    /// The `loc` of the error body (of its first item): `["parsed_body", "<field>"]` for a
    /// field, `["parsed_headers", "Content-Type"]` for the content type, nothing for a body
    /// that is not JSON or has no content type (as the reference), `["parsed_body"]`
    /// otherwise.
    pub fn loc(&self) -> Vec<&'static str> {
        match self {
            Self::Fields(fields) => fields.first().map_or(vec![BODY], |f| vec![BODY, f.field]),
            Self::ContentType => CONTENT_TYPE.to_vec(),
            Self::NoContentType | Self::Malformed => Vec::new(),
            _ => vec![BODY],
        }
    }

    /// Whether the rest of the body was left unread, so the connection cannot be reused.
    pub fn closes_connection(&self) -> bool {
        matches!(
            self,
            Self::Timeout
                | Self::TooLarge { .. }
                | Self::Incomplete
                | Self::ContentType
                | Self::NoContentType
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
            Self::Fields(fields) => {
                for (i, FieldError { field, msg }) in fields.iter().enumerate() {
                    let sep = if i == 0 { "" } else { "; " };
                    write!(f, "{sep}{msg}: `{field}`")?;
                }
                Ok(())
            }
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
        let body = match self {
            Self::Fields(fields) => {
                let locs: Vec<[&str; 2]> = fields.iter().map(|f| [BODY, f.field]).collect();
                let items: Vec<ErrorItem<'_>> = fields
                    .iter()
                    .zip(&locs)
                    .map(|(f, loc)| ErrorItem::new(f.msg).with_kind(VALUE_ERROR).with_loc(loc))
                    .collect();
                DefaultErrorModel::render_all_bytes(&items)
            }
            _ => {
                let (msg, loc) = (self.msg(), self.loc());
                let item = ErrorItem::new(&msg).with_kind(VALUE_ERROR).with_loc(&loc);
                DefaultErrorModel::render_all_bytes(&[item])
            }
        };
        let mut resp = HttpResponse::build(self.status_code())
            .content_type("application/json")
            .body(body);
        self.finish(&mut resp);
        resp
    }
}
