//! The built-in auth backends.

pub mod basic;
pub mod csrf;
pub mod jwt;
#[cfg(feature = "session")]
pub mod session;
#[cfg(feature = "session")]
pub mod users;
