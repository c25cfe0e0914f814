//! The built-in auth backends.

pub mod basic;
pub mod csrf;
mod header_name;
pub mod jwt;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "session")]
pub mod session;
#[cfg(feature = "tokens")]
pub mod tokens;
#[cfg(feature = "session")]
pub mod users;
