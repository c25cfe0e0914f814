//! The API's OpenAPI document, generated from the same `#[controller]` / `#[endpoint]`
//! declarations that build the auth chains: no security string is written twice.
//!
//! Turn it on with [`ApiBuilder::openapi`](crate::ApiBuilder::openapi) (title, version,
//! OpenAPI 3.1.0 or 3.2.0) and [`ApiBuilder::docs`](crate::ApiBuilder::docs) (serves
//! `GET <docs>/openapi.json` and Swagger UI at `GET <docs>/`, assets compiled in), or read it
//! with [`Api::openapi_json`](crate::Api::openapi_json) and [`Api::openapi`](crate::Api::openapi).
//!
//! ```
//! use dmr_runtime::backends::basic::HttpBasic;
//! use dmr_runtime::openapi::{OpenApiConfig, OpenApiVersion};
//! use dmr_runtime::prelude::*;
//!
//! struct Reports;
//!
//! #[controller(path = "/reports", auth = [HttpBasic::new(|u, p| u == "ops" && p == "s3cret")])]
//! impl Reports {
//!     /// Today's report.
//!     #[endpoint(get, path = "/today")]
//!     async fn today() -> String {
//!         "all good".to_owned()
//!     }
//! }
//!
//! let api = Api::new()
//!     .openapi(OpenApiConfig::new("Reports", "1.0.0").openapi_version(OpenApiVersion::V3_2))
//!     .docs("/docs")
//!     .controller::<Reports>()
//!     .build()
//!     .unwrap();
//! let doc: serde_json::Value = serde_json::from_str(api.openapi_json()).unwrap();
//! let op = &doc["paths"]["/reports/today"]["get"];
//! assert_eq!(op["operationId"], "getReportsToday");
//! assert_eq!(op["summary"], "Today's report.");
//! assert_eq!(op["security"], serde_json::json!([{"http_basic": []}]));
//! assert_eq!(op["responses"]["401"]["description"], "Raised when auth was not successful");
//! assert_eq!(doc["openapi"], "3.2.0");
//! ```
//!
//! # What each operation says
//!
//! * **Path and method** from the route (scope prefix applied; `{id:\d+}` becomes `{id}`),
//!   the **controller** as its tag, **summary** and **description** from the doc comment,
//!   `deprecated` from the attribute (always printed, `false` by default).
//! * **`operationId`**: `operation_id = ".."` from the attribute, or the reference's rule: the
//!   method in lower case followed by each path segment with `{}` dropped, split on `-._~`,
//!   each part capitalized (`GET /api/users/{user_id}` is `getApiUsersUserId`). Two operations
//!   with one id make [`ApiBuilder::build`](crate::ApiBuilder::build) fail.
//! * **Parameters and body** from the argument types ([`DescribeArg`]): `Json<T>`/`Form<T>`
//!   with `T: utoipa::ToSchema`, `Query<T>`/`Path<T>` with `T: utoipa::IntoParams`, and
//!   `Path<(A, B)>`/`Path<A>`, named by their position in the path template. Every template
//!   name is documented (as a string when no argument describes it).
//! * **Responses** from the return type ([`DescribeResponse`]), its success response under the
//!   status `#[endpoint(status = 201)]` declares (see [`ResponseDoc::declared_status`]), then,
//!   where that status is not declared: `400` (when there is a body or a non-path parameter to
//!   parse), `406` on every operation, `401` when the chain is not empty and `403` when an auth
//!   checks CSRF and the method is unsafe (not `GET`, `HEAD`, `OPTIONS`, `TRACE`; its
//!   description names the `X-CSRFToken` header), all referencing the controller's error model
//!   ([`ErrorModel::schema`](crate::error::ErrorModel::schema)).
//! * **Security**: one requirement object per auth of the effective chain (endpoint,
//!   controller, scope, settings), in chain order, with all of an auth's schemes in its object,
//!   each distinct object once (the same auth in two layers is listed where it first appears);
//!   no `security` key at all when the chain is empty or disabled.
//!
//! `components.securitySchemes` holds every scheme used, printed from the auths'
//! [`SchemeDoc`](crate::auth::SchemeDoc)s with the reference's key order; two different schemes under one name make
//! the build fail with [`ApiError::SchemeConflict`](crate::ApiError::SchemeConflict).
//! `components.schemas` holds the error model components verbatim and the `ToSchema` types
//! (named objects with properties are referenced, everything else is inlined).
//!
//! # Documenting headers of a response (login views, cookies)
//!
//! A response type documents extra headers through [`DescribeResponse`] with
//! [`ResponseDoc::header`] and [`HeaderDoc`]. The session login view documents the cookies
//! it sets like this, as django-modern-rest's login views do:
//!
//! ```
//! use dmr_runtime::openapi::{DescribeResponse, HeaderDoc, ResponseDoc};
//!
//! #[derive(serde::Serialize, utoipa::ToSchema)]
//! struct LoginBody {
//!     user_id: String,
//! }
//!
//! struct LoginResponse(LoginBody);
//!
//! impl DescribeResponse for LoginResponse {
//!     // called when the API is built, so it may read configured cookie names
//!     fn response_doc() -> ResponseDoc {
//!         ResponseDoc::json::<LoginBody>()
//!             .header("Set-Cookie: sessionid", HeaderDoc::set_cookie("sessionid"))
//!             .header(
//!                 "Set-Cookie: csrftoken",
//!                 HeaderDoc::set_cookie("csrftoken").description("CSRF protection."),
//!             )
//!     }
//! }
//! # let _ = LoginResponse::response_doc();
//! ```
//!
//! The 200 response then prints `"headers": {"Set-Cookie: csrftoken": {"schema": {"type":
//! "string", "example": "csrftoken=123"}, "description": "CSRF protection.", "required": true},
//! "Set-Cookie: sessionid": {..}}`. A controller that builds its endpoints by hand fills
//! [`OperationDoc::response`] with the same [`ResponseDoc`] at run time.

mod build;
mod config;
mod document;
mod schema;
mod security;
mod template;
mod throttle;

pub use crate::description::probe;
pub use crate::description::{
    ArgDoc, DescribeArg, DescribeResponse, HeaderDoc, OperationDoc, ResponseDoc,
};
pub use config::{OpenApiConfig, OpenApiVersion};

pub(crate) use build::{Mounted, build};
pub(crate) use document::Document;

pub use crate::auth::AuthDoc;
