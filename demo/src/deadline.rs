//! A deadline for every request of the demo: a request (its body included) that is not
//! answered within `DMR_DEMO_REQUEST_TIMEOUT_SECS` (default 15) gets 408 and its connection
//! is closed. actix times out slow headers (`client_request_timeout`) but not slow bodies:
//! without this a client dripping a body one byte a second holds its connection forever.

use std::rc::Rc;
use std::time::Duration;

use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use futures_util::future::{LocalBoxFuture, Ready, ready};

/// The middleware: `App::new().wrap(Deadline(Duration::from_secs(15)))`.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub Duration);

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

impl<S, B> Transform<S, ServiceRequest> for Deadline
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = DeadlineService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(DeadlineService {
            inner: Rc::new(service),
            limit: self.0,
        }))
    }
}

/// The service [`Deadline`] wraps.
pub struct DeadlineService<S> {
    inner: Rc<S>,
    limit: Duration,
}

impl<S, B> Service<ServiceRequest> for DeadlineService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<ServiceResponse<B>, actix_web::Error>>;

    forward_ready!(inner);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let fut = self.inner.call(req);
        let limit = self.limit;
        Box::pin(async move {
            match actix_web::rt::time::timeout(limit, fut).await {
                Ok(res) => res,
                Err(_) => Err(TooSlow.into()),
            }
        })
    }
}
