//! Mounting endpoints on actix: what a controller's expansion registers into, the runtime
//! auth layers (scopes, settings), application state, routes (with `HEAD`, `OPTIONS` and 405),
//! the JSON 404 and the docs routes. It reads endpoint descriptions and serves them through the
//! pipeline; the OpenAPI document is built elsewhere, from the same descriptions.

pub(crate) mod controller;
pub(crate) mod docs;
pub(crate) mod docs_login;
pub(crate) mod fallback;
pub(crate) mod identity;
pub(crate) mod layers;
pub(crate) mod methods;
pub(crate) mod overrides;
pub(crate) mod path_service;
pub(crate) mod route;
pub(crate) mod state;

pub use controller::Controller;
pub use docs_login::DocsLogin;
pub use layers::{Scope, Settings};
pub use state::{AppState, FromState, StateValue};
