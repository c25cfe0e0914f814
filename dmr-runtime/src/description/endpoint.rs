//! What one endpoint is, as the `#[controller]` expansion writes it: its controller and name,
//! method and path, kind, which layers below it apply, its error model, its declared status
//! and its documentation.

use actix_web::http::Method;

use super::OperationDoc;
use crate::error::{ErrorModel, ErrorSchema, RenderFn, render_fn};

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
    /// Renders the endpoint's errors (its controller's error model).
    pub render: RenderFn,
    /// The schema of that error model, which every documented error response references.
    pub error_schema: fn() -> ErrorSchema,
    /// `#[endpoint(status = 201)]`.
    pub status: Option<u16>,
    pub doc: OperationDoc,
}

impl EndpointSpec {
    /// An `async fn` endpoint whose errors the model `M` renders, under every layer below it,
    /// without a declared status or documentation: what the expansion's struct update starts
    /// from.
    ///
    /// ```
    /// use dmr_runtime::__private::{EndpointSpec, Method};
    /// use dmr_runtime::error::DefaultErrorModel;
    ///
    /// let spec = EndpointSpec { sync: true, ..EndpointSpec::of::<DefaultErrorModel>("Reports", "list", Method::GET, "/reports/") };
    /// assert!(spec.sync && spec.inherit && spec.status.is_none());
    /// assert_eq!((spec.error_schema)().name, "ErrorModel");
    /// ```
    pub fn of<M: ErrorModel>(
        controller: &'static str,
        name: &'static str,
        method: Method,
        path: &'static str,
    ) -> Self {
        Self {
            controller,
            name,
            method,
            path,
            sync: false,
            inherit: true,
            inherit_throttles: true,
            render: render_fn::<M>(),
            error_schema: M::schema,
            status: None,
            doc: OperationDoc::empty(),
        }
    }
}
