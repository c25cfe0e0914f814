//! What a failed extractor says, in the error model's terms: a status, a `msg` written for the
//! client (never actix's or serde's internal wording, never a quoted value when it can be
//! avoided) and a `loc` naming the part of the request and the field at fault.
//!
//! actix's errors do not always carry the field: serde reports a missing field as
//! ``missing field `password` at line 1 column 20``, a path segment that does not parse as
//! ``can not parse "abc" to a u32``, and a typed header that is absent or malformed only as
//! `invalid Header provided`. The field is then taken from serde's backticks, from the route
//! (a path with one parameter) or from the endpoint's documented headers.

#[cfg(feature = "session")]
mod credential_body;

#[cfg(feature = "session")]
pub use credential_body::{CredentialBodyError, FieldError};

use std::borrow::Cow;

use actix_web::error::{
    InternalError, JsonPayloadError, ParseError, PathError, PayloadError, QueryPayloadError,
    UrlencodedError,
};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, ResponseError as _};

/// `loc` roots, as the reference names them.
const BODY: &str = "parsed_body";
const QUERY: &str = "parsed_query";
const PATH: &str = "parsed_path";
const HEADERS: &str = "parsed_headers";

/// The reference's 400 for a body whose content type no parser of the endpoint reads:
/// `Cannot parse request body with content type 'text/plain', expected=['application/json']`.
pub(crate) fn cannot_parse(content_type: &str, expected: &[&str]) -> String {
    format!(
        "Cannot parse request body with content type {}, expected={}",
        crate::repr::quoted(content_type),
        crate::repr::quoted_list(expected.iter().copied())
    )
}

/// An extractor failure, ready to render.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) msg: Cow<'static, str>,
    pub(crate) loc: Vec<Cow<'static, str>>,
    /// The media type to announce in `Accept-Post` (a 415).
    pub(crate) accept: Option<&'static str>,
    /// The body was left unread: the connection cannot be reused.
    pub(crate) close: bool,
}

impl Failure {
    fn new(
        status: StatusCode,
        msg: impl Into<Cow<'static, str>>,
        loc: Vec<Cow<'static, str>>,
    ) -> Self {
        Self {
            status,
            msg: msg.into(),
            loc,
            accept: None,
            close: false,
        }
    }

    fn bad(msg: impl Into<Cow<'static, str>>, loc: Vec<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, msg, loc)
    }

    fn content_type(expected: &'static str) -> Self {
        Self {
            accept: Some(expected),
            close: true,
            ..Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("Content type must be `{expected}`"),
                vec![HEADERS.into(), "Content-Type".into()],
            )
        }
    }

    fn too_large(limit: usize) -> Self {
        Self {
            close: true,
            ..Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("Request body is too large: at most {limit} bytes"),
                vec![BODY.into()],
            )
        }
    }

    fn payload(e: &PayloadError) -> Self {
        let status = actix_web::ResponseError::status_code(e);
        let msg = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "Request body is too large"
        } else {
            "Incomplete request body"
        };
        Self {
            close: true,
            ..Self::new(status, msg, vec![BODY.into()])
        }
    }

    /// Classifies `error`; `headers` are the header parameters the endpoint documents.
    pub(crate) fn of(error: &actix_web::Error, req: &HttpRequest, headers: &[Box<str>]) -> Self {
        #[cfg(feature = "session")]
        if let Some(e) = error.as_error::<CredentialBodyError>() {
            return Self {
                accept: matches!(e, CredentialBodyError::ContentType).then_some("application/json"),
                close: e.closes_connection(),
                ..Self::new(
                    actix_web::ResponseError::status_code(e),
                    e.msg(),
                    e.loc().into_iter().map(Cow::Borrowed).collect(),
                )
            };
        }
        if let Some(e) = error.as_error::<JsonPayloadError>() {
            return match e {
                // no `Content-Type` at all: HTTP's `text/plain`, which the reference answers
                // with a 400 (another content type is our 415)
                JsonPayloadError::ContentType
                    if !req
                        .headers()
                        .contains_key(actix_web::http::header::CONTENT_TYPE) =>
                {
                    Self {
                        close: true,
                        ..Self::bad(
                            cannot_parse("text/plain", &["application/json"]),
                            Vec::new(),
                        )
                    }
                }
                JsonPayloadError::ContentType => Self::content_type("application/json"),
                JsonPayloadError::OverflowKnownLength { limit, .. }
                | JsonPayloadError::Overflow { limit } => Self::too_large(*limit),
                JsonPayloadError::Deserialize(e) => json(e),
                JsonPayloadError::Payload(e) => Self::payload(e),
                _ => Self::bad("Invalid request body", vec![BODY.into()]),
            };
        }
        if let Some(e) = error.as_error::<UrlencodedError>() {
            return match e {
                UrlencodedError::ContentType => {
                    Self::content_type("application/x-www-form-urlencoded")
                }
                UrlencodedError::Overflow { limit, .. } => Self::too_large(*limit),
                UrlencodedError::Parse(e) => serde_text(BODY, &e.to_string(), None),
                UrlencodedError::Payload(e) => Self::payload(e),
                _ => Self::bad("Invalid form body", vec![BODY.into()]),
            };
        }
        // without a `PathConfig` error handler, `Path<T>` answers serde's error as a 404
        let path = error
            .as_error::<PathError>()
            .map(|e| (StatusCode::BAD_REQUEST, e.to_string()))
            .or_else(|| {
                error
                    .as_error::<InternalError<serde::de::value::Error>>()
                    .map(|e| (e.status_code(), e.to_string()))
            });
        if let Some((status, text)) = path {
            let only = {
                let params = req.match_info();
                let mut names = params.iter().map(|(name, _)| name);
                match (names.next(), names.next()) {
                    (Some(name), None) => Some(name.to_owned()),
                    _ => None,
                }
            };
            let text = text.trim_start_matches("Path deserialize error: ");
            return Failure {
                status,
                ..serde_text(PATH, text, only)
            };
        }
        if let Some(QueryPayloadError::Deserialize(e)) = error.as_error::<QueryPayloadError>() {
            return serde_text(QUERY, &e.to_string(), None);
        }
        if let Some(ParseError::Header) = error.as_error::<ParseError>() {
            return header(req, headers);
        }
        if let Some(e) = error.as_error::<PayloadError>() {
            return Self::payload(e);
        }
        // an extractor of the application's: its own status and words
        let status = error.as_response_error().status_code();
        Self::new(status, error.to_string(), Vec::new())
    }
}

/// A body `Json<T>` could not deserialize.
fn json(e: &serde_json::Error) -> Failure {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => serde_text(BODY, &e.to_string(), None),
        // as the reference: a body that is not JSON has no `loc`
        Category::Syntax | Category::Eof | Category::Io => {
            Failure::bad("JSON decode error", Vec::new())
        }
    }
}

/// A typed header that is absent or does not parse: the first documented header the request
/// lacks is "required"; otherwise the documented header (when there is one) is malformed.
fn header(req: &HttpRequest, documented: &[Box<str>]) -> Failure {
    let named = |name: &str| vec![HEADERS.into(), Cow::Owned(name.to_owned())];
    if let Some(missing) = documented
        .iter()
        .find(|h| !req.headers().contains_key(h.as_ref()))
    {
        return Failure::bad("Field required", named(missing));
    }
    match documented {
        [one] => Failure::bad("Input should be a valid header value", named(one)),
        _ => Failure::bad("Invalid or missing header", vec![HEADERS.into()]),
    }
}

/// A serde message (serde_json, serde_urlencoded, actix's path deserializer) as a failure
/// at `root`: the field from its backticks, its position suffix dropped, values not quoted.
fn serde_text(root: &'static str, text: &str, only_param: Option<String>) -> Failure {
    let text = strip_position(text);
    let at = |field: Option<String>| {
        let mut loc: Vec<Cow<'static, str>> = vec![root.into()];
        loc.extend(field.or(only_param.clone()).map(Cow::Owned));
        loc
    };
    for (prefix, msg) in [
        ("missing field ", "Field required"),
        ("unknown field ", "Extra inputs are not permitted"),
        ("duplicate field ", "Duplicate field"),
    ] {
        if let Some(field) = quoted_after(text, prefix) {
            return Failure::bad(msg, at(Some(field.to_owned())));
        }
    }
    // `invalid type: integer `5`, expected a string`: say what was expected, not what came
    if let Some(expected) = text
        .strip_prefix("invalid type: ")
        .or_else(|| text.strip_prefix("invalid value: "))
        .and_then(|rest| rest.rsplit_once(", expected "))
        .map(|(_, expected)| expected)
    {
        return Failure::bad(
            format!("Input should be {}", expected_kind(expected)),
            at(None),
        );
    }
    // actix's path deserializer: `can not parse "abc" to a u32`
    if let Some((_, ty)) = text
        .strip_prefix("can not parse ")
        .and_then(|rest| rest.rsplit_once(" to a "))
    {
        return Failure::bad(format!("Input should be {}", expected_kind(ty)), at(None));
    }
    if text.contains("invalid digit") || text.contains("number too large") {
        return Failure::bad("Input should be a valid integer", at(None));
    }
    // a message of the application's own `Deserialize` impl, or one serde words otherwise
    Failure::bad(text.to_owned(), at(None))
}

/// `a string` stays; Rust type names become the kind a client knows.
fn expected_kind(expected: &str) -> Cow<'static, str> {
    let kind = match expected.trim() {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "an integer" | "integer" => "a valid integer",
        "f32" | "f64" | "a number" => "a valid number",
        "bool" | "a boolean" => "a valid boolean",
        "a string" | "string" | "str" | "char" | "a character" => "a valid string",
        e if e.starts_with("struct ") || e == "a map" => "a valid dictionary or object",
        e if e.starts_with("a sequence") || e.starts_with("tuple") => "a valid list",
        e => {
            return format!(
                "a valid {}",
                e.trim_start_matches("a ").trim_start_matches("an ")
            )
            .into();
        }
    };
    kind.into()
}

/// The text between the backticks that follow `prefix`.
fn quoted_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &text[text.find(prefix)? + prefix.len()..];
    let rest = rest.strip_prefix('`')?;
    Some(&rest[..rest.find('`')?])
}

/// serde_json's ` at line 1 column 20`, dropped.
fn strip_position(text: &str) -> &str {
    match text.rfind(" at line ") {
        Some(i) if text[i..].contains(" column ") => &text[..i],
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_a_field_and_a_message() {
        let f = serde_text(BODY, "missing field `password` at line 1 column 20", None);
        assert_eq!((f.msg.as_ref(), f.loc.len()), ("Field required", 2));
        assert_eq!(f.loc[1], "password");
        let f = serde_text(
            BODY,
            "invalid type: integer `918273645`, expected a string at line 1 column 9",
            None,
        );
        assert_eq!(f.msg, "Input should be a valid string");
        assert!(!f.msg.contains("918273645"));
        let f = serde_text(PATH, "can not parse \"abc\" to a u32", Some("id".into()));
        assert_eq!(
            (f.msg.as_ref(), f.loc[1].as_ref()),
            ("Input should be a valid integer", "id")
        );
        let f = serde_text(QUERY, "unknown field `pg`, expected `page`", None);
        assert_eq!(
            (f.msg.as_ref(), f.loc[1].as_ref()),
            ("Extra inputs are not permitted", "pg")
        );
    }
}
