//! A deadline for every request of the demo: a request (its body included) that is not
//! answered within `DMR_DEMO_REQUEST_TIMEOUT_SECS` (default 15) gets 408 and its connection
//! is closed. actix times out slow headers (`client_request_timeout`) but not slow bodies:
//! without this a client dripping a body one byte a second holds its connection forever.

use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};

/// What a request past its deadline gets.
#[derive(Debug)]
struct TooSlow;

impl std::fmt::Display for TooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Request took too long")
    }
}

impl ResponseError for TooSlow {
    fn status_code(&self) -> StatusCode {
        StatusCode::REQUEST_TIMEOUT
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::RequestTimeout()
            .force_close()
            .content_type("application/json")
            .body(r#"{"detail":[{"msg":"Request took too long"}]}"#)
    }
}

/// Runs the rest of the app for `req`, within `limit`: the middleware, as
/// `App::new().wrap(from_fn(move |req, next| deadline::within(limit, req, next)))`.
pub async fn within<B: MessageBody>(
    limit: Duration,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    match actix_web::rt::time::timeout(limit, next.call(req)).await {
        Ok(res) => res,
        Err(_) => Err(TooSlow.into()),
    }
}
