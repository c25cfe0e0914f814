//! JWT
