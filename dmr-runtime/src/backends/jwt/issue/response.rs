//! What the credential views answer: the token pair, 204s, and their errors.

use actix_web::body::BoxBody;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError};

use crate::backends::credentials::{CredentialBodyError, GateBusy};
use crate::backends::csrf::CsrfRejection;
use crate::backends::jwt::blocklist::{BLOCKLIST_UNAVAILABLE, BlocklistError};
use crate::error::SECURITY;
use crate::openapi::{DescribeResponse, HeaderDoc, ResponseDoc};
use crate::respond::view_refusal;

/// The body of obtain and refresh (named as the reference names it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ObtainTokensResponse {
    /// A new access token.
    pub access_token: String,
    /// A new refresh token (with rotation, the presented one is revoked).
    pub refresh_token: String,
}

/// 200 with [`ObtainTokensResponse`] and, in cookie mode, the cookies.
#[derive(Debug, Clone)]
pub struct TokensResponse {
    /// The body.
    pub tokens: ObtainTokensResponse,
    /// Cookies to set (cookie mode).
    pub cookies: Vec<Cookie<'static>>,
}

/// The errors every credential view documents besides its own success.
fn errors() -> ResponseDoc {
    ResponseDoc::error(
        StatusCode::BAD_REQUEST,
        "Raised when the body is not JSON with the documented string fields",
    )
    .with(ResponseDoc::error(StatusCode::UNAUTHORIZED, "Unauthorized"))
    .with(ResponseDoc::error(
        StatusCode::SERVICE_UNAVAILABLE,
        "Raised when the token blocklist cannot answer, or too many logins wait",
    ))
}

/// The cookies cookie mode sets or clears (documented, not always sent).
fn cookie_headers(doc: ResponseDoc, what: &str) -> ResponseDoc {
    let header = |name: &str, desc: String| {
        HeaderDoc::set_cookie(name)
            .required(false)
            .description(desc)
    };
    doc.header(
        "Set-Cookie: access_token",
        header(
            "access_token",
            format!("Cookie mode: {what} the access token (HttpOnly)."),
        ),
    )
    .header(
        "Set-Cookie: refresh_token",
        header(
            "refresh_token",
            format!(
                "Cookie mode: {what} the refresh token (HttpOnly, path of the refresh endpoint)."
            ),
        ),
    )
    .header(
        "Set-Cookie: csrftoken",
        header("csrftoken", format!("Cookie mode: {what} the CSRF secret.")),
    )
}

impl DescribeResponse for TokensResponse {
    fn response_doc() -> ResponseDoc {
        cookie_headers(ResponseDoc::json::<ObtainTokensResponse>(), "sets")
            .with(errors())
            .with(ResponseDoc::error(
                StatusCode::FORBIDDEN,
                "Raised when CSRF check failed",
            ))
    }
}

impl Responder for TokensResponse {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        let mut res = HttpResponse::Ok();
        for c in self.cookies {
            res.cookie(c);
        }
        res.json(self.tokens)
    }
}

/// 204 for verify.
#[derive(Debug, Clone, Copy)]
pub struct Verified;

impl DescribeResponse for Verified {
    fn response_doc() -> ResponseDoc {
        ResponseDoc::new(StatusCode::NO_CONTENT, "The token is a valid access token").with(errors())
    }
}

impl Responder for Verified {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }
}

/// 204 for logout, clearing the cookies in cookie mode.
#[derive(Debug, Clone)]
pub struct LoggedOut {
    /// Removal cookies (cookie mode).
    pub cookies: Vec<Cookie<'static>>,
}

impl DescribeResponse for LoggedOut {
    fn response_doc() -> ResponseDoc {
        cookie_headers(
            ResponseDoc::new(StatusCode::NO_CONTENT, "The tokens are revoked"),
            "clears",
        )
        .with(errors())
        .with(ResponseDoc::error(
            StatusCode::FORBIDDEN,
            "Raised when CSRF check failed",
        ))
    }
}

impl Responder for LoggedOut {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        let mut res = HttpResponse::NoContent();
        for c in self.cookies {
            res.cookie(c);
        }
        res.finish()
    }
}

/// Why a credential view refused; rendered with the reference's error body. Never carries a
/// token or a password.
#[derive(Debug)]
pub enum ViewError {
    /// 401 `Not authenticated`: bad credentials, an inactive or deleted user, a token that
    /// does not decode, has the wrong type, is revoked, or was already rotated.
    NotAuthenticated,
    /// 400, 408, 413 or 415: the body is not JSON with the documented string fields, or
    /// refresh was sent without a token outside cookie mode
    /// ([`CredentialBodyError`], with its `loc`).
    Body(CredentialBodyError),
    /// 403 `CSRF Failed: <reason>`: a token taken from a cookie without a valid CSRF token.
    Csrf(CsrfRejection),
    /// 503 `Token blocklist unavailable, try again later`: the blocklist did not answer
    /// (nothing was issued or revoked).
    Unavailable,
    /// 503 `Too many logins at once: retry later` with `Retry-After: 1`: no password check
    /// slot came in time ([`GateBusy`]).
    Busy(GateBusy),
    /// 500: the user store failed or no token could be signed (logged, not shown).
    Internal,
    /// 429 `Too many requests` (type `ratelimit`) with `Retry-After`: a login throttle refused
    /// the attempt (`JwtIssuer::login_throttle`).
    Throttled(crate::throttle::stage::Refusal),
}

impl From<CredentialBodyError> for ViewError {
    fn from(e: CredentialBodyError) -> Self {
        Self::Body(e)
    }
}

impl From<BlocklistError> for ViewError {
    fn from(e: BlocklistError) -> Self {
        log::error!("{e}");
        Self::Unavailable
    }
}

impl std::fmt::Display for ViewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAuthenticated => f.write_str("Not authenticated"),
            Self::Body(e) => e.fmt(f),
            Self::Csrf(r) => r.fmt(f),
            Self::Unavailable => f.write_str(BLOCKLIST_UNAVAILABLE),
            Self::Busy(b) => b.fmt(f),
            Self::Internal => f.write_str("Internal server error"),
            Self::Throttled(r) => f.write_str(r.msg),
        }
    }
}

impl ResponseError for ViewError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotAuthenticated => StatusCode::UNAUTHORIZED,
            Self::Body(e) => e.status_code(),
            Self::Csrf(_) => StatusCode::FORBIDDEN,
            Self::Unavailable | Self::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Throttled(r) => r.status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (kind, translatable) = match self {
            Self::Body(e) => return e.error_response(),
            Self::Busy(b) => return b.error_response(),
            Self::NotAuthenticated => (Some(SECURITY), true),
            Self::Csrf(_) => (None, true),
            Self::Throttled(_) => (Some(crate::throttle::stage::RATELIMIT), false),
            Self::Unavailable | Self::Internal => (None, false),
        };
        let mut resp = view_refusal(self.status_code(), &self.to_string(), kind, translatable);
        if let Self::Throttled(r) = self {
            r.put_headers(resp.headers_mut());
        }
        resp
    }
}
