//! The reusable login and logout controllers (login as django-modern-rest's session login
//! view; logout has no counterpart there).
//! Both read the [`SessionConfig`] from app data and run without auth.

use actix_web::body::BoxBody;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, Responder};
use serde_json::json;

use super::{Session, SessionConfig, login_session, logout_session};
use crate::auth::AuthRequest;
use crate::backends::credentials::{
    CredentialBody, CredentialError, CredentialPair, LoginSuccess, WithDeviceCookie,
};
use crate::controller;
use crate::observe::audit;
use crate::openapi::{DescribeResponse, HeaderDoc, ResponseDoc};
use crate::throttle::source::Src;
use crate::throttle::token_ops::TokenOp;

/// `POST <scope>/login/` with `{"username": "..", "password": ".."}`.
///
/// * 200 `{"user_id": "<id>"}` with the session cookie (set by the session middleware, under
///   a renewed id) and the `csrftoken` cookie (a new secret; not when CSRF lives in the
///   session);
/// * 401 `{"detail":[{"msg":"Not authenticated","type":"security"}]}` and no cookie for an
///   unknown user, a wrong password or an inactive user;
/// * 400 for a body that is not JSON with two strings (the message never echoes a value),
///   413 for a body over the [`CredentialBodyConfig`] limit (8 KiB by default), 408 for one
///   that takes longer than its timeout (10 seconds) to arrive;
/// * 503 `Too many logins at once: retry later` with `Retry-After: 1` when the
///   [`password_gate`](SessionConfig::password_gate) is full (too many logins queued, or
///   waited too long).
///
/// The body is read as a [`CredentialBody`]: nothing larger than the limit is buffered, and
/// while a login waits for its password check it holds the two strings only.
///
/// [`CredentialBodyConfig`]: crate::backends::credentials::CredentialBodyConfig
///
/// It runs without auth (`auth = none`: settings and scope auth do not apply) and without CSRF,
/// like the reference; the JSON content type it requires keeps plain cross-site forms out.
/// Mount it where you like: `.scope("/api/auth", |s| s.controller::<SessionLogin>())`.
/// Password checks run on actix's blocking pool, at most
/// [`max_concurrent_logins`](SessionConfig::max_concurrent_logins) at a time.
pub struct SessionLogin;

#[controller(path = "", auth = none, crate = crate)]
impl SessionLogin {
    /// Log in with a user name and a password; starts a session.
    #[endpoint(post, path = "/login/")]
    async fn login(
        config: Data<SessionConfig>,
        session: Session,
        req: HttpRequest,
        body: CredentialBody<LoginPayload>,
    ) -> Result<WithDeviceCookie<LoginResponse>, LoginError> {
        let credentials = body.into_inner().require()?;
        let trust_forwarded = config.csrf.trust_forwarded;
        let src = || Src::Live(&req, trust_forwarded);
        let LoginSuccess {
            user,
            device_cookie,
        } = config
            .login
            .login(&req, trust_forwarded, credentials)
            .await
            .inspect_err(|e| audit::login_failed(src(), "session", e.audit_reason()))?;
        audit::login_succeeded(src(), "session", &user.id);
        let csrf_cookie = login_session(&session, &config, &user).map_err(|e| internal(&e))?;
        audit::session_renewed(src(), &user.id);
        let answer = LoginResponse {
            user_id: user.id,
            csrf_cookie,
        };
        Ok(WithDeviceCookie(answer, device_cookie))
    }
}

/// `POST <scope>/logout/`: ends the session on the server (with a server-side store such as
/// Redis, on every server) and clears the session and CSRF cookies; 204.
///
/// A request whose session holds a user must pass the CSRF check (403 otherwise), so another
/// site cannot log your users out; without a logged-in user it just clears the cookies.
///
/// Throttled by default, before the session is touched: per client address (60 at once,
/// then one a second) and, once the CSRF check passed, per logged-in user (30, then one
/// every 2 seconds); over a limit, 429 with `Retry-After`.
///
/// ```
/// use dmr_runtime::backends::session::SessionConfig;
/// use dmr_runtime::backends::users::MemoryUsers;
/// use dmr_runtime::throttle::Throttle;
///
/// let config = SessionConfig::new(MemoryUsers::new())
///     .logout_address_throttle(Some(Throttle::per_minute(120).smooth()))
///     .logout_user_throttle(None);
/// assert_eq!(config.get_logout_address_throttle().unwrap().rate().max(), 120);
/// assert!(config.get_logout_user_throttle().is_none());
/// ```
pub struct SessionLogout;

#[controller(path = "", auth = none, crate = crate)]
impl SessionLogout {
    /// Log out: ends the session and clears its cookies.
    #[endpoint(post, path = "/logout/")]
    async fn logout(
        config: Data<SessionConfig>,
        session: Session,
        req: HttpRequest,
    ) -> Result<LogoutResponse, LoginError> {
        let subject = session
            .get::<String>(super::SESSION_USER_ID_KEY)
            .ok()
            .flatten();
        let trust_forwarded = config.csrf.trust_forwarded;
        let ops = &config.ops;
        let client = ops.client(&req, trust_forwarded);
        let attempt = ops.attempt(TokenOp::SessionLogout, client.as_deref());
        attempt
            .address(false)
            .await
            .map_err(CredentialError::Throttled)?;
        if let Some(subject) = &subject {
            config
                .get_csrf()
                .check(&AuthRequest::live(&req))
                .map_err(CredentialError::Csrf)?;
            attempt
                .token(false, subject, None)
                .await
                .map_err(CredentialError::Throttled)?;
        }
        let src = Src::Live(&req, trust_forwarded);
        audit::logout(src, subject.as_deref());
        Ok(LogoutResponse {
            csrf_removal: logout_session(&session, &config),
        })
    }
}

/// The login body: a user name and a password, checked field by field so that no error
/// message ever quotes a value (serde's would quote a numeric password); other fields are
/// ignored. Documented in OpenAPI as [`DjangoSessionPayload`].
pub type LoginPayload = CredentialPair<DjangoSessionPayload>;

/// Credentials for a session login (named as the reference names it).
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct DjangoSessionPayload {
    /// The login name.
    pub username: String,
    /// The password (never logged or echoed).
    pub password: String,
}

/// The body of a successful session login (named as the reference names it).
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct DjangoSessionResponse {
    /// The logged-in user's id.
    pub user_id: String,
}

/// A successful login: 200 `{"user_id": "<id>"}` plus the new CSRF cookie.
///
/// OpenAPI, as django-modern-rest prints it: the 200 response documents
/// `Set-Cookie: sessionid` and `Set-Cookie: csrftoken` (the default cookie names: the
/// description is built before any configuration is known), and the controller's 401
/// `Unauthorized`.
#[derive(Debug, Clone)]
pub struct LoginResponse {
    /// The logged-in user's id.
    pub user_id: String,
    /// The `csrftoken` cookie to set (`None` when CSRF lives in the session).
    pub csrf_cookie: Option<Cookie<'static>>,
}

impl DescribeResponse for LoginResponse {
    fn response_doc() -> ResponseDoc {
        ResponseDoc::json::<DjangoSessionResponse>()
            .header("Set-Cookie: sessionid", HeaderDoc::set_cookie("sessionid"))
            .header(
                "Set-Cookie: csrftoken",
                HeaderDoc::set_cookie("csrftoken").description("CSRF protection."),
            )
            .with(ResponseDoc::error(StatusCode::UNAUTHORIZED, "Unauthorized"))
            .with(crate::backends::credentials::doc::body_errors())
            .with(crate::backends::credentials::doc::throttled())
            .with(crate::backends::credentials::doc::unavailable(
                "Raised when the session, user or throttle store cannot answer, or too many \
                 logins wait",
            ))
    }
}

impl Responder for LoginResponse {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        let mut res = HttpResponse::Ok();
        if let Some(c) = self.csrf_cookie {
            res.cookie(c);
        }
        res.json(json!({ "user_id": self.user_id }))
    }
}

/// A logout: 204 plus the cookie that removes the CSRF cookie (the session middleware removes
/// the session cookie).
#[derive(Debug, Clone)]
pub struct LogoutResponse {
    /// The removal cookie for `csrftoken` (`None` when CSRF lives in the session).
    pub csrf_removal: Option<Cookie<'static>>,
}

impl DescribeResponse for LogoutResponse {
    fn response_doc() -> ResponseDoc {
        ResponseDoc::new(StatusCode::NO_CONTENT, "No Content")
            .with(ResponseDoc::error(
                StatusCode::FORBIDDEN,
                "Raised when CSRF check failed",
            ))
            .with(crate::backends::credentials::doc::throttled())
            .with(crate::backends::credentials::doc::unavailable(
                "Raised when the session or throttle store cannot answer",
            ))
    }
}

impl Responder for LogoutResponse {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        let mut res = HttpResponse::NoContent();
        if let Some(c) = self.csrf_removal {
            res.cookie(c);
        }
        res.finish()
    }
}

/// Why [`SessionLogin`] or [`SessionLogout`] refused a request: a [`CredentialError`] (401,
/// 400/408/413/415, 403 on logout, 503 with `Retry-After` when the password gate is full, 429
/// from a login throttle, 500 when a store failed).
pub type LoginError = CredentialError;

/// The 500 of a failed session store, logged.
fn internal(e: &dyn std::fmt::Display) -> LoginError {
    CredentialError::internal("session login", e)
}
