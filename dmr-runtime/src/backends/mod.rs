//! The built-in auth backends.

pub mod basic;
#[cfg(feature = "session")]
pub mod credentials;
pub mod csrf;
mod header_name;
pub mod jwt;
#[cfg(feature = "session")]
pub mod session;
#[cfg(feature = "session")]
pub mod users;
