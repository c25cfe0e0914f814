//! Opaque API tokens, as django-modern-rest has them: random tokens of which only a
//! salted HMAC is stored, shown once when issued, revocable one by one or all at once, and
//! expiring (30 days by default).
//!
//! * [`ApiTokens`]: the configuration (store, users, [`TokenHasher`], lifetime, last-used
//!   tracking, timeouts), registered as application state;
//! * [`TokenAuth`]: the header (`X-API-Token`, or `Authorization: Token ..`) and cookie
//!   (`token`, CSRF-checked) auths, sync and async;
//! * [`TokenObtain`] and [`TokenManage`]: the obtain, list and revoke controllers;
//! * [`TokenStore`]: [`SqliteTokens`] (embedded, `sqlite` feature) and [`PgTokens`]
//!   (PostgreSQL, `postgres` feature).
//!
//! A token table shared with a Django deployment of the reference verifies the same tokens:
//! the hash is Django's `salted_hmac` (tested against hashes Django computed).

mod auth;
mod config;
mod hash;
mod model;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
mod store;
mod views;

pub use auth::{TOKEN_STORE_UNAVAILABLE, TokenUser};
pub use config::TokenAuth;
pub use config::{ApiTokens, DEFAULT_STORE_TIMEOUT, DEFAULT_TOKEN_LIFETIME, TokenError};
pub use hash::{
    DEFAULT_SALT, DEFAULT_TOKEN_SIZE, MIN_TOKEN_SIZE, TokenAlgorithm, TokenHasher,
    generate_raw_token,
};
pub use model::{Expiry, NewToken, TokenInfo, TokenMetadata};
#[cfg(feature = "postgres")]
pub use postgres::{PG_TOKEN_MIGRATIONS, PgTokens};
#[cfg(feature = "sqlite")]
pub use sqlite::{SQLITE_SCHEMA, SqliteTokens};
pub use store::{AsyncUserLookup, StoreFuture, TokenStore, TokenStoreError};
pub use views::{
    NoContent, ObtainTokenBody, ObtainTokenFields, ObtainTokenPayload, ObtainTokenResponse,
    TokenManage, TokenObtain, TokenViewError,
};
