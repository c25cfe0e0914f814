//! What the `#[controller]` expansion records about one operation for OpenAPI.

use super::probe::{ArgDoc, ResponseDoc};

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

    /// No summary, no description, no operation id, not deprecated, no arguments, an unknown
    /// response: what the expansion's struct update starts from.
    ///
    /// ```
    /// use dmr_runtime::openapi::OperationDoc;
    ///
    /// let doc = OperationDoc { deprecated: true, ..OperationDoc::empty() };
    /// assert!(doc.summary.is_none() && doc.args.is_empty() && !doc.response.is_known());
    /// ```
    pub fn empty() -> Self {
        Self {
            summary: None,
            description: None,
            operation_id: None,
            deprecated: false,
            args: Vec::new(),
            response: ResponseDoc::unknown(),
        }
    }
}
