//! What every credential operation documents besides its success: the statuses its body,
//! its throttles and its stores can answer (400, 408, 413, 415, 429, 503), each with the
//! headers it carries (`Retry-After` on 429 and 503).

use actix_web::http::StatusCode;
use utoipa::PartialSchema;

use crate::description::{HeaderDoc, ResponseDoc};

/// 400, 408, 413 and 415: a credential body that is not JSON with the documented string
/// fields, too slow, too large, or of another content type.
pub(crate) fn body_errors() -> ResponseDoc {
    ResponseDoc::error(
        StatusCode::BAD_REQUEST,
        "Raised when the body is not JSON with the documented string fields",
    )
    .with(ResponseDoc::error(
        StatusCode::REQUEST_TIMEOUT,
        "Raised when the body takes longer than its deadline to arrive",
    ))
    .with(ResponseDoc::error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Raised when the body is over its size limit",
    ))
    .with(ResponseDoc::error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "Raised when the body is not `application/json`",
    ))
}

/// 503 with `Retry-After`: `why` a store or the password gate could not answer.
pub(crate) fn unavailable(why: &'static str) -> ResponseDoc {
    ResponseDoc::error(StatusCode::SERVICE_UNAVAILABLE, why).header(
        "Retry-After",
        HeaderDoc::new(i64::schema()).description("Seconds after which to try again."),
    )
}

/// 429 with `Retry-After` and `X-RateLimit-*`: the operation's throttles refused.
pub(crate) fn throttled() -> ResponseDoc {
    crate::throttle::doc::login_throttled()
}
