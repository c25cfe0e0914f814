//! [`CsrfCookieRenewal`]: a malformed CSRF cookie is replaced by a fresh one, as Django's CSRF
//! middleware replaces it, so that a browser recovers by itself.

use std::future::{Ready, ready};
use std::rc::Rc;
use std::sync::Arc;

use actix_web::cookie::Cookie;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderValue, SET_COOKIE};
use futures_util::future::LocalBoxFuture;

use super::token::{check_token_format, new_secret};

/// Middleware: a request whose CSRF cookie is malformed (wrong length, characters outside
/// the alphabet) gets a fresh CSRF cookie (a new secret, the cookie's usual attributes) with
/// its response, unless the response sets one itself. The unsafe request is still refused
/// (`403 CSRF Failed: CSRF cookie has incorrect length.`); the next one, with the new cookie
/// and its value in `X-CSRFToken`, passes.
///
/// [`SessionConfig::middleware`](crate::backends::session::SessionConfig::middleware) does
/// this already for the session's CSRF cookie; an app whose CSRF cookie comes from the JWT
/// cookie mode wraps [`JwtCookies::csrf_renewal`](crate::backends::jwt::JwtCookies::csrf_renewal):
///
/// ```
/// # #[cfg(feature = "session")] { // (the example needs the `session` feature)
/// use actix_web::App;
/// use dmr_runtime::backends::jwt::JwtCookies;
///
/// let cookies = JwtCookies::new("/api/jwt/refresh/");
/// let app = App::new().wrap(cookies.csrf_renewal());
/// # let _ = app;
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct CsrfCookieRenewal {
    template: Arc<Cookie<'static>>,
}

impl CsrfCookieRenewal {
    /// Renews the cookie named as `template`, with its attributes (its value is replaced).
    #[cfg(feature = "session")]
    pub(crate) fn new(template: Cookie<'static>) -> Self {
        Self {
            template: Arc::new(template),
        }
    }
}

/// Whether `req` sends the cookie `name` with a value that is not a CSRF secret or token.
pub(crate) fn sends_malformed(req: &ServiceRequest, name: &str) -> bool {
    req.cookie(name)
        .is_some_and(|c| check_token_format(c.value()).is_err())
}

/// Whether `res` sets the cookie `name`.
pub(crate) fn sets_cookie<B>(res: &ServiceResponse<B>, name: &str) -> bool {
    res.response().cookies().any(|c| c.name() == name)
}

/// Appends `cookie` as a `Set-Cookie` header.
pub(crate) fn append_cookie<B>(res: &mut ServiceResponse<B>, cookie: &Cookie<'_>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.encoded().to_string()) {
        res.headers_mut().append(SET_COOKIE, value);
    }
}

/// Adds a fresh cookie like `template` to `res`, unless it sets that cookie already.
pub(crate) fn renew<B>(res: &mut ServiceResponse<B>, template: &Cookie<'static>) {
    if !sets_cookie(res, template.name()) {
        let mut fresh = template.clone();
        fresh.set_value(new_secret());
        append_cookie(res, &fresh);
    }
}

impl<S, B> Transform<S, ServiceRequest> for CsrfCookieRenewal
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = CsrfCookieRenewalService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CsrfCookieRenewalService {
            template: Arc::clone(&self.template),
            service: Rc::new(service),
        }))
    }
}

/// The service [`CsrfCookieRenewal`] wraps around an app.
pub struct CsrfCookieRenewalService<S> {
    template: Arc<Cookie<'static>>,
    service: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for CsrfCookieRenewalService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<ServiceResponse<B>, actix_web::Error>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let malformed = sends_malformed(&req, self.template.name());
        let template = Arc::clone(&self.template);
        let service = Rc::clone(&self.service);
        Box::pin(async move {
            let mut res = service.call(req).await?;
            if malformed {
                renew(&mut res, &template);
            }
            Ok(res)
        })
    }
}
