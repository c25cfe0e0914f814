//! What a handler's return type contributes to its operation: its responses, their bodies
//! and headers.

use std::borrow::Cow;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use super::{Named, schema_of};

/// The responses a handler's return type documents.
///
/// Built from [`DescribeResponse`] (or, for a hand-built controller, written into
/// [`OperationDoc::response`](super::OperationDoc::response) directly). The first response
/// is the success response the modifiers ([`status`](Self::status),
/// [`header`](Self::header), ..) act on; [`with`](Self::with) adds more.
///
/// ```
/// use actix_web::http::StatusCode;
/// use dmr_runtime::openapi::{HeaderDoc, ResponseDoc};
///
/// #[derive(utoipa::ToSchema)]
/// struct LoginOk {
///     user_id: String,
/// }
///
/// // A login response documents the cookies it sets.
/// let doc = ResponseDoc::json::<LoginOk>()
///     .header("Set-Cookie: sessionid", HeaderDoc::set_cookie("sessionid"))
///     .header(
///         "Set-Cookie: csrftoken",
///         HeaderDoc::set_cookie("csrftoken").description("CSRF protection."),
///     )
///     .with(ResponseDoc::error(StatusCode::UNAUTHORIZED, "Unauthorized"));
/// assert!(doc.is_known());
/// assert!(!ResponseDoc::unknown().is_known());
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResponseDoc {
    pub(crate) responses: Vec<ResponseEntry>,
    pub(crate) components: Vec<Named>,
}

/// One documented response.
#[derive(Debug, Clone)]
pub(crate) struct ResponseEntry {
    /// `None` for `default` (a status chosen at run time).
    pub(crate) status: Option<u16>,
    pub(crate) description: Option<Cow<'static, str>>,
    pub(crate) body: Body,
    pub(crate) headers: Vec<(String, HeaderDoc)>,
}

/// A response body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    Schema {
        media: Cow<'static, str>,
        schema: Box<RefOr<Schema>>,
    },
    /// The endpoint's error model (`application/json`).
    ErrorModel,
}

impl ResponseEntry {
    /// The key under `responses` (`200`, `default`).
    pub(crate) fn key(&self) -> String {
        self.status
            .map_or_else(|| "default".to_owned(), |s| s.to_string())
    }

    /// The description, or the status's reason phrase.
    pub(crate) fn description(&self) -> String {
        if let Some(d) = &self.description {
            return d.clone().into_owned();
        }
        let reason = self
            .status
            .and_then(|s| StatusCode::from_u16(s).ok())
            .and_then(|s| s.canonical_reason());
        match (self.status, reason) {
            (_, Some(reason)) => reason.to_owned(),
            (Some(_), None) => "Response".to_owned(),
            (None, None) => "Response (its status is chosen at run time)".to_owned(),
        }
    }
}

impl ResponseDoc {
    /// Unknown (an `impl Responder`, an `HttpResponse`, or a type OpenAPI does not describe):
    /// documented as a `default` response without content.
    pub fn unknown() -> Self {
        Self::default()
    }

    /// A response with status `status` and no body.
    pub fn new(status: StatusCode, description: impl Into<Cow<'static, str>>) -> Self {
        Self::entry(Some(status.as_u16()), Some(description.into()), Body::Empty)
    }

    /// `200 OK` with a JSON body whose schema is `T`'s.
    pub fn json<T: ToSchema + ?Sized>() -> Self {
        Self::body::<T>("application/json")
    }

    /// `200 OK` with a body of media type `media` whose schema is `T`'s.
    pub fn body<T: ToSchema + ?Sized>(media: impl Into<Cow<'static, str>>) -> Self {
        let mut components = Vec::new();
        let schema = schema_of::<T>(&mut components);
        let mut doc = Self::entry(
            Some(200),
            None,
            Body::Schema {
                media: media.into(),
                schema: Box::new(schema),
            },
        );
        doc.components = components;
        doc
    }

    /// `200 OK` with a `text/plain` string (what actix sends for `String` and `&str`).
    pub fn text() -> Self {
        Self::entry(
            Some(200),
            None,
            Body::Schema {
                media: "text/plain".into(),
                schema: Box::new(String::schema()),
            },
        )
    }

    /// An error response whose body is the endpoint's error model (for statuses the handler
    /// returns itself, like a login view's `401 Unauthorized`).
    pub fn error(status: StatusCode, description: impl Into<Cow<'static, str>>) -> Self {
        Self::entry(
            Some(status.as_u16()),
            Some(description.into()),
            Body::ErrorModel,
        )
    }

    fn entry(status: Option<u16>, description: Option<Cow<'static, str>>, body: Body) -> Self {
        Self {
            responses: vec![ResponseEntry {
                status,
                description,
                body,
                headers: Vec::new(),
            }],
            components: Vec::new(),
        }
    }

    /// Sets the status of the first response.
    pub fn status(mut self, status: StatusCode) -> Self {
        if let Some(first) = self.responses.first_mut() {
            first.status = Some(status.as_u16());
        }
        self
    }

    /// The status `#[endpoint(status = ..)]` declares: the first response gets `status` (the
    /// `default` of `(T, StatusCode)` included), keeping its body and headers; its description
    /// follows, unless it was written by hand. Without any known response, a body-less one
    /// with `status` is documented.
    ///
    /// ```
    /// use actix_web::http::StatusCode;
    /// use dmr_runtime::openapi::{DescribeResponse, ResponseDoc};
    ///
    /// let created = <(actix_web::web::Json<String>, StatusCode)>::response_doc()
    ///     .declared_status(StatusCode::CREATED);
    /// assert!(created.is_known());
    /// assert!(ResponseDoc::unknown().declared_status(StatusCode::ACCEPTED).is_known());
    /// ```
    pub fn declared_status(mut self, status: StatusCode) -> Self {
        let Some(first) = self.responses.first_mut() else {
            return Self::entry(Some(status.as_u16()), None, Body::Empty);
        };
        let old_reason = first
            .status
            .and_then(|s| StatusCode::from_u16(s).ok())
            .and_then(|s| s.canonical_reason());
        if first.description.is_some() && first.description.as_deref() == old_reason {
            first.description = None;
        }
        first.status = Some(status.as_u16());
        self
    }

    /// Makes the first response the `default` one: its status is chosen at run time (as in
    /// `(Json<T>, StatusCode)`).
    pub fn any_status(mut self) -> Self {
        if let Some(first) = self.responses.first_mut() {
            first.status = None;
        }
        self
    }

    /// Sets the description of the first response (default: the status's reason phrase).
    pub fn description(mut self, description: impl Into<Cow<'static, str>>) -> Self {
        if let Some(first) = self.responses.first_mut() {
            first.description = Some(description.into());
        }
        self
    }

    /// Adds a header to the first response, under `name` (the reference keys cookies as
    /// `Set-Cookie: <cookie>`).
    pub fn header(mut self, name: impl Into<String>, header: HeaderDoc) -> Self {
        if let Some(first) = self.responses.first_mut() {
            first.headers.push((name.into(), header));
        }
        self
    }

    /// Adds the responses of `other` after these (a status documented twice keeps the first).
    pub fn with(mut self, other: ResponseDoc) -> Self {
        self.responses.extend(other.responses);
        self.components.extend(other.components);
        self
    }

    /// Whether anything is known about the responses.
    pub fn is_known(&self) -> bool {
        !self.responses.is_empty()
    }
}

/// A response header: its schema, description and whether it is always sent.
///
/// ```
/// use dmr_runtime::openapi::HeaderDoc;
///
/// let json = serde_json::to_string(&HeaderDoc::set_cookie("sessionid").to_utoipa()).unwrap();
/// assert_eq!(json, r#"{"schema":{"type":"string","example":"sessionid=123"},"required":true}"#);
/// ```
#[derive(Debug, Clone)]
pub struct HeaderDoc {
    schema: RefOr<Schema>,
    description: Option<String>,
    required: bool,
}

impl HeaderDoc {
    /// A header with schema `schema`, optional.
    pub fn new(schema: impl Into<RefOr<Schema>>) -> Self {
        Self {
            schema: schema.into(),
            description: None,
            required: false,
        }
    }

    /// A required `Set-Cookie` header setting `cookie`: a string with example `<cookie>=123`
    /// (what django-modern-rest's login views print).
    // `example` (not 3.1's `examples`) is what the reference prints.
    #[allow(deprecated)]
    pub fn set_cookie(cookie: &str) -> Self {
        let schema = ObjectBuilder::new()
            .schema_type(Type::String)
            .example(Some(serde_json::Value::String(format!("{cookie}=123"))))
            .build();
        Self::new(schema).required(true)
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets whether the header is always sent.
    pub fn required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// The utoipa header object. utoipa's `Header` has no `required` field, so it is carried
    /// as a (flattened) extension, which prints as the plain `"required": true` OpenAPI wants.
    pub fn to_utoipa(&self) -> utoipa::openapi::header::Header {
        let mut header = utoipa::openapi::header::HeaderBuilder::new()
            .schema(Some(self.schema.clone()))
            .description(self.description.clone())
            .build();
        if self.required {
            header.extensions = Some([("required", true)].into_iter().collect());
        }
        header
    }
}

/// Implemented by return types that describe their responses to OpenAPI.
///
/// The `#[controller]` expansion calls [`DescribeResponse::response_doc`] once per endpoint,
/// when the API is built ([`ApiBuilder::build`](crate::ApiBuilder::build)), so it may read
/// configuration set before that (cookie names, ..). Implemented here for `Json<T>`
/// (`T: ToSchema`), `String`, `&str`, `Cow<str>`, `Bytes`, `Vec<u8>`, `HttpResponse`
/// (unknown), `(T, StatusCode)` (status chosen at run time), `Result<T, E>` (T's responses),
/// `Result<(), E>` (204) and `Option<T>` (adds 404).
///
/// ```
/// use dmr_runtime::openapi::{DescribeResponse, HeaderDoc, ResponseDoc};
///
/// #[derive(utoipa::ToSchema)]
/// struct LoginOk {
///     user_id: String,
/// }
///
/// /// A login response that sets the session cookie.
/// struct LoggedIn(LoginOk);
///
/// impl DescribeResponse for LoggedIn {
///     fn response_doc() -> ResponseDoc {
///         ResponseDoc::json::<LoginOk>()
///             .header("Set-Cookie: sessionid", HeaderDoc::set_cookie("sessionid"))
///     }
/// }
/// # assert!(LoggedIn::response_doc().is_known());
/// ```
pub trait DescribeResponse {
    /// The responses.
    fn response_doc() -> ResponseDoc;
}

impl<T: ToSchema> DescribeResponse for Json<T> {
    fn response_doc() -> ResponseDoc {
        ResponseDoc::json::<T>()
    }
}

macro_rules! text_responses {
    ($($t:ty),*) => {$(
        impl DescribeResponse for $t {
            fn response_doc() -> ResponseDoc {
                ResponseDoc::text()
            }
        }
    )*};
}

text_responses!(String, &str, Cow<'_, str>);

macro_rules! binary_responses {
    ($($t:ty),*) => {$(
        impl DescribeResponse for $t {
            fn response_doc() -> ResponseDoc {
                let binary = ObjectBuilder::new()
                    .schema_type(Type::String)
                    .content_media_type("application/octet-stream")
                    .build();
                ResponseDoc::entry(
                    Some(200),
                    None,
                    Body::Schema { media: "application/octet-stream".into(), schema: Box::new(binary.into()) },
                )
            }
        }
    )*};
}

binary_responses!(Bytes, Vec<u8>);

impl DescribeResponse for HttpResponse {
    fn response_doc() -> ResponseDoc {
        ResponseDoc::unknown()
    }
}

impl<T: DescribeResponse> DescribeResponse for (T, StatusCode) {
    fn response_doc() -> ResponseDoc {
        T::response_doc().any_status()
    }
}

impl<T: DescribeResponse, E> DescribeResponse for Result<T, E> {
    fn response_doc() -> ResponseDoc {
        T::response_doc()
    }
}

impl<E> DescribeResponse for Result<(), E> {
    fn response_doc() -> ResponseDoc {
        ResponseDoc::new(StatusCode::NO_CONTENT, "No Content")
    }
}

impl<T: DescribeResponse> DescribeResponse for Option<T> {
    fn response_doc() -> ResponseDoc {
        T::response_doc().with(ResponseDoc::new(StatusCode::NOT_FOUND, "Not Found"))
    }
}
