//! `Accept` negotiation against the media types each endpoint really produces.
//!
//! What an endpoint produces is read once, when the API is built, from the responses its
//! return type documents in OpenAPI ([`DescribeResponse`](crate::openapi::DescribeResponse)):
//! `text/plain` for `String` and `&str`, `application/json` for `Json<T>`,
//! `application/octet-stream` for `Bytes`, and `application/json` (the media type of the
//! error model) when the return type documents no body (`()`, `HttpResponse`, `impl
//! Responder`). A request whose `Accept` header excludes every one of them gets 406 before
//! auth runs, `{"detail":[{"msg":"Cannot serialize response body with accepted types
//! ['application/json'], supported=['text/plain']","type":"value_error"}]}` in the endpoint's
//! error model (the reference's words; see [`Produces::cannot_serialize`]). Error answers
//! (401, 400, ..) stay JSON whatever `Accept` says.
//!
//! ```
//! use actix_web::{App, test};
//! use actix_web::web::Json;
//! use dmr_runtime::prelude::*;
//!
//! struct Ping;
//!
//! #[controller(path = "/ping")]
//! impl Ping {
//!     #[endpoint(get, path = "/text")]
//!     async fn text() -> &'static str {
//!         "pong"
//!     }
//!
//!     #[endpoint(get, path = "/json")]
//!     async fn json() -> Json<&'static str> {
//!         Json("pong")
//!     }
//! }
//!
//! # actix_web::rt::System::new().block_on(async {
//! let api = Api::new().controller::<Ping>().build().unwrap();
//! let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
//! let req = |path: &str, accept: &str| {
//!     test::TestRequest::get().uri(path).insert_header(("Accept", accept)).to_request()
//! };
//! assert_eq!(test::call_service(&app, req("/ping/text", "text/plain")).await.status(), 200);
//! assert_eq!(test::call_service(&app, req("/ping/text", "application/json")).await.status(), 406);
//! assert_eq!(test::call_service(&app, req("/ping/json", "application/json")).await.status(), 200);
//! assert_eq!(test::call_service(&app, req("/ping/json", "text/html")).await.status(), 406);
//! # });
//! ```

use actix_web::HttpRequest;
use actix_web::http::header::{self, HeaderMap};

use crate::description::ResponseDoc;
use crate::description::response::Body;

/// The media types an endpoint answers with, found once when the API is built.
///
/// ```
/// use actix_web::test::TestRequest;
/// use dmr_runtime::negotiate::Produces;
/// use dmr_runtime::openapi::ResponseDoc;
///
/// let text = Produces::of(&ResponseDoc::text());
/// assert_eq!(text.supported(), "text/plain");
/// let req = |v: &str| TestRequest::get().insert_header(("Accept", v)).to_http_request();
/// assert!(text.accepts(&req("text/*")));
/// assert!(text.accepts(&req("application/json, */*;q=0.1")));
/// assert!(!text.accepts(&req("application/json")));
/// assert!(!text.accepts(&req("text/plain;q=0, */*")));
/// assert!(text.accepts(&TestRequest::get().to_http_request()));
/// ```
#[derive(Debug, Clone)]
pub struct Produces {
    /// `type/subtype`, lowercase, without parameters.
    types: Box<[Box<str>]>,
    /// The types joined with `, ` (for the 406 message).
    supported: Box<str>,
}

impl Produces {
    /// `application/json` only.
    pub fn json() -> Self {
        Self::new(vec!["application/json".into()])
    }

    /// The media types of the success responses `doc` documents (`application/json` when it
    /// documents none with a body).
    pub fn of(doc: &ResponseDoc) -> Self {
        let mut types: Vec<Box<str>> = Vec::new();
        for entry in doc
            .responses
            .iter()
            .filter(|e| e.status.is_none_or(|s| s < 400))
        {
            let media = match &entry.body {
                Body::Schema { media, .. } => media.as_ref(),
                Body::ErrorModel => "application/json",
                Body::Empty => continue,
            };
            let essence = media.split(';').next().unwrap_or("").trim();
            let essence = essence.to_ascii_lowercase().into_boxed_str();
            if essence.contains('/') && !types.contains(&essence) {
                types.push(essence);
            }
        }
        if types.is_empty() {
            return Self::json();
        }
        Self::new(types)
    }

    fn new(types: Vec<Box<str>>) -> Self {
        let supported = types.join(", ").into_boxed_str();
        Self {
            types: types.into(),
            supported,
        }
    }

    /// The media types, joined with `, `.
    pub fn supported(&self) -> &str {
        &self.supported
    }

    /// Whether the request's `Accept` header admits one of the media types.
    ///
    /// No `Accept` header (or an unreadable one) admits anything. Otherwise, for each media
    /// type, the most specific matching range (`text/plain`, then `text/*`, then `*/*`)
    /// decides, and `q=0` refuses it.
    pub fn accepts(&self, req: &HttpRequest) -> bool {
        accepts_any(req, self.types.iter().map(|t| &**t))
    }
}

impl Produces {
    /// The 406 message for `req`, in the reference's words: the media ranges of its
    /// `Accept` header as parsed (type and parameters, lowercase names, `q=0` ranges left
    /// out, most preferred first) and the media types the endpoint answers with.
    ///
    /// ```
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::negotiate::Produces;
    ///
    /// let req = TestRequest::get()
    ///     .insert_header(("Accept", "text/xml;q=0.5, Text/HTML, image/png;q=0"))
    ///     .to_http_request();
    /// assert_eq!(
    ///     Produces::json().cannot_serialize(&req),
    ///     "Cannot serialize response body with accepted types ['text/html', 'text/xml; q=0.5'], \
    ///      supported=['application/json']"
    /// );
    /// ```
    pub fn cannot_serialize(&self, req: &HttpRequest) -> String {
        let accepted = accepted_types(req.headers());
        format!(
            "Cannot serialize response body with accepted types {}, supported={}",
            crate::repr::quoted_list(accepted.iter().map(|m| m.text.as_str())),
            crate::repr::quoted_list(self.types.iter().map(|t| &**t))
        )
    }
}

/// One media range of an `Accept` header, as Django parses it for the reference.
struct MediaRange {
    /// `type/subtype` (lowercase) and its parameters, `; name=value` each.
    text: String,
    quality: f64,
    specificity: u8,
}

/// The media ranges of `headers`' `Accept` values that are not refused (`q=0`), most
/// preferred first: by quality, then by specificity, then in the order sent.
fn accepted_types(headers: &HeaderMap) -> Vec<MediaRange> {
    let mut ranges: Vec<MediaRange> = headers
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter(|token| !token.trim().is_empty())
        .map(parse_range)
        .filter(|m| m.quality != 0.0)
        .collect();
    ranges.sort_by(|a, b| {
        (b.quality, b.specificity)
            .partial_cmp(&(a.quality, a.specificity))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    ranges
}

/// `text/xml;q=0.5` -> `text/xml; q=0.5`, quality 0.5, specificity 2.
fn parse_range(token: &str) -> MediaRange {
    let mut parts = token.split(';');
    let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let mut text = essence.clone();
    let mut quality = 1.0;
    let mut has_params = false;
    for param in parts {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim().trim_matches('"');
        if name == "q" {
            // an unreadable or out-of-range quality counts as 1, as in Django
            quality = value
                .parse::<f64>()
                .ok()
                .filter(|q| (0.0..=1.0).contains(q))
                .map_or(1.0, |q| (q * 1000.0).round() / 1000.0);
        } else {
            has_params = true;
        }
        text.push_str(&format!("; {name}={value}"));
    }
    let (kind, sub) = essence.split_once('/').unwrap_or((&essence, ""));
    let specificity = match (kind, sub) {
        ("*", _) => 0,
        (_, "*") => 1,
        _ if !has_params => 2,
        _ => 3,
    };
    MediaRange {
        text,
        quality,
        specificity,
    }
}

/// Whether `req` admits one of `types`; see [`Produces::accepts`].
fn accepts_any<'a>(req: &HttpRequest, mut types: impl Iterator<Item = &'a str>) -> bool {
    let headers = req.headers();
    let mut values = headers.get_all(header::ACCEPT).peekable();
    if values.peek().is_none() || values.any(|v| v.to_str().is_err()) {
        return true;
    }
    types.any(|media| admits(headers, media))
}

/// Whether the (readable) `Accept` values of `headers` admit `media` (`type/subtype`,
/// lowercase).
fn admits(headers: &HeaderMap, media: &str) -> bool {
    let (kind, sub) = media.split_once('/').unwrap_or((media, ""));
    // (specificity, admitted) of the most specific match so far
    let mut best: Option<(u8, bool)> = None;
    let values = headers.get_all(header::ACCEPT);
    for range in values
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let mut parts = range.split(';');
        let (r_kind, r_sub) = parts
            .next()
            .unwrap_or("")
            .trim()
            .split_once('/')
            .unwrap_or(("", ""));
        let specificity = match (r_kind.trim(), r_sub.trim()) {
            ("*", "*") => 1,
            (k, "*") if k.eq_ignore_ascii_case(kind) => 2,
            (k, s) if k.eq_ignore_ascii_case(kind) && s.eq_ignore_ascii_case(sub) => 3,
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
    best.is_some_and(|(_, ok)| ok)
}

/// Whether the request accepts an `application/json` response (what
/// [`Produces::json`] checks).
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
    accepts_any(req, std::iter::once("application/json"))
}
