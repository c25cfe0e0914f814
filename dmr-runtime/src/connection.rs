//! [`RequestDeadline`]: no client holds a connection longer than one request may take, whatever
//! it sends or leaves unsent.

use std::cell::RefCell;
use std::future::{Ready, ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BodySize, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::error::{InternalError, PayloadError};
use actix_web::http::ConnectionType;
use actix_web::http::header::{CONTENT_LENGTH, HeaderMap, TRANSFER_ENCODING};
use actix_web::web::Bytes;
use actix_web::{HttpMessage as _, HttpResponse};
use futures_util::Stream;
use futures_util::future::LocalBoxFuture;

/// The body of the 408 a request past its deadline gets.
const TOO_SLOW: &str = r#"{"detail":[{"msg":"Request took too long"}]}"#;

/// Middleware that bounds what one request can cost a connection:
///
/// * the whole request, its body included, is answered within `limit`: past it the client gets
///   408 `{"detail":[{"msg":"Request took too long"}]}` and the connection is closed (actix
///   bounds the time to send headers, `client_request_timeout`, but not a body: without this a
///   client dripping a body a byte a minute holds its connection for as long as it likes);
/// * a response sent while the request's body is still unread (a 401 from the auth chain, a
///   404, a 413, a handler that does not read its body) closes the connection
///   (`Connection: close`), instead of leaving actix waiting for the rest of a body that may
///   never come.
///
/// A request whose body was read to its end keeps its connection alive. Wrap it outermost:
///
/// ```
/// use std::time::Duration;
///
/// use actix_web::App;
/// use dmr_runtime::RequestDeadline;
///
/// let app = App::new().wrap(RequestDeadline::new(Duration::from_secs(15)));
/// # let _ = app;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RequestDeadline {
    limit: Duration,
}

impl RequestDeadline {
    /// Every request answered within `limit`.
    pub fn new(limit: Duration) -> Self {
        Self { limit }
    }
}

impl<S, B> Transform<S, ServiceRequest> for RequestDeadline
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = RequestDeadlineService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequestDeadlineService {
            service: Rc::new(service),
            limit: self.limit,
        }))
    }
}

/// The service [`RequestDeadline`] wraps around an app.
pub struct RequestDeadlineService<S> {
    service: Rc<S>,
    limit: Duration,
}

impl<S, B> Service<ServiceRequest> for RequestDeadlineService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, actix_web::Error>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        // The body is read through a handle this middleware keeps: while a handle lives, actix
        // sees a reader that has not finished, and closes the connection after the response
        // instead of draining a body that may never end.
        let body = has_body(req.headers()).then(|| {
            let shared = Shared::new(req.take_payload());
            req.set_payload(Payload::from(
                Box::pin(shared.clone()) as Pin<Box<dyn Stream<Item = _>>>
            ));
            shared
        });
        let service = Rc::clone(&self.service);
        let limit = self.limit;
        Box::pin(async move {
            let answer = actix_web::rt::time::timeout(limit, service.call(req)).await;
            let unread = body.filter(|b| !b.ended());
            match (answer, unread) {
                // the common case passes the body through as it is
                (Ok(Ok(res)), None) => Ok(res.map_into_left_body()),
                (Ok(Ok(res)), Some(held)) => Ok(res.map_body(|head, body| {
                    head.set_connection_type(ConnectionType::Close);
                    EitherBody::right(BoxBody::new(Holding {
                        body: BoxBody::new(body),
                        _held: held,
                    }))
                })),
                (Ok(Err(e)), None) => Err(e),
                (Ok(Err(e)), Some(held)) => {
                    let res = e.error_response();
                    Err(InternalError::from_response(e.to_string(), holding(res, held)).into())
                }
                (Err(_), held) => {
                    let res = HttpResponse::RequestTimeout()
                        .force_close()
                        .content_type("application/json")
                        .body(TOO_SLOW);
                    let res = match held {
                        Some(held) => holding(res, held),
                        None => res,
                    };
                    Err(InternalError::from_response("Request took too long", res).into())
                }
            }
        })
    }
}

/// Whether the request says it has a body (a length above 0, or chunks).
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(TRANSFER_ENCODING)
        || headers
            .get(CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0")
}

/// `res`, closing its connection, with its body holding the unread request body until sent.
fn holding(res: HttpResponse, held: Shared) -> HttpResponse {
    res.map_body(|head, body| {
        head.set_connection_type(ConnectionType::Close);
        BoxBody::new(Holding { body, _held: held })
    })
}

/// The request's body, shared by the handler's reader and this middleware, noting when it was
/// read to its end.
#[derive(Clone)]
struct Shared(Rc<RefCell<(Payload, bool)>>);

impl Shared {
    fn new(payload: Payload) -> Self {
        Self(Rc::new(RefCell::new((payload, false))))
    }

    fn ended(&self) -> bool {
        self.0.borrow().1
    }
}

impl Stream for Shared {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut inner = self.0.borrow_mut();
        let next = Pin::new(&mut inner.0).poll_next(cx);
        if matches!(next, Poll::Ready(None)) {
            inner.1 = true;
        }
        next
    }
}

/// A response body that keeps the request's unread body alive until it is sent.
struct Holding {
    body: BoxBody,
    _held: Shared,
}

impl MessageBody for Holding {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.body).poll_next(cx)
    }
}
