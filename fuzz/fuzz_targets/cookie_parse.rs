//! `Cookie` headers of arbitrary bytes: parsed without a panic; the cookie found is the last
//! one of that name (as Django reads them).
#![no_main]

use actix_web::http::header::HeaderValue;
use actix_web::test::TestRequest;
use dmr_runtime::auth::AuthRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut req = TestRequest::get();
    for part in data.split(|b| *b == b'\n') {
        if let Ok(v) = HeaderValue::from_bytes(part) {
            req = req.append_header(("cookie", v));
        }
    }
    let req = req.to_http_request();
    let live = AuthRequest::live(&req);
    for name in ["sessionid", "csrftoken"] {
        if let Some(c) = live.cookie(name) {
            assert_eq!(c.name(), name);
        }
    }
});
