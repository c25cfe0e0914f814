//! The responses throttles add to an operation: 429 with the headers its throttles send, and
//! 503 when a throttle on a remote store fails closed.

use std::collections::BTreeMap;

use utoipa::PartialSchema;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{Content, Ref, RefOr};

use super::HeaderDoc;
use crate::throttle::{Outage, RateLimitHeaders, ThrottleDoc};

/// `429`, added to every throttled operation.
pub(crate) const TOO_MANY_REQUESTS: &str = "Raised when the request was throttled";
/// `503`, added when a throttle's store can be unavailable and it then refuses requests.
pub(crate) const UNAVAILABLE: &str = "Raised when the rate limit store cannot answer";

/// The headers a 429 with `which` headers carries.
fn header_docs(which: RateLimitHeaders) -> Vec<(&'static str, HeaderDoc)> {
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
pub(crate) fn login_throttled() -> super::ResponseDoc {
    header_docs(RateLimitHeaders::default()).into_iter().fold(
        super::ResponseDoc::error(
            actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            TOO_MANY_REQUESTS,
        ),
        |doc, (name, header)| doc.header(name, header),
    )
}

/// Adds 429 (and 503) where the handler did not declare them.
pub(crate) fn add_responses(
    responses: &mut BTreeMap<String, RefOr<Response>>,
    throttles: &[ThrottleDoc],
    error_model: &str,
) {
    if throttles.is_empty() {
        return;
    }
    let any = |f: fn(&RateLimitHeaders) -> bool| throttles.iter().any(|t| f(&t.headers));
    let headers = header_docs(RateLimitHeaders {
        x_ratelimit: any(|h| h.x_ratelimit),
        ietf_draft: any(|h| h.ietf_draft),
        retry_after: any(|h| h.retry_after),
    });
    let content = || Content::new(Some(Ref::from_schema_name(error_model)));
    responses.entry("429".to_owned()).or_insert_with(|| {
        let mut builder = ResponseBuilder::new()
            .description(TOO_MANY_REQUESTS)
            .content("application/json", content());
        for (name, header) in &headers {
            builder = builder.header(*name, header.to_utoipa());
        }
        builder.build().into()
    });
    let remote_fails_closed = throttles
        .iter()
        .any(|t| t.store != "memory" && t.outage == Outage::FailClosed);
    if remote_fails_closed {
        responses.entry("503".to_owned()).or_insert_with(|| {
            ResponseBuilder::new()
                .description(UNAVAILABLE)
                .content("application/json", content())
                .header(
                    "Retry-After",
                    HeaderDoc::new(i64::schema())
                        .description("Seconds to wait.")
                        .to_utoipa(),
                )
                .build()
                .into()
        });
    }
}
