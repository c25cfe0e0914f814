//! Nothing here: the compile-fail cases live in `tests/ui/<macro>/<mistake>.rs`.
