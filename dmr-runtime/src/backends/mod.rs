// Links to modules that exist only with the `session` feature: without it, to docs.rs.
#![cfg_attr(
    not(feature = "session"),
    doc = "[`session`]: https://docs.rs/dmr-runtime/latest/dmr_runtime/backends/session/\n\
           [`users`]: https://docs.rs/dmr-runtime/latest/dmr_runtime/backends/users/\n"
)]
//! The built-in auth backends.
//!
//! | backend | module | credential | endpoints |
//! | --- | --- | --- | --- |
//! | HTTP Basic | [`basic`] | `Authorization: Basic ..`, checked by your function | both |
//! | JWT in a header | [`jwt`] | `Authorization: Bearer <jwt>` | both |
//! | Session with CSRF | [`session`] | the login controller's `sessionid` cookie | both |
//!
//! * [`users`]: the user stores behind the login controller and session auth
//!   (`MemoryUsers`, and `SqliteUsers` with the `sqlite` feature).
//! * [`csrf`]: the CSRF check cookie-based auths run on unsafe methods.
//! * Sessions live in actix-session's stores: an encrypted cookie by default,
//!   `RedisSessionStore` with the `redis-session` feature (for more than one server).
//! * `session` and `users` need the `session` feature (on by default).
//!
//! "Both" means the auth fits sync and async endpoints; Basic with a blocking or an async
//! check, and JWT with a user loader, fit one kind (see each module).
//!
//! Backends chain: the first that succeeds wins, a backend whose credential is absent skips
//! to the next.
//!
//! ```
//! use actix_web::{App, test};
//! use dmr_runtime::backends::basic::{HttpBasic, basic_auth, constant_time_eq};
//! use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError};
//! use dmr_runtime::prelude::*;
//!
//! struct Keys {
//!     jwt_secret: String,
//! }
//!
//! impl Keys {
//!     fn jwt(&self) -> Result<JwtAuth, JwtConfigError> {
//!         JwtAuth::hs256(&self.jwt_secret)
//!     }
//! }
//!
//! struct Reports;
//!
//! // A bearer token first; without one, Basic.
//! #[controller(
//!     path = "/reports",
//!     auth = [|keys: &Keys| keys.jwt(), HttpBasic::new(|u, p| u == "ci" && constant_time_eq(p, "pw"))]
//! )]
//! impl Reports {
//!     #[endpoint(get, path = "/")]
//!     async fn list(info: AuthInfo) -> String {
//!         info.scheme().to_owned()
//!     }
//! }
//!
//! # actix_web::rt::System::new().block_on(async {
//! let keys = Keys { jwt_secret: "a secret of at least thirty-two bytes".into() };
//! let api = Api::new().state(keys).controller::<Reports>().build().unwrap();
//! let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
//! let req = test::TestRequest::get()
//!     .uri("/reports/")
//!     .insert_header(("Authorization", basic_auth("ci", "pw")));
//! assert_eq!(test::call_and_read_body(&app, req.to_request()).await, "http_basic");
//! # });
//! ```

pub mod basic;
#[cfg(feature = "session")]
pub mod credentials;
pub mod csrf;
mod header_name;
pub mod jwt;
#[cfg(feature = "oidc")]
pub mod oidc;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "session")]
#[cfg_attr(docsrs, doc(cfg(feature = "session")))]
pub mod session;
#[cfg(feature = "tokens")]
pub mod tokens;
#[cfg(feature = "session")]
#[cfg_attr(docsrs, doc(cfg(feature = "session")))]
pub mod users;
