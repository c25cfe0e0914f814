//! Shared by the OpenAPI tests: a session-style test auth (the reference's `django_session` +
//! `csrf` cookie schemes), the document as JSON, and reviewed snapshots under `tests/openapi/`.
//!
//! Snapshots: `DMR_BLESS=1 cargo test -p dmr-tests --test openapi_snapshots` rewrites them;
//! review the diff before committing. Without it any difference fails the test.

#![allow(dead_code)]

use std::path::PathBuf;

use dmr_runtime::Api;
use dmr_runtime::auth::{Auth, AuthRequest, AuthResponses, AuthResult, InlineAuth, SchemeDoc};

/// A session-style auth: cookie `sessionid` plus the `csrftoken` cookie, one requirement
/// object holding both, 401 and 403. It always skips (only its description matters here).
#[derive(Clone)]
pub struct SessionLike;

impl Auth for SessionLike {
    type Identity = ();
    fn scheme_name(&self) -> &str {
        "django_session"
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        vec![
            SchemeDoc::api_key_cookie(
                "django_session",
                "sessionid",
                "Reusing standard Django auth flow for API",
            ),
            SchemeDoc::api_key_cookie("csrf", "csrftoken", "CSRF protection"),
        ]
    }
    fn responses(&self) -> AuthResponses {
        AuthResponses::UNAUTHORIZED | AuthResponses::CSRF_FORBIDDEN
    }
}

impl InlineAuth for SessionLike {
    fn authenticate_inline(&self, _: &AuthRequest<'_>) -> AuthResult<()> {
        Ok(None)
    }
}

/// An auth describing one `apiKey` header scheme named `name` (header `X-<name>`).
#[derive(Clone)]
pub struct KeyAuth(pub &'static str);

impl Auth for KeyAuth {
    type Identity = ();
    fn scheme_name(&self) -> &str {
        self.0
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        vec![SchemeDoc::api_key_header(
            self.0,
            format!("X-{}", self.0),
            "test key",
        )]
    }
}

impl InlineAuth for KeyAuth {
    fn authenticate_inline(&self, _: &AuthRequest<'_>) -> AuthResult<()> {
        Ok(None)
    }
}

/// The document, parsed.
pub fn doc(api: &Api) -> serde_json::Value {
    serde_json::from_str(api.openapi_json()).expect("the document is JSON")
}

/// Compares the document with `tests/openapi/<name>.json` (as JSON values), or rewrites the
/// file when `DMR_BLESS=1`.
pub fn assert_snapshot(name: &str, api: &Api) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("openapi")
        .join(format!("{name}.json"));
    let actual = doc(api);
    let pretty = serde_json::to_string_pretty(&actual).expect("printable") + "\n";
    if std::env::var_os("DMR_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, pretty).expect("snapshot written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "no snapshot {} ({e}); run with DMR_BLESS=1 and review it",
            path.display()
        )
    });
    let expected: serde_json::Value = serde_json::from_str(&expected).expect("snapshot is JSON");
    assert!(
        expected == actual,
        "OpenAPI snapshot `{name}` changed; if the change is intended, run with DMR_BLESS=1 and review the diff\n--- expected {}\n+++ actual\n{}",
        path.display(),
        diff(
            &serde_json::to_string_pretty(&expected).unwrap_or_default(),
            &pretty
        ),
    );
}

/// The lines only in one side, marked `-` / `+` (enough to see what moved).
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    for line in &e {
        if !a.contains(line) {
            out.push_str(&format!("-{line}\n"));
        }
    }
    for line in &a {
        if !e.contains(line) {
            out.push_str(&format!("+{line}\n"));
        }
    }
    out
}
