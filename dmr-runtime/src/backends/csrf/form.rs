//! The `csrfmiddlewaretoken` form field. Auth runs before the handler reads the body, so the
//! field is only seen when the opt-in [`CsrfFormToken`] middleware buffered a small
//! url-encoded `POST` body, took the field out and put the body back.

use std::future::{Ready, ready};
use std::rc::Rc;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::{Method, header};
use actix_web::web::{Bytes, BytesMut};
use actix_web::{Error, HttpMessage as _};
use futures_util::StreamExt as _;
use futures_util::future::LocalBoxFuture;
use futures_util::stream;

use crate::auth::attach;

/// The `csrfmiddlewaretoken` field of a url-encoded `POST` body, attached to the request by
/// [`CsrfFormToken`] and read by the CSRF check before the `X-CSRFToken` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormCsrfToken(pub String);

/// Middleware that makes the `csrfmiddlewaretoken` form field visible to the CSRF check.
///
/// For a `POST` with `Content-Type: application/x-www-form-urlencoded` whose body is at most
/// [`limit`](CsrfFormToken::limit) bytes (default 64 KiB), it reads the body, attaches the
/// field as [`FormCsrfToken`], and hands the handler the very same bytes. Larger bodies (by
/// `Content-Length` or as they stream) and other content types (`multipart/form-data`
/// included) pass untouched: their clients send the `X-CSRFToken` header. Without this
/// middleware only the header is read.
///
/// ```
/// use actix_web::App;
/// use dmr_runtime::backends::csrf::CsrfFormToken;
///
/// let app = App::new().wrap(CsrfFormToken::new().limit(16 * 1024));
/// # let _ = app;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CsrfFormToken {
    limit: usize,
}

impl Default for CsrfFormToken {
    fn default() -> Self {
        Self::new()
    }
}

impl CsrfFormToken {
    /// Buffers form bodies up to 64 KiB.
    pub fn new() -> Self {
        Self { limit: 64 * 1024 }
    }

    /// The largest body it buffers, in bytes.
    pub fn limit(mut self, bytes: usize) -> Self {
        self.limit = bytes;
        self
    }
}

impl<S, B> Transform<S, ServiceRequest> for CsrfFormToken
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = CsrfFormTokenService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CsrfFormTokenService {
            service: Rc::new(service),
            limit: self.limit,
        }))
    }
}

/// The service of [`CsrfFormToken`].
#[doc(hidden)]
pub struct CsrfFormTokenService<S> {
    service: Rc<S>,
    limit: usize,
}

impl<S, B> Service<ServiceRequest> for CsrfFormTokenService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<ServiceResponse<B>, Error>>;

    forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let limit = self.limit;
        Box::pin(async move {
            if wants_buffering(&req, limit) {
                buffer(&mut req, limit).await;
            }
            service.call(req).await
        })
    }
}

fn wants_buffering(req: &ServiceRequest, limit: usize) -> bool {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    *req.method() == Method::POST && is_form && declared.is_none_or(|n| n <= limit)
}

/// Reads the body up to `limit`; attaches the field if the whole body fit, and always puts
/// back exactly what was read, followed by the rest of the stream (or the error it ended with).
async fn buffer(req: &mut ServiceRequest, limit: usize) {
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    let mut tail: Option<Result<Bytes, actix_web::error::PayloadError>> = None;
    while let Some(chunk) = payload.next().await {
        match chunk {
            Ok(bytes) if body.len() + bytes.len() <= limit => body.extend_from_slice(&bytes),
            other => {
                tail = Some(other);
                break;
            }
        }
    }
    let body = body.freeze();
    if tail.is_none() {
        let token = form_urlencoded::parse(&body)
            .filter(|(k, _)| k == "csrfmiddlewaretoken")
            .last()
            .map(|(_, v)| v.into_owned());
        if let Some(token) = token {
            attach(&mut req.extensions_mut(), FormCsrfToken(token));
        }
        req.set_payload(Payload::from(body));
    } else {
        let head = stream::iter([Ok(body)].into_iter().chain(tail));
        let rest: std::pin::Pin<Box<dyn futures_util::Stream<Item = _>>> =
            Box::pin(head.chain(payload));
        req.set_payload(Payload::from(rest));
    }
}
