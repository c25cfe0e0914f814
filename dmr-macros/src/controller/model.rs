//! The validated controller: what expansion reads. Borrows the user's syntax for spans.

use syn::{Expr, Type};

use crate::method::Method;
use crate::runtime::Runtime;
use crate::signature::FnItem;

pub struct Controller<'a> {
    pub self_ty: &'a Type,
    /// The type's name, for operation names and error sites.
    pub name: String,
    pub runtime: Runtime,
    pub error_model: Option<&'a syn::Path>,
    /// Controller-level auth expressions (empty when none were listed or `auth = none`).
    pub auth: Vec<&'a Expr>,
    /// Controller-level throttle expressions (empty when none were listed or `throttle = none`).
    pub throttle: Vec<&'a Expr>,
    /// Whether the endpoints are plain `fn`s (they then run on the blocking pool).
    pub sync: bool,
    pub endpoints: Vec<Endpoint<'a>>,
}

pub struct Endpoint<'a> {
    pub func: &'a FnItem,
    pub method: Method,
    /// Controller path joined with the endpoint path.
    pub path: String,
    /// Endpoint-level auth expressions.
    pub auth: Vec<&'a Expr>,
    /// Whether the controller's auth applies (`false` under an endpoint `auth = none`).
    pub uses_controller_auth: bool,
    /// Whether the runtime layers apply (`false` under `auth = none` at either level).
    pub inherit: bool,
    /// Endpoint-level throttle expressions.
    pub throttle: Vec<&'a Expr>,
    /// Whether the controller's throttles apply (`false` under an endpoint `throttle = none`).
    pub uses_controller_throttle: bool,
    /// Whether the scope and settings throttles apply (`false` under `throttle = none`).
    pub inherit_throttles: bool,
    pub args: Vec<&'a Type>,
    /// `deprecated` in the attribute.
    pub deprecated: bool,
    /// `operation_id = ".."` in the attribute.
    pub operation_id: Option<String>,
    /// `status = 201` in the attribute.
    pub status: Option<u16>,
}
