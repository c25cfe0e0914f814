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

mod default_model;
mod schema;

pub use default_model::DefaultErrorModel;
pub use schema::ErrorSchema;

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
