//! What the credential views answer: the token pair, 204s, and their errors.

use actix_web::body::BoxBody;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, Responder};

use crate::backends::credentials::{CredentialError, doc};
use crate::backends::jwt::blocklist::{BLOCKLIST_UNAVAILABLE, BlocklistError};
use crate::openapi::{DescribeResponse, HeaderDoc, ResponseDoc};
use crate::throttle::stage::{Refusal, TOO_MANY_REQUESTS};

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
    doc::body_errors()
        .with(ResponseDoc::error(StatusCode::UNAUTHORIZED, "Unauthorized"))
        .with(doc::throttled())
        .with(doc::unavailable(
            "Raised when the token blocklist or a throttle store cannot answer, or too many \
             logins wait",
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

/// Why a JWT credential view refused a request: a [`CredentialError`] (401, 400/408/413/415
/// for a bad body, 403 for a cookie without CSRF, 503 `Token blocklist unavailable, try again
/// later` or `Too many logins at once` with `Retry-After: 1`, 429 from a login throttle, 500
/// when the user store failed or nothing could be signed).
pub type ViewError = CredentialError;

impl From<BlocklistError> for CredentialError {
    /// 503 [`BLOCKLIST_UNAVAILABLE`] with `Retry-After: 1` (logged), or, for a subject over
    /// its quota of the store, 429 `Too many requests` with the suggested `Retry-After`.
    fn from(e: BlocklistError) -> Self {
        if let Some(wait) = e.retry_after() {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, HeaderValue::from(wait.as_secs().max(1)));
            return Self::Throttled(Refusal {
                status: StatusCode::TOO_MANY_REQUESTS,
                msg: TOO_MANY_REQUESTS,
                headers,
            });
        }
        crate::observe::flood::gated!(error, "jwt_view", "{e}");
        Self::Unavailable(BLOCKLIST_UNAVAILABLE)
    }
}
