//! Where an audit event comes from: the client address as the throttles see it and the
//! request id.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::{HttpMessage, HttpRequest};

use crate::auth::AuthRequest;
use crate::throttle::Key;

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

    /// The id of a request seen through an [`AuthRequest`]: its header, the one assigned
    /// to the live request, else a new one.
    pub(crate) fn of_view(req: &AuthRequest<'_>) -> Self {
        match req.http() {
            Some(live) => Self::of(live),
            None => Self::from_header(req.headers().get("x-request-id")).unwrap_or_else(Self::next),
        }
    }

    fn from_header(value: Option<&actix_web::http::header::HeaderValue>) -> Option<Self> {
        let v = value?.to_str().ok()?;
        let ok = (1..=64).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
        ok.then(|| Self(Arc::from(v)))
    }

    fn next() -> Self {
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
    pub(crate) const NONE: Origin = Origin {
        client: None,
        request_id: None,
    };

    /// A live request, with the client address the default throttle key reads
    /// (`trust_forwarded`: whether it trusts forwarding headers).
    pub(crate) fn of(req: &HttpRequest, trust_forwarded: bool) -> Self {
        Self {
            client: Key::client_addr()
                .trust_forwarded_headers(trust_forwarded)
                .value(req),
            request_id: Some(RequestId::of(req)),
        }
    }

    /// A request seen through an [`AuthRequest`] (live or a snapshot).
    pub(crate) fn of_view(req: &AuthRequest<'_>, trust_forwarded: bool) -> Self {
        match req.http() {
            Some(live) => Self::of(live, trust_forwarded),
            None => {
                let conn = req.connection_info();
                let client = if trust_forwarded {
                    conn.realip_remote_addr()
                } else {
                    conn.peer_addr()
                };
                Self {
                    client: client.map(str::to_owned),
                    request_id: Some(RequestId::of_view(req)),
                }
            }
        }
    }

    /// The client address, or `-`.
    pub(crate) fn client(&self) -> &str {
        self.client.as_deref().unwrap_or("-")
    }

    /// The request id, or `-`.
    pub(crate) fn request_id(&self) -> &str {
        self.request_id.as_ref().map_or("-", RequestId::as_str)
    }
}
