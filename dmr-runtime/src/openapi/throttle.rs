//! The responses throttles add to an operation: 429 with the headers its throttles send, and
//! 503 when a throttle on a remote store fails closed.

use std::collections::BTreeMap;

use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{Content, Ref, RefOr};

use utoipa::PartialSchema;

use crate::description::HeaderDoc;
use crate::throttle::doc::{TOO_MANY_REQUESTS, UNAVAILABLE, header_docs};
use crate::throttle::{Outage, RateLimitHeaders, ThrottleDoc};

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
