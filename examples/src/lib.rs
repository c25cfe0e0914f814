//! The runnable examples of dmr live beside this file, one per backend and per common setup
//! (`cargo run -p dmr-examples --example basic`, listening on `DMR_EXAMPLE_ADDR`, default
//! `127.0.0.1:8080`); each builds its API from application state and carries its own tests.
//! They depend on nothing here: copied into a project of your own, they build as they are.
