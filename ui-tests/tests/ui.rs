//! The diagnostics of `#[controller]` and `#[endpoint]`: one file per mistake under
//! `tests/ui/<macro>/`, each with the reviewed `.stderr` that rustc prints for it.
//!
//! rustc's wording changes between releases, so the suite runs only on the toolchain pinned in
//! `rust-toolchain.toml`; any other toolchain reports the test as ignored, with the reason.
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p dmr-ui-tests` and
//! review the diff: wording is part of the API.

#[rustversion::attr(
    not(stable(1.95.0)),
    ignore = "the .stderr files are pinned to rustc 1.95.0 (rust-toolchain.toml)"
)]
#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("tests/ui/**/*.rs");
}
