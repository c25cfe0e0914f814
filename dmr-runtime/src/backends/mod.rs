//! The built-in auth backends.

pub mod basic;
pub mod jwt;
