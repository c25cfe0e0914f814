//! Where an audit event comes from: the client address as the throttles see it and the
//! request id.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::{HttpMessage, HttpRequest};

/// The id of a request in the span and the audit events: its `X-Request-Id` header when
/// that is 1 to 64 characters of `A-Z a-z 0-9 . _ : -` (what a proxy in front set), else
/// an id of this process (`dmr-` and a number), kept in the request's extensions so every
/// event of the request carries the same one.
///
/// ```
/// use actix_web::test::TestRequest;
/// use dmr_runtime::observe::RequestId;
///
/// let req = TestRequest::default().insert_header(("x-request-id", "abc-123")).to_http_request();
/// assert_eq!(RequestId::of(&req).to_string(), "abc-123");
/// let req = TestRequest::default().insert_header(("x-request-id", "no spaces")).to_http_request();
/// let id = RequestId::of(&req);
/// assert!(id.to_string().starts_with("dmr-"));
/// assert_eq!(RequestId::of(&req), id, "the same for the whole request");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(Arc<str>);

impl RequestId {
    /// The request's id (assigned on first use).
    pub fn of(req: &HttpRequest) -> Self {
        if let Some(id) = req.extensions().get::<RequestId>() {
            return id.clone();
        }
        let id = Self::from_header(req.headers().get("x-request-id")).unwrap_or_else(Self::next);
        req.extensions_mut().insert(id.clone());
        id
    }

    pub(crate) fn from_header(
        value: Option<&actix_web::http::header::HeaderValue>,
    ) -> Option<Self> {
        let v = value?.to_str().ok()?;
        let ok = (1..=64).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
        ok.then(|| Self(Arc::from(v)))
    }

    pub(crate) fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self(Arc::from(format!(
            "dmr-{:x}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        )))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The client address and request id an audit event carries.
pub(crate) struct Origin {
    pub(crate) client: Option<String>,
    pub(crate) request_id: Option<RequestId>,
}

impl Origin {
    /// No request at hand (the enclosing `dmr.request` span still carries both).
    #[allow(dead_code)]
    pub(crate) const NONE: Origin = Origin {
        client: None,
        request_id: None,
    };

    /// The client address, or `-`.
    pub(crate) fn client(&self) -> &str {
        self.client.as_deref().unwrap_or("-")
    }

    /// The request id, or `-`.
    pub(crate) fn request_id(&self) -> &str {
        self.request_id.as_ref().map_or("-", RequestId::as_str)
    }
}
