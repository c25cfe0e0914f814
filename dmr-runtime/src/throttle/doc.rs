//! What throttles say about the responses they cause: the 429 and its headers, the 503 of a
//! store that fails closed. The OpenAPI document and the credential controllers' own
//! descriptions read them.

use utoipa::PartialSchema;

use super::RateLimitHeaders;
use crate::description::HeaderDoc;
#[cfg(feature = "session")]
use crate::description::ResponseDoc;

/// `429`, added to every throttled operation.
pub(crate) const TOO_MANY_REQUESTS: &str = "Raised when the request was throttled";
/// `503`, added when a throttle's store can be unavailable and it then refuses requests.
pub(crate) const UNAVAILABLE: &str = "Raised when the rate limit store cannot answer";

/// The headers a 429 with `which` headers carries.
pub(crate) fn header_docs(which: RateLimitHeaders) -> Vec<(&'static str, HeaderDoc)> {
    let int = |description: &str| HeaderDoc::new(i64::schema()).description(description);
    let text = |description: &str| HeaderDoc::new(String::schema()).description(description);
    let mut headers = Vec::new();
    if which.x_ratelimit {
        headers.push(("X-RateLimit-Limit", int("Requests allowed per period.")));
        headers.push(("X-RateLimit-Remaining", int("Requests left in the period.")));
        headers.push((
            "X-RateLimit-Reset",
            int("Seconds until the limit is fully available again."),
        ));
    }
    if which.ietf_draft {
        headers.push((
            "RateLimit-Policy",
            text("The quota policy: `<limit>;w=<seconds>;name=\"<name>\"`."),
        ));
        headers.push((
            "RateLimit",
            text("The policy's state: `\"<name>\";r=<remaining>;t=<seconds>`."),
        ));
    }
    if which.retry_after {
        headers.push(("Retry-After", int("Seconds until a request would pass.")));
    }
    headers
}

#[cfg(feature = "session")]
/// The 429 of the credential controllers' login throttles, with the headers of their
/// default throttles.
pub(crate) fn login_throttled() -> ResponseDoc {
    header_docs(RateLimitHeaders::default()).into_iter().fold(
        ResponseDoc::error(
            actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            TOO_MANY_REQUESTS,
        ),
        |doc, (name, header)| doc.header(name, header),
    )
}
