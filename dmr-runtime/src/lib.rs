// The crate page links modules that exist only with their feature: without it, to docs.rs.
#![cfg_attr(
    not(feature = "testing"),
    doc = "[`testing`]: https://docs.rs/dmr-runtime/latest/dmr_runtime/testing/\n"
)]
#![cfg_attr(
    not(feature = "session"),
    doc = "[`backends::session`]: https://docs.rs/dmr-runtime/latest/dmr_runtime/backends/session/\n\
           [`backends::users`]: https://docs.rs/dmr-runtime/latest/dmr_runtime/backends/users/\n"
)]
#![doc = include_str!("../docs/crate.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod backends;
pub mod error;
mod extract_failure;
pub mod i18n;
pub mod negotiate;
pub mod observe;
pub mod openapi;
pub mod throttle;

#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

mod api;
mod app;
mod build_error;
mod connection;
mod description;
mod extract;
#[cfg(feature = "session")]
mod park;
mod pipeline;
mod private;
#[cfg(any(
    feature = "redis-session",
    feature = "redis-blocklist",
    feature = "redis-throttle"
))]
pub mod redis;
mod repr;
mod respond;

pub use api::{AppState, Controller, DocsLogin, FromState, Scope, Settings, StateValue};
pub use app::{Api, ApiBuilder, EndpointInfo};
pub use auth::{SyncOrAsync, request_auth, request_auth_strict};
pub use build_error::{ApiError, AuthConfigError};
pub use connection::{RequestDeadline, RequestDeadlineService};
pub use extract::Authed;
pub use respond::NoIdentity;

#[doc = include_str!("../docs/controller.md")]
pub use dmr_macros::controller;
#[doc = include_str!("../docs/endpoint.md")]
pub use dmr_macros::endpoint;

/// Everything a controller file needs: `use dmr_runtime::prelude::*;`.
///
/// ```
/// use dmr_runtime::prelude::*;
///
/// struct Hello;
///
/// #[controller(path = "/hello", auth = none)]
/// impl Hello {
///     #[endpoint(get, path = "/")]
///     async fn hello() -> &'static str {
///         "hello"
///     }
/// }
///
/// let api = Api::new().controller::<Hello>().build().unwrap();
/// # let _ = api;
/// ```
pub mod prelude {
    pub use crate::auth::{AuthInfo, SyncOrAsync};
    pub use crate::throttle::Throttle;
    pub use crate::{
        Api, ApiBuilder, ApiError, Authed, Scope, Settings, controller, endpoint, request_auth,
        request_auth_strict,
    };
}

#[doc(hidden)]
pub mod __private {
    pub use crate::private::*;
}
