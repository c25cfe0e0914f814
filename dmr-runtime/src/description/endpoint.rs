//! What one endpoint is, as the `#[controller]` expansion writes it: its controller and name,
//! method and path, kind, which layers below it apply, its error model, its declared status
//! and its documentation.

use actix_web::http::Method;

use super::OperationDoc;
use crate::error::RenderFn;

/// The static facts of one endpoint, written by the `#[controller]` expansion.
#[doc(hidden)]
pub struct EndpointSpec {
    pub controller: &'static str,
    pub name: &'static str,
    pub method: Method,
    pub path: &'static str,
    pub sync: bool,
    /// `false` when the endpoint or its controller says `auth = none`.
    pub inherit: bool,
    /// `false` when the endpoint or its controller says `throttle = none`.
    pub inherit_throttles: bool,
    pub render: RenderFn,
    /// `#[endpoint(status = 201)]`.
    pub status: Option<u16>,
    pub doc: OperationDoc,
}
