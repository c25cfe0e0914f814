//! The reusable token controllers: obtain a token, list my tokens, revoke
//! the presenting token, revoke all. They read [`ApiTokens`] from application state.

use crate::observe::audit::{self, Unknown};
use crate::throttle::source::Src;
use crate::throttle::token_ops::TokenOp;
use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, Responder};

use super::auth::{TOKEN_STORE_UNAVAILABLE, TokenUser};
use super::config::{ApiTokens, TokenError};
use super::model::{Expiry, TokenInfo, TokenMetadata};
use crate::backends::credentials::{
    CredentialBody, CredentialError, CredentialPair, LoginSuccess, WithDeviceCookie,
};
use crate::controller;
use crate::extract::Authed;
use crate::openapi::{DescribeResponse, ResponseDoc};

/// `POST <scope>/` with `{"username": "..", "password": ".."}` -> 200 `{"token": "<raw>"}`:
/// the only time the raw token is shown. 401 for unknown users, wrong passwords and inactive
/// users; 400/408/413 for a bad body (a [`CredentialBody`]: JSON of at most 8 KiB within
/// 10 s by default); 503 when a store fails ([`TOKEN_STORE_UNAVAILABLE`]) or too many password
/// checks are under way (`Too many logins at once: retry later`), both with `Retry-After: 1`;
/// 429 `{"detail":[{"msg":"Too many requests","type":"ratelimit"}]}` with `Retry-After` and
/// `X-RateLimit-*` before any password is checked, once the login throttles refuse: by
/// default the 11th attempt within a minute from one client address or for one user name
/// ([`ApiTokens::login_throttle`]).
///
/// No auth (`auth = none`) and no CSRF: the JSON content type it requires keeps plain
/// cross-site forms out. Password checks run on actix's blocking pool through
/// [`ApiTokens::password_gate`].
/// Mount it where you like: `.scope("/api/tokens", |s| s.controller::<TokenObtain>())`.
pub struct TokenObtain;

#[controller(path = "", auth = none, crate = crate)]
impl TokenObtain {
    /// Exchange a user name and a password for an API token (shown once).
    #[endpoint(post, path = "/")]
    async fn obtain(
        tokens: Data<ApiTokens>,
        req: HttpRequest,
        body: ObtainTokenBody,
    ) -> Result<WithDeviceCookie<ObtainTokenResponse>, TokenViewError> {
        let credentials = body.into_inner().require()?;
        let login = tokens.login.login(&req, false, credentials).await;
        let LoginSuccess {
            user,
            device_cookie,
        } = login.inspect_err(|e| {
            audit::login_failed(Src::Live(&req, false), "token", e.audit_reason())
        })?;
        audit::login_succeeded(Src::Live(&req, false), "token", &user.id);
        let (_, raw) = tokens.issue(&user.id, None, Expiry::Default).await?;
        audit::token_issued(Src::Live(&req, false), &user.id);
        Ok(WithDeviceCookie(
            ObtainTokenResponse { token: raw },
            device_cookie,
        ))
    }
}

/// The caller's own tokens, behind [`ApiTokens::get_views_auth`] (the header auth unless
/// [`ApiTokens::views_auth`] says otherwise):
///
/// * `GET <scope>/`: 200, the caller's tokens, metadata only, newest first;
/// * `DELETE <scope>/current/`: 204, revokes the token of this request;
/// * `DELETE <scope>/`: 204, revokes every token of the caller ("log out everywhere").
///
/// The two revocations are throttled by default, together: per client address (60 at once,
/// then one a second) and per user (30, then one every 2 seconds); over a limit, 429 with
/// `Retry-After`.
///
/// ```
/// use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
/// use dmr_runtime::backends::users::MemoryUsers;
/// use dmr_runtime::throttle::Throttle;
///
/// let store = SqliteTokens::open_in_memory().unwrap();
/// let hasher = TokenHasher::new("a long random secret from the configuration");
/// let tokens = ApiTokens::new(store, MemoryUsers::new(), hasher)
///     .revoke_user_throttle(Some(Throttle::per_minute(5).smooth()));
/// assert_eq!(tokens.get_revoke_user_throttle().unwrap().rate().max(), 5);
/// assert_eq!(tokens.get_revoke_address_throttle().unwrap().rate().max(), 60);
/// ```
pub struct TokenManage;

#[controller(path = "", auth = [|t: &ApiTokens| t.get_views_auth()], crate = crate)]
impl TokenManage {
    /// List my API tokens (metadata only).
    #[endpoint(get, path = "/")]
    async fn list(
        tokens: Data<ApiTokens>,
        user: Authed<TokenUser>,
    ) -> Result<Json<Vec<TokenInfo>>, TokenViewError> {
        Ok(Json(tokens.list(&user.user_id).await?))
    }

    /// Revoke the token this request presents.
    #[endpoint(delete, path = "/current/")]
    async fn revoke_current(
        tokens: Data<ApiTokens>,
        user: Authed<TokenUser>,
        req: HttpRequest,
    ) -> Result<NoContent, TokenViewError> {
        admit_revoke(&tokens, &req, &user.user_id).await?;
        tokens.revoke(user.token.id, &user.user_id).await?;
        audit::token_revoked(Unknown, &user.user_id);
        Ok(NoContent)
    }

    /// Revoke all my tokens (log out everywhere).
    #[endpoint(delete, path = "/")]
    async fn revoke_all(
        tokens: Data<ApiTokens>,
        user: Authed<TokenUser>,
        req: HttpRequest,
    ) -> Result<NoContent, TokenViewError> {
        admit_revoke(&tokens, &req, &user.user_id).await?;
        tokens.revoke_all(&user.user_id).await?;
        audit::token_revoked(Unknown, &user.user_id);
        Ok(NoContent)
    }
}

/// Counts a revocation by its client address and its user (`Err` with the 429).
async fn admit_revoke(
    tokens: &ApiTokens,
    req: &HttpRequest,
    user: &str,
) -> Result<(), TokenViewError> {
    tokens
        .ops
        .admit(TokenOp::TokenRevoke, req, false, Some(user))
        .await
        .map_err(CredentialError::Throttled)
}

/// The obtain body as read: a user name and a password, checked field by field so that no
/// error message quotes a value. Documented in OpenAPI as [`ObtainTokenPayload`].
pub type ObtainTokenFields = CredentialPair<ObtainTokenPayload>;

/// What [`TokenObtain`] reads.
pub type ObtainTokenBody = CredentialBody<ObtainTokenFields>;

/// Credentials for a token (named as the reference names them).
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct ObtainTokenPayload {
    /// The login name.
    pub username: String,
    /// The password (never logged or echoed).
    pub password: String,
}

/// The body of a successful obtain (named as the reference names it).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ObtainTokenResponse {
    /// The raw token: send it as `X-API-Token` (or as configured). Shown only here.
    pub token: String,
}

impl DescribeResponse for ObtainTokenResponse {
    fn response_doc() -> ResponseDoc {
        ResponseDoc::json::<ObtainTokenResponse>()
            .with(ResponseDoc::error(StatusCode::UNAUTHORIZED, "Unauthorized"))
            .with(crate::backends::credentials::doc::body_errors())
            .with(crate::backends::credentials::doc::throttled())
            .with(crate::backends::credentials::doc::unavailable(
                "Raised when the token, user or throttle store is unavailable, or too many \
                 logins wait",
            ))
    }
}

impl Responder for ObtainTokenResponse {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok()
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .json(self)
    }
}

impl DescribeResponse for Vec<TokenInfo> {
    fn response_doc() -> ResponseDoc {
        ResponseDoc::json::<Vec<TokenMetadata>>()
    }
}

/// 204 No Content: a revocation done (documented with the throttles' 429 and the stores'
/// 503).
#[derive(Debug, Clone, Copy)]
pub struct NoContent;

impl DescribeResponse for NoContent {
    fn response_doc() -> ResponseDoc {
        ResponseDoc::new(StatusCode::NO_CONTENT, "No Content")
            .with(crate::backends::credentials::doc::throttled())
            .with(crate::backends::credentials::doc::unavailable(
                "Raised when the token or throttle store cannot answer",
            ))
    }
}

impl Responder for NoContent {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }
}

/// Why a token view refused a request: a [`CredentialError`] (400/408/413/415 for a bad
/// body, 401, 503 [`TOKEN_STORE_UNAVAILABLE`] or `Too many logins at once` with
/// `Retry-After: 1`, 429 from a login throttle).
pub type TokenViewError = CredentialError;

impl From<TokenError> for CredentialError {
    fn from(e: TokenError) -> Self {
        crate::observe::flood::gated!(error, "token_view", "token view: {e}");
        Self::Unavailable(TOKEN_STORE_UNAVAILABLE)
    }
}
