//! The description of an endpoint: what it is, independent of how it is served or
//! documented. The `#[controller]` expansion writes one [`EndpointSpec`] per endpoint; the
//! pipeline, the actix mounting (`api`) and the OpenAPI document (`openapi`) all read it, and
//! none of them reads another.
//!
//! It speaks HTTP's vocabulary (methods and status codes, the `http` types actix re-exports)
//! and utoipa's schema values (how a type describes its shape with `ToSchema`); it serves no
//! request and builds no document.

mod arg;
mod endpoint;
mod need;
mod operation;
pub mod probe;
pub(crate) mod response;
mod schema;
mod status;

pub use arg::{ArgDoc, DescribeArg};
pub(crate) use arg::{ParamDoc, path_param};
pub use endpoint::EndpointSpec;
pub use need::IdentityNeed;
pub use operation::OperationDoc;
pub use response::{DescribeResponse, HeaderDoc, ResponseDoc};
pub(crate) use schema::{Named, schema_of};
pub use status::{declared_response_doc, declared_status};
