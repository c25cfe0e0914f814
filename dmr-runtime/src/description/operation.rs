//! What the `#[controller]` expansion records about one operation for OpenAPI.

use super::probe::{ArgDoc, ResponseDoc};
use crate::error::{ErrorModel, ErrorSchema};

/// The OpenAPI facts of one endpoint, written by the macro (the auth part comes from the
/// endpoint's chain, the path and method from its route).
#[derive(Debug, Clone)]
pub struct OperationDoc {
    /// First paragraph of the doc comment.
    pub summary: Option<&'static str>,
    /// The rest of the doc comment.
    pub description: Option<&'static str>,
    /// `operation_id = ".."` from the attribute.
    pub operation_id: Option<&'static str>,
    /// `deprecated` from the attribute.
    pub deprecated: bool,
    /// What each handler argument contributes (parameters, request body).
    pub args: Vec<ArgDoc>,
    /// What the return type contributes (the success response).
    pub response: ResponseDoc,
    /// The schema of the controller's error model, which every error response references.
    pub error_schema: fn() -> ErrorSchema,
}

impl OperationDoc {
    /// The names of the header parameters the arguments document, as written.
    pub(crate) fn header_names(&self) -> Vec<Box<str>> {
        self.args
            .iter()
            .flat_map(|a| a.params.iter())
            .filter_map(|p| match p {
                super::arg::ParamDoc::Named(p)
                    if p.parameter_in == utoipa::openapi::path::ParameterIn::Header =>
                {
                    Some(p.name.as_str().into())
                }
                _ => None,
            })
            .collect()
    }

    /// The schema function of error model `M`, for [`OperationDoc::error_schema`].
    ///
    /// ```
    /// use dmr_runtime::error::DefaultErrorModel;
    /// use dmr_runtime::openapi::OperationDoc;
    ///
    /// let schema = OperationDoc::error_schema_of::<DefaultErrorModel>;
    /// assert_eq!(schema().name, "ErrorModel");
    /// ```
    pub fn error_schema_of<M: ErrorModel>() -> ErrorSchema {
        M::schema()
    }
}
