//! What the API knows about each operation's security, collected from the auth declarations.

mod operation;
pub mod probe;

use std::sync::Arc;

pub use operation::OperationDoc;

use crate::auth::{Auth, AuthResponses, SchemeDoc};

/// The self-description of one auth in an endpoint's chain.
#[derive(Debug, Clone)]
pub struct AuthDoc {
    /// The scheme name reported by [`request_auth`](crate::request_auth).
    pub scheme_name: Arc<str>,
    /// The OpenAPI security schemes it uses.
    pub schemes: Vec<SchemeDoc>,
    /// The scheme names of its security requirement object.
    pub requirement: Vec<String>,
    /// The error responses it can cause.
    pub responses: AuthResponses,
    /// Its `WWW-Authenticate` challenge, if header-based.
    pub challenge: Option<String>,
}

impl AuthDoc {
    /// Reads the description of `auth`.
    pub fn of<A: Auth + ?Sized>(auth: &A) -> Self {
        Self {
            scheme_name: Arc::from(auth.scheme_name()),
            schemes: auth.schemes(),
            requirement: auth.requirement(),
            responses: auth.responses(),
            challenge: auth.challenge(),
        }
    }
}
