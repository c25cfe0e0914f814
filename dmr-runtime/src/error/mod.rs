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

use serde::Serialize;

mod responder;

pub(crate) use responder::view_refusal;
pub use responder::{ErrorResponder, NoIdentity};

/// One error to render: a message, for most errors a type (`security`, `value_error`), and
/// for request parsing errors where the fault lies (`loc`).
///
/// A custom [`ErrorModel`] reads the fields it wants and ignores the others; new fields may be
/// added, so build items with [`ErrorItem::new`] and the `with_..` methods:
///
/// ```
/// use dmr_runtime::error::{ErrorItem, VALUE_ERROR};
///
/// let loc = ["parsed_body", "password"];
/// let item = ErrorItem::new("Field required").with_kind(VALUE_ERROR).with_loc(&loc);
/// assert_eq!((item.msg, item.kind, item.loc), ("Field required", Some("value_error"), &loc[..]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ErrorItem<'a> {
    /// Human-readable message (`Not authenticated`).
    pub msg: &'a str,
    /// Error type (`security` for auth failures); `None` for CSRF failures.
    pub kind: Option<&'a str>,
    /// Where the fault lies, outermost first: `["parsed_body", "password"]`,
    /// `["parsed_query", "page"]`, `["parsed_path", "id"]`, `["parsed_headers", "X-API-Token"]`,
    /// `["parsed_body"]` for a body that is not JSON at all; empty for errors that are not about
    /// one part of the request (auth, throttling).
    pub loc: &'a [&'a str],
}

impl<'a> ErrorItem<'a> {
    /// An item with this message, no type and no location.
    pub const fn new(msg: &'a str) -> Self {
        Self {
            msg,
            kind: None,
            loc: &[],
        }
    }

    /// Sets the error type.
    pub const fn with_kind(mut self, kind: &'a str) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Sets the location.
    pub const fn with_loc(mut self, loc: &'a [&'a str]) -> Self {
        self.loc = loc;
        self
    }
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
/// let body = Flat::render(&ErrorItem::new("Not authenticated").with_kind("security"));
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

/// The reference's error body: `{"detail":[{"msg":"Not authenticated","type":"security"}]}`,
/// with `loc` between `msg` and `type` when the item has one (`type` and `loc` are left out
/// when absent).
///
/// ```
/// use dmr_runtime::error::{DefaultErrorModel, ErrorItem, ErrorModel};
///
/// let item = ErrorItem::new("Not authenticated").with_kind("security");
/// let bytes = DefaultErrorModel::render_bytes(&item);
/// assert_eq!(bytes, br#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#);
///
/// let loc = ["parsed_body", "password"];
/// let item = ErrorItem::new("Field required").with_kind("value_error").with_loc(&loc);
/// assert_eq!(
///     DefaultErrorModel::render_bytes(&item),
///     br#"{"detail":[{"msg":"Field required","loc":["parsed_body","password"],"type":"value_error"}]}"#
/// );
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
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    loc: &'a [&'a str],
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
                loc: item.loc,
                kind: item.kind,
            }],
        }
    }
}

/// The error type of auth failures.
pub const SECURITY: &str = "security";
/// The error type of request parsing failures.
pub const VALUE_ERROR: &str = "value_error";

/// A function that renders an [`ErrorItem`] to JSON bytes (an [`ErrorModel`] made a value).
pub type RenderFn = fn(&ErrorItem<'_>) -> Vec<u8>;

/// The render function of an error model.
pub fn render_fn<M: ErrorModel>() -> RenderFn {
    M::render_bytes
}
