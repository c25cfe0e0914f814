//! `Accept` negotiation: every endpoint answers JSON, so a request whose `Accept` header
//! excludes `application/json` gets 406 before auth runs (as django-modern-rest does).
//!
//! ```
//! use actix_web::{App, test};
//! use dmr_runtime::prelude::*;
//!
//! struct Ping;
//!
//! #[controller(path = "/ping")]
//! impl Ping {
//!     #[endpoint(get, path = "/")]
//!     async fn ping() -> &'static str {
//!         "pong"
//!     }
//! }
//!
//! # actix_web::rt::System::new().block_on(async {
//! let api = Api::new().controller::<Ping>().build().unwrap();
//! let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
//! let req = |accept: &str| {
//!     test::TestRequest::get().uri("/ping/").insert_header(("Accept", accept)).to_request()
//! };
//! assert_eq!(test::call_service(&app, req("application/json")).await.status(), 200);
//! assert_eq!(test::call_service(&app, req("text/html")).await.status(), 406);
//! # });
//! ```

use actix_web::HttpRequest;
use actix_web::http::header;

/// Whether the request accepts an `application/json` response.
///
/// No `Accept` header (or an unreadable one) accepts anything. Otherwise the most specific
/// range matching `application/json` decides, and `q=0` refuses it.
///
/// ```
/// use actix_web::test::TestRequest;
/// use dmr_runtime::negotiate::accepts_json;
///
/// let req = |v: &str| TestRequest::get().insert_header(("Accept", v)).to_http_request();
/// assert!(accepts_json(&req("application/json")));
/// assert!(accepts_json(&req("text/html, */*;q=0.1")));
/// assert!(!accepts_json(&req("text/html")));
/// assert!(!accepts_json(&req("application/json;q=0, */*")));
/// ```
pub fn accepts_json(req: &HttpRequest) -> bool {
    let mut values = req.headers().get_all(header::ACCEPT).peekable();
    if values.peek().is_none() {
        return true;
    }
    // (specificity, q) of the best match so far
    let mut best: Option<(u8, bool)> = None;
    for value in values {
        let Ok(value) = value.to_str() else {
            return true;
        };
        for range in value.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim();
            let specificity = match media.to_ascii_lowercase().as_str() {
                "application/json" => 3,
                "application/*" => 2,
                "*/*" => 1,
                _ => continue,
            };
            let refused = parts.any(|p| {
                let mut kv = p.splitn(2, '=');
                kv.next()
                    .is_some_and(|k| k.trim().eq_ignore_ascii_case("q"))
                    && kv.next().and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0)
            });
            if best.is_none_or(|(s, _)| specificity > s) {
                best = Some((specificity, !refused));
            }
        }
    }
    best.is_some_and(|(_, ok)| ok)
}
