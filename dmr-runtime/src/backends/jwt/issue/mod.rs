//! Issuing tokens: the [`JwtIssuer`] configuration and the reusable credential controllers
//! [`JwtObtain`], [`JwtRefresh`], [`JwtVerify`] and [`JwtLogout`] (each with a `..Sync`
//! variant for sync controllers), with an optional cookie mode ([`JwtCookies`]).
//!
//! ```
//! use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist};
//! use dmr_runtime::backends::jwt::{JwtAuth, JwtIssuer, JwtLogout, JwtObtain, JwtRefresh, JwtVerify};
//! use dmr_runtime::backends::users::MemoryUsers;
//! use dmr_runtime::prelude::*;
//!
//! let secret = "0123456789abcdef0123456789abcdef";
//! let users = MemoryUsers::new();
//! users.add("1", "admin", "pass").unwrap();
//! let blocklist = Blocklist::new(MemoryBlocklist::default());
//! let issuer = JwtIssuer::hs256(secret, users)
//!     .unwrap()
//!     .blocklist(blocklist.clone())
//!     .rotate_refresh_tokens(true)
//!     .unwrap();
//! let api = Api::new()
//!     .scope("/api/jwt", |s| {
//!         s.controller::<JwtObtain>()
//!             .controller::<JwtRefresh>()
//!             .controller::<JwtVerify>()
//!             .controller::<JwtLogout>()
//!     })
//!     .build()
//!     .unwrap();
//! let app = actix_web::App::new()
//!     .app_data(issuer.app_data())
//!     .configure(|c| api.configure(c));
//! # let _ = app;
//! // endpoints elsewhere: auth = [JwtAuth::hs256(secret)?.blocklist(blocklist.clone())]
//! ```

mod body;
mod cookies;
mod flow;
mod io;
mod issuer;
mod response;
mod views;

pub use body::{
    ObtainRaw, ObtainTokensPayload, RefreshRaw, RefreshTokenPayload, VerifyRaw, VerifyTokenPayload,
};
pub use cookies::JwtCookies;
pub use issuer::JwtIssuer;
pub use response::{LoggedOut, ObtainTokensResponse, TokensResponse, Verified, ViewError};
pub use views::{
    JwtLogout, JwtLogoutSync, JwtObtain, JwtObtainSync, JwtRefresh, JwtRefreshSync, JwtVerify,
    JwtVerifySync, RequestCopy,
};
