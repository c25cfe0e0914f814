//! The runnable examples of dmr live beside this file, one per backend and per common setup
//! (`cargo run -p dmr-examples --example basic`); each builds its API from application state
//! and carries its own tests. This library only serves the address they listen on.

/// The address an example listens on: `DMR_EXAMPLE_ADDR`, or `127.0.0.1:8080`.
///
/// ```
/// assert!(dmr_examples::addr().contains(':'));
/// ```
pub fn addr() -> String {
    std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned())
}
