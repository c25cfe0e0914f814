//! The headers of a throttled response.

use std::time::Duration;

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};

use super::Decision;

/// Which headers a 429 carries.
///
/// * `x_ratelimit`: `X-RateLimit-Limit` (the limit), `X-RateLimit-Remaining`,
///   `X-RateLimit-Reset` (seconds until the limit is fully available again);
/// * `ietf_draft`: `RateLimit-Policy: 10;w=60;name="ip"` and `RateLimit: "ip";r=0;t=42`
///   (draft-ietf-httpapi-ratelimit-headers);
/// * `retry_after`: `Retry-After` (seconds until a request would pass).
///
/// ```
/// use dmr_runtime::throttle::RateLimitHeaders;
///
/// assert_eq!(RateLimitHeaders::default(), RateLimitHeaders::X_RATELIMIT);
/// let both = RateLimitHeaders { ietf_draft: true, ..RateLimitHeaders::X_RATELIMIT };
/// # let _ = both;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimitHeaders {
    /// `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`.
    pub x_ratelimit: bool,
    /// `RateLimit` and `RateLimit-Policy`.
    pub ietf_draft: bool,
    /// `Retry-After`.
    pub retry_after: bool,
}

impl RateLimitHeaders {
    /// `X-RateLimit-*` and `Retry-After` (the default).
    pub const X_RATELIMIT: Self = Self {
        x_ratelimit: true,
        ietf_draft: false,
        retry_after: true,
    };
    /// `RateLimit`, `RateLimit-Policy` and `Retry-After`.
    pub const IETF: Self = Self {
        x_ratelimit: false,
        ietf_draft: true,
        retry_after: true,
    };
    /// No header at all.
    pub const NONE: Self = Self {
        x_ratelimit: false,
        ietf_draft: false,
        retry_after: false,
    };
}

impl Default for RateLimitHeaders {
    fn default() -> Self {
        Self::X_RATELIMIT
    }
}

/// Whole seconds, rounded up (a client retrying after `Retry-After` must pass).
pub(crate) fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

impl RateLimitHeaders {
    /// Adds the headers for `decision` to `resp`.
    pub(crate) fn apply(
        &self,
        headers: &mut HeaderMap,
        decision: &Decision,
        period: Duration,
        name: &str,
    ) {
        let mut put = |name: &'static str, value: String| {
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), v);
            }
        };
        let reset = ceil_secs(decision.reset);
        if self.x_ratelimit {
            put("x-ratelimit-limit", decision.limit.to_string());
            put("x-ratelimit-remaining", decision.remaining.to_string());
            put("x-ratelimit-reset", reset.to_string());
        }
        if self.ietf_draft {
            put(
                "ratelimit-policy",
                format!("{};w={};name=\"{name}\"", decision.limit, ceil_secs(period)),
            );
            put(
                "ratelimit",
                format!("\"{name}\";r={};t={reset}", decision.remaining),
            );
        }
        if self.retry_after && !decision.allowed {
            put(
                "retry-after",
                ceil_secs(decision.retry_after).max(1).to_string(),
            );
        }
    }
}
