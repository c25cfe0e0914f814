//! The CSRF check on a request whose method, cookie, token header, `Origin`, `Referer` and
//! `Host` come from the input: no panic; a pass on an unsafe method needs a token matching
//! the cookie's secret (unmasked first when the cookie holds a masked one, 64 characters).
#![no_main]

use std::sync::LazyLock;

use actix_web::http::header::HeaderValue;
use actix_web::test::TestRequest;
use dmr_runtime::auth::AuthRequest;
use dmr_runtime::backends::csrf::{CsrfConfig, token_matches, unmask_token};
use libfuzzer_sys::fuzz_target;

static CSRF: LazyLock<CsrfConfig> =
    LazyLock::new(|| CsrfConfig::new().trusted_origins(["https://*.example.com"]));

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "OPTIONS"];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let method = METHODS[usize::from(first) % METHODS.len()];
    let mut parts = rest.split(|b| *b == 0xff);
    let mut req = TestRequest::default().method(method.parse().expect("method"));
    let mut values: Vec<Option<Vec<u8>>> = Vec::new();
    for name in ["cookie", "x-csrftoken", "origin", "referer", "host"] {
        let part = parts.next().unwrap_or_default();
        if let Ok(value) = HeaderValue::from_bytes(part) {
            req = req.insert_header((name, value));
            values.push(Some(part.to_vec()));
        } else {
            values.push(None);
        }
    }
    let req = req.to_http_request();
    let passed = CSRF.check(&AuthRequest::live(&req)).is_ok();
    if passed && !matches!(method, "GET" | "OPTIONS") {
        let stored = AuthRequest::live(&req)
            .cookie(CSRF.get_cookie_name())
            .map(|c| c.value().to_owned())
            .expect("an unsafe request passed without a CSRF cookie");
        // a 64-character cookie is a masked secret (as old Django versions stored it): the
        // check compares with the secret it stands for
        let secret = match stored.len() {
            64 => unmask_token(&stored).unwrap_or(stored),
            _ => stored,
        };
        let token = values[1]
            .as_deref()
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .expect("an unsafe request passed without a token");
        assert!(
            token_matches(&token, &secret),
            "a token that does not match passed"
        );
    }
});
