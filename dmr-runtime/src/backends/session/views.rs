//! The reusable login and logout controllers (reference `SPEC.md` 3.4; logout is ours).
//! Both read the [`SessionConfig`] from app data and run without auth.

use std::borrow::Cow;

use actix_web::body::BoxBody;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError};
use serde_json::{Value, json};

use super::{Session, SessionConfig, login_session, logout_session};
use crate::auth::AuthRequest;
use crate::backends::csrf::CsrfRejection;
use crate::controller;
use crate::error::{DefaultErrorModel, ErrorItem, ErrorModel as _, SECURITY, VALUE_ERROR};
use crate::openapi::{DescribeResponse, HeaderDoc, ResponseDoc};
use crate::throttle::stage::{RATELIMIT, Refusal};

/// `POST <scope>/login/` with `{"username": "..", "password": ".."}`.
///
/// * 200 `{"user_id": "<id>"}` with the session cookie (set by the session middleware, under
///   a renewed id) and the `csrftoken` cookie (a new secret; not when CSRF lives in the
///   session);
/// * 401 `{"detail":[{"msg":"Not authenticated","type":"security"}]}` and no cookie for an
///   unknown user, a wrong password or an inactive user;
/// * 400 for a body that is not JSON with two strings (the message never echoes a value).
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
        body: Json<LoginPayload>,
    ) -> Result<LoginResponse, LoginError> {
        let body = body.into_inner().0;
        let username = string_field(&body, "username")?;
        let password = string_field(&body, "password")?;
        config
            .login_throttles
            .check(&req, &username, config.csrf.trust_forwarded)
            .await
            .map_err(LoginError::Throttled)?;
        if password.len() > MAX_PASSWORD_BYTES {
            // no hashing of megabyte "passwords": no real password is that long
            return Err(LoginError::NotAuthenticated);
        }
        let found = config
            .authenticate(username, password)
            .await
            .map_err(|e| LoginError::internal(&e))?;
        let user = found.ok_or(LoginError::NotAuthenticated)?;
        let csrf_cookie =
            login_session(&session, &config, &user).map_err(|e| LoginError::internal(&e))?;
        Ok(LoginResponse {
            user_id: user.id,
            csrf_cookie,
        })
    }
}

/// `POST <scope>/logout/`: ends the session on the server (with a server-side store such as
/// Redis, on every server) and clears the session and CSRF cookies; 204.
///
/// A request whose session holds a user must pass the CSRF check (403 otherwise), so another
/// site cannot log your users out; without a logged-in user it just clears the cookies.
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
        if session.contains_key(super::SESSION_USER_ID_KEY) {
            config
                .get_csrf()
                .check(&AuthRequest::live(&req))
                .map_err(LoginError::Csrf)?;
        }
        Ok(LogoutResponse {
            csrf_removal: logout_session(&session, &config),
        })
    }
}

/// Longer passwords are refused without hashing them (Django's `MAX_PASSWORD_LENGTH`).
const MAX_PASSWORD_BYTES: usize = 4096;

fn string_field(body: &Value, name: &'static str) -> Result<String, LoginError> {
    match body.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(LoginError::BadField {
            field: name,
            msg: "Input should be a valid string",
        }),
        None => Err(LoginError::BadField {
            field: name,
            msg: "Field required",
        }),
    }
}

/// The login body as received: any JSON, checked field by field by the login endpoint so that
/// no error message ever quotes a value (serde's would quote a numeric password). Documented
/// in OpenAPI as [`DjangoSessionPayload`].
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(transparent)]
pub struct LoginPayload(pub Value);

impl utoipa::PartialSchema for LoginPayload {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <DjangoSessionPayload as utoipa::PartialSchema>::schema()
    }
}

impl utoipa::ToSchema for LoginPayload {
    fn name() -> Cow<'static, str> {
        <DjangoSessionPayload as utoipa::ToSchema>::name()
    }
}

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
/// OpenAPI (reference `SPEC.md` 3.4): the 200 response documents `Set-Cookie: sessionid` and
/// `Set-Cookie: csrftoken` (the default cookie names: the description is built before any
/// configuration is known), and the controller's 401 `Unauthorized`.
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
            .with(
                ResponseDoc::error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Raised when the request was throttled",
                )
                .header(
                    "Retry-After",
                    HeaderDoc::new(<i64 as utoipa::PartialSchema>::schema())
                        .description("Seconds until a request would pass."),
                ),
            )
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
        ResponseDoc::new(StatusCode::NO_CONTENT, "No Content").with(ResponseDoc::error(
            StatusCode::FORBIDDEN,
            "Raised when CSRF check failed",
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

/// Why login or logout failed; rendered with the reference's error body. Never carries a
/// password.
#[derive(Debug)]
pub enum LoginError {
    /// 401 `Not authenticated`: unknown user, wrong password or inactive user.
    NotAuthenticated,
    /// 400: a field is missing or not a string.
    BadField {
        /// `username` or `password`.
        field: &'static str,
        /// `Field required` or `Input should be a valid string`.
        msg: &'static str,
    },
    /// 403 `CSRF Failed: <reason>` (logout of a logged-in session).
    Csrf(CsrfRejection),
    /// 500: the user store or the session store failed (logged, not shown).
    Internal,
    /// 429 `Too many requests` (type `ratelimit`) with `Retry-After`: a login throttle
    /// refused the attempt (see [`SessionConfig::login_throttle`]).
    Throttled(Refusal),
}

impl LoginError {
    fn internal(e: &dyn std::fmt::Display) -> Self {
        log::error!("session login/logout: {e}");
        Self::Internal
    }
}

impl std::fmt::Display for LoginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAuthenticated => f.write_str("Not authenticated"),
            Self::BadField { field, msg } => write!(f, "{msg}: `{field}`"),
            Self::Csrf(r) => r.fmt(f),
            Self::Internal => f.write_str("Internal server error"),
            Self::Throttled(r) => f.write_str(r.msg),
        }
    }
}

impl ResponseError for LoginError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotAuthenticated => StatusCode::UNAUTHORIZED,
            Self::BadField { .. } => StatusCode::BAD_REQUEST,
            Self::Csrf(_) => StatusCode::FORBIDDEN,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Throttled(r) => r.status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let kind = match self {
            Self::NotAuthenticated => Some(SECURITY),
            Self::BadField { .. } => Some(VALUE_ERROR),
            Self::Throttled(_) => Some(RATELIMIT),
            Self::Csrf(_) | Self::Internal => None,
        };
        let msg = self.to_string();
        let body = DefaultErrorModel::render_bytes(&ErrorItem { msg: &msg, kind });
        let mut resp = HttpResponse::build(self.status_code())
            .content_type("application/json")
            .body(body);
        if let Self::Throttled(r) = self {
            r.put_headers(resp.headers_mut());
        }
        resp
    }
}
