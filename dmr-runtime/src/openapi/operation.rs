//! What the `#[controller]` expansion records about one operation for OpenAPI.

use super::probe::{ArgDoc, ResponseDoc};

/// The OpenAPI facts of one endpoint, written by the macro.
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
}
