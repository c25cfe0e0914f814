//! The per-request pipeline: one generic function per endpoint kind that every expansion
//! calls, over the endpoint's static chain (a tuple of auths) and its function. It reads the
//! endpoint's description and the auth contract; it knows nothing of how endpoints are
//! mounted or documented.

mod chain;
pub(crate) mod context;
mod fixed;
pub(crate) mod found;
mod handler;
mod link;
pub(crate) mod meter;
mod serve;

pub use context::EndpointCtx;
pub(crate) use context::Keep;
pub(crate) use fixed::Fixed;
pub use handler::{AsyncFn, CallSync, SyncFn};
pub use link::{AsyncLink, SyncLink, Unfit};
pub use serve::{Pipeline, RunAsync, RunSync, Serve};

#[cfg(test)]
mod tests;
