//! Error bodies: the replaceable [`ErrorModel`] and the responses auth failures turn into.
//!
//! By default ([`DefaultErrorModel`]) an error answers `{"detail":[{"msg":..,"type":..}]}`,
//! as django-modern-rest does. A controller renders its errors (401, 403, 406, and the 400s of
//! its extractors) with another model through `error_model`:
//!
//! ```
//! use actix_web::{App, test};
//! use dmr_runtime::backends::basic::HttpBasic;
//! use dmr_runtime::error::{ErrorItem, ErrorModel};
//! use dmr_runtime::prelude::*;
//!
//! /// Renders `{"error":"<message>"}`.
//! struct Flat;
//!
//! impl ErrorModel for Flat {
//!     fn render(item: &ErrorItem<'_>) -> serde_json::Value {
//!         serde_json::json!({ "error": item.msg })
//!     }
//! }
//!
//! struct Notes;
//!
//! #[controller(path = "/notes", auth = [HttpBasic::new(|_, _| false)], error_model = Flat)]
//! impl Notes {
//!     #[endpoint(get, path = "/")]
//!     async fn list() -> &'static str {
//!         "[]"
//!     }
//! }
//!
//! # actix_web::rt::System::new().block_on(async {
//! let api = Api::new().controller::<Notes>().build().unwrap();
//! let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
//! let resp = test::call_service(&app, test::TestRequest::get().uri("/notes/").to_request()).await;
//! assert_eq!(resp.status(), 401);
//! assert_eq!(test::read_body(resp).await, r#"{"error":"Not authenticated"}"#);
//! # });
//! ```

use std::borrow::Cow;

use actix_web::HttpResponse;
use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use serde::Serialize;

use crate::auth::{AuthError, Challenge};

/// One error to render: a message and, for most errors, a type (`security`, `value_error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorItem<'a> {
    /// Human-readable message (`Not authenticated`).
    pub msg: &'a str,
    /// Error type (`security` for auth failures); `None` for CSRF failures.
    pub kind: Option<&'a str>,
}

/// How error bodies look. Replace it per controller with
/// `#[controller(error_model = MyModel)]`.
///
/// # Example
///
/// ```
/// use dmr_runtime::error::{ErrorItem, ErrorModel};
///
/// /// Renders `{"error":[{"message":"Not authenticated"}]}`.
/// struct Flat;
///
/// impl ErrorModel for Flat {
///     fn render(item: &ErrorItem<'_>) -> serde_json::Value {
///         serde_json::json!({"error": [{"message": item.msg}]})
///     }
/// }
///
/// let body = Flat::render(&ErrorItem { msg: "Not authenticated", kind: Some("security") });
/// assert_eq!(body.to_string(), r#"{"error":[{"message":"Not authenticated"}]}"#);
/// ```
pub trait ErrorModel: 'static {
    /// The JSON body for one error.
    fn render(item: &ErrorItem<'_>) -> serde_json::Value;

    /// The body as bytes; override to skip the intermediate `Value`.
    fn render_bytes(item: &ErrorItem<'_>) -> Vec<u8> {
        serde_json::to_vec(&Self::render(item)).unwrap_or_default()
    }

    /// The OpenAPI schema of the bodies [`ErrorModel::render`] produces: the component every
    /// documented error response (401, 403, 406, ..) references, and the components it needs.
    ///
    /// The default is the reference's `ErrorModel` and `ErrorDetail`, byte for byte, which
    /// is right for [`DefaultErrorModel`]. A replaced model should describe its own body, for
    /// example with [`ErrorSchema::of`] on a type deriving `utoipa::ToSchema`.
    fn schema() -> ErrorSchema {
        ErrorSchema::reference()
    }
}

/// The OpenAPI components that describe an [`ErrorModel`]'s bodies.
///
/// Components are kept as JSON text and printed verbatim into the document, so their key
/// order is exactly what is written here. Two error models that name a component the same
/// but define it differently make [`ApiBuilder::build`](crate::ApiBuilder::build) fail.
///
/// # Example
///
/// ```
/// use dmr_runtime::error::ErrorSchema;
///
/// let schema = ErrorSchema::new("FlatError").component(
///     "FlatError",
///     r#"{"type":"object","properties":{"error":{"type":"array","items":{"type":"object"}}}}"#,
/// );
/// assert_eq!(schema.name, "FlatError");
/// assert_eq!(ErrorSchema::reference().components.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorSchema {
    /// The component error responses reference (`#/components/schemas/<name>`).
    pub name: Cow<'static, str>,
    /// Every component to print, as `(name, JSON text)`, in order.
    pub components: Vec<(Cow<'static, str>, Cow<'static, str>)>,
}

/// django-modern-rest's `ErrorDetail` component, byte for byte.
const ERROR_DETAIL: &str = r##"{"properties":{"msg":{"type":"string","title":"Msg"},"type":{"type":"string","title":"Type"},"loc":{"items":{"anyOf":[{"type":"integer"},{"type":"string"}]},"type":"array","title":"Loc"}},"type":"object","required":["msg"],"title":"ErrorDetail","description":"Base schema for error details description."}"##;

/// django-modern-rest's `ErrorModel` component, byte for byte.
const ERROR_MODEL: &str = r##"{"properties":{"detail":{"items":{"$ref":"#/components/schemas/ErrorDetail"},"type":"array","title":"Detail"}},"type":"object","required":["detail"],"title":"ErrorModel","description":"Default error response schema.\n\nCan be customized.\nSee :ref:`customizing-error-messages` for more details."}"##;

impl ErrorSchema {
    /// A schema whose responses reference the component `name` (add it with
    /// [`ErrorSchema::component`]).
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Self {
            name: name.into(),
            components: Vec::new(),
        }
    }

    /// Adds a component given as JSON text (checked when the API is built).
    pub fn component(
        mut self,
        name: impl Into<Cow<'static, str>>,
        json: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.components.push((name.into(), json.into()));
        self
    }

    /// The reference's `ErrorModel` (referenced) and `ErrorDetail` components.
    pub fn reference() -> Self {
        Self::new("ErrorModel")
            .component("ErrorDetail", ERROR_DETAIL)
            .component("ErrorModel", ERROR_MODEL)
    }

    /// The schema of a type deriving `utoipa::ToSchema`, with the components it refers to.
    ///
    /// ```
    /// use dmr_runtime::error::ErrorSchema;
    ///
    /// #[derive(utoipa::ToSchema)]
    /// struct Problem {
    ///     title: String,
    /// }
    ///
    /// let schema = ErrorSchema::of::<Problem>();
    /// assert_eq!(schema.name, "Problem");
    /// assert!(schema.components[0].1.contains(r#""title""#));
    /// ```
    pub fn of<T: utoipa::ToSchema>() -> Self {
        let mut nested = Vec::new();
        T::schemas(&mut nested);
        let name = T::name().into_owned();
        let text = |s: &utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>| {
            Cow::Owned(serde_json::to_string(s).unwrap_or_default())
        };
        let mut schema = Self::new(name.clone()).component(name, text(&T::schema()));
        for (n, s) in &nested {
            schema = schema.component(n.clone(), text(s));
        }
        schema
    }
}

/// The reference's error body: `{"detail":[{"msg":"Not authenticated","type":"security"}]}`.
///
/// ```
/// use dmr_runtime::error::{DefaultErrorModel, ErrorItem, ErrorModel};
///
/// let bytes = DefaultErrorModel::render_bytes(&ErrorItem { msg: "Not authenticated", kind: Some("security") });
/// assert_eq!(bytes, br#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultErrorModel;

#[derive(Serialize)]
struct DefaultBody<'a> {
    detail: [DefaultDetail<'a>; 1],
}

#[derive(Serialize)]
struct DefaultDetail<'a> {
    msg: &'a str,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
}

impl ErrorModel for DefaultErrorModel {
    fn render(item: &ErrorItem<'_>) -> serde_json::Value {
        serde_json::to_value(Self::body(item)).unwrap_or_default()
    }

    fn render_bytes(item: &ErrorItem<'_>) -> Vec<u8> {
        serde_json::to_vec(&Self::body(item)).unwrap_or_default()
    }
}

impl DefaultErrorModel {
    fn body<'a>(item: &ErrorItem<'a>) -> DefaultBody<'a> {
        DefaultBody {
            detail: [DefaultDetail {
                msg: item.msg,
                kind: item.kind,
            }],
        }
    }
}

/// The error type of auth failures.
pub const SECURITY: &str = "security";
/// The error type of request parsing failures.
pub const VALUE_ERROR: &str = "value_error";
/// The error type of content negotiation failures.
pub const NOT_ACCEPTABLE: &str = "not_acceptable";

/// A function that renders an [`ErrorItem`] to JSON bytes (an [`ErrorModel`] made a value).
pub type RenderFn = fn(&ErrorItem<'_>) -> Vec<u8>;

/// The reference's 401 body.
const REFERENCE_401: &[u8] = br#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#;

/// How one endpoint answers errors: its error model and, for 401s, its challenges.
#[derive(Clone, Debug)]
pub struct ErrorResponder {
    render: RenderFn,
    /// The chain's challenges, each once, in order of first appearance.
    challenges: Box<[Box<str>]>,
    /// `challenges` joined: the header every 401 sends unless an auth refined its challenge.
    challenge: Option<HeaderValue>,
    /// The reference 401 body when the error model renders exactly that (a deterministic
    /// model, in practice [`DefaultErrorModel`]): the all-skipped answer then costs no
    /// serialization and no allocation. `None`: render per response.
    not_authenticated: Option<Bytes>,
}

impl ErrorResponder {
    pub(crate) fn new(render: RenderFn, challenges: &[String]) -> Self {
        // A challenge that is not a valid header value is left out on its own, so it cannot
        // take the others with it. An auth reachable through two layers (the same `HttpBasic`
        // in the scope and the settings) challenges once: the first occurrence keeps its place.
        let mut valid: Vec<Box<str>> = Vec::with_capacity(challenges.len());
        for c in challenges {
            if HeaderValue::from_str(c).is_ok() && !valid.iter().any(|v| **v == **c) {
                valid.push(c.as_str().into());
            }
        }
        let challenge = (!valid.is_empty())
            .then(|| HeaderValue::from_str(&valid.join(", ")).ok())
            .flatten();
        let default_401 = ErrorItem {
            msg: AuthError::DEFAULT_MESSAGE,
            kind: Some(SECURITY),
        };
        let not_authenticated =
            (render(&default_401) == REFERENCE_401).then(|| Bytes::from_static(REFERENCE_401));
        Self {
            render,
            challenges: valid.into_boxed_slice(),
            challenge,
            not_authenticated,
        }
    }

    /// The `WWW-Authenticate` value with `refined` in place of the challenge it refines;
    /// `None` when the chain does not declare that challenge (nothing to refine) or the result
    /// is not a valid header value.
    fn refined(&self, refined: &Challenge) -> Option<HeaderValue> {
        if !self.challenges.iter().any(|c| **c == *refined.base()) {
            return None;
        }
        let rendered = refined.render();
        let value = self
            .challenges
            .iter()
            .map(|c| {
                if **c == *refined.base() {
                    rendered.as_str()
                } else {
                    c
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        HeaderValue::from_str(&value).ok()
    }

    /// A JSON error response rendered through the error model.
    pub fn item(&self, status: StatusCode, msg: &str, kind: Option<&str>) -> HttpResponse {
        let body = (self.render)(&ErrorItem { msg, kind });
        Self::json(status, body)
    }

    fn json(status: StatusCode, body: impl MessageBody + 'static) -> HttpResponse {
        HttpResponse::build(status)
            .insert_header((
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ))
            .body(body)
    }

    /// The response for an auth failure (401 carries `WWW-Authenticate` when the chain has
    /// header-based schemes, each challenge once; an auth that refused a credential may have
    /// refined its own, see [`Challenge`]).
    pub fn auth(&self, error: &AuthError) -> HttpResponse {
        match error {
            AuthError::NotAuthenticated { message, challenge } => {
                let mut resp = match (message, &self.not_authenticated) {
                    (None, Some(body)) => Self::json(StatusCode::UNAUTHORIZED, body.clone()),
                    (msg, _) => {
                        let msg = msg.as_deref().unwrap_or(AuthError::DEFAULT_MESSAGE);
                        self.item(StatusCode::UNAUTHORIZED, msg, Some(SECURITY))
                    }
                };
                let value = match challenge {
                    Some(refined) => self.refined(refined).or_else(|| self.challenge.clone()),
                    None => self.challenge.clone(),
                };
                if let Some(value) = value {
                    resp.headers_mut().insert(header::WWW_AUTHENTICATE, value);
                }
                resp
            }
            AuthError::Rejected { status, message } => self.item(*status, message, None),
            AuthError::Api { status, body } => HttpResponse::build(*status).json(body),
        }
    }

    /// The response for a failed extractor (bad path, query or body): its status, its text.
    pub fn extract(&self, error: &actix_web::Error) -> HttpResponse {
        // `Authed<T>` finding no `T` is an auth failure, answered like one (type `security`,
        // with the chain's challenges), not a parse error.
        if error.as_error::<crate::NoIdentity>().is_some() {
            return self.auth(&AuthError::not_authenticated());
        }
        let status = error.as_response_error().status_code();
        let msg: Cow<'_, str> = error.to_string().into();
        self.item(status, &msg, Some(VALUE_ERROR))
    }

    /// The 406 for an `Accept` header that excludes JSON.
    pub fn not_acceptable(&self) -> HttpResponse {
        self.item(
            StatusCode::NOT_ACCEPTABLE,
            "Provided `Accept` header cannot be satisfied, supported: application/json",
            Some(NOT_ACCEPTABLE),
        )
    }

    /// A 500 for a failure on our side (the blocking pool went away).
    pub fn internal(&self) -> HttpResponse {
        self.item(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal server error",
            None,
        )
    }
}

/// The render function of an error model.
pub fn render_fn<M: ErrorModel>() -> RenderFn {
    M::render_bytes
}
