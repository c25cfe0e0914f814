//! The reusable credential controllers (the reference's obtain, refresh and verify views;
//! logout is ours), each in an async and a sync variant. They read the [`JwtIssuer`] from app
//! data and run without auth (`auth = none`: settings and scope auth do not apply).

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};

use super::body::{ObtainRaw, RefreshRaw, VerifyRaw};
use super::flow;
use super::io::{Awaiting, Blocking, block_on};
use super::issuer::JwtIssuer;
use super::response::{LoggedOut, TokensResponse, Verified, ViewError};
use crate::auth::RequestSnapshot;
use crate::backends::credentials::{CredentialBody, LoginSuccess, WithDeviceCookie};
use crate::controller;
use crate::observe::audit::{self, Unknown};
use crate::throttle::login::{AttemptOf, LoginConfig as _, LoginThrottled};
use crate::throttle::source::Src;
use crate::throttle::token_ops::{TokenAttempt, TokenOp};

/// The request's headers and connection, owned (cookies and CSRF for the views; `Send`, so
/// sync views can take it to the blocking pool).
#[derive(Debug)]
pub struct RequestCopy(RequestSnapshot);

impl FromRequest for RequestCopy {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self(RequestSnapshot::of(req))))
    }
}

/// The client address key of a token-controller request, taken before a sync handler moves
/// to the blocking pool (`None`: no per-address throttle, or no address).
pub(crate) struct TokenClient(Option<String>);

impl FromRequest for TokenClient {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let client = req.app_data::<Data<JwtIssuer>>().and_then(|issuer| {
            issuer
                .token_throttles()
                .client(req, issuer.trust_forwarded())
        });
        std::future::ready(Ok(Self(client)))
    }
}

/// The request counted from its client address (before any token is read): the attempt to
/// count again once the token is verified, or the 429.
async fn admitted<'a>(
    issuer: &'a JwtIssuer,
    op: TokenOp,
    client: &'a TokenClient,
    blocking: bool,
) -> Result<TokenAttempt<'a>, ViewError> {
    let attempt = issuer.token_throttles().attempt(op, client.0.as_deref());
    attempt
        .address(blocking)
        .await
        .map_err(ViewError::Throttled)?;
    Ok(attempt)
}

/// `POST <scope>/obtain/` with `{"username": "..", "password": ".."}`.
///
/// * 200 `{"access_token": "..", "refresh_token": ".."}` (and, in cookie mode, the access,
///   refresh and CSRF cookies);
/// * 401 `{"detail":[{"msg":"Not authenticated","type":"security"}]}` for an unknown user, a
///   wrong password or an inactive user (all three take the time of a password check);
/// * 400 for a body that is not JSON with two strings (one item per bad field, naming it,
///   never a value) or that has no `Content-Type`, 415 for a body of another content type,
///   413 for a body over the
///   [`CredentialBodyConfig`](crate::backends::credentials::CredentialBodyConfig) limit (8 KiB
///   by default), 408 for one that takes longer than its timeout to arrive;
/// * 503 when no password-check turn comes within the issuer's wait;
/// * 429 `{"detail":[{"msg":"Too many requests","type":"ratelimit"}]}` with `Retry-After` and
///   `X-RateLimit-*` before any password is checked, once the issuer's login throttles refuse:
///   by default the 11th attempt within a minute from one client address or for one user
///   name (see [`JwtIssuer::login_throttle`]).
///
/// Mount it where you like: `.scope("/api/jwt", |s| s.controller::<JwtObtain>())`, with
/// `App::new().app_data(issuer.app_data())`.
pub struct JwtObtain;

#[controller(path = "", auth = none, crate = crate)]
impl JwtObtain {
    /// Obtain an access and a refresh token with a user name and a password.
    #[endpoint(post, path = "/obtain/")]
    async fn obtain(
        issuer: Data<JwtIssuer>,
        req: actix_web::HttpRequest,
        body: CredentialBody<ObtainRaw>,
    ) -> Result<LoginThrottled<WithDeviceCookie<TokensResponse>>, ViewError> {
        let credentials = body.into_inner().require()?;
        let trust_forwarded = issuer.trust_forwarded();
        let src = || Src::Live(&req, trust_forwarded);
        let LoginSuccess {
            user,
            device_cookie,
        } = issuer
            .login
            .login(&req, trust_forwarded, credentials)
            .await
            .inspect_err(|e| audit::login_failed(src(), "jwt", e.audit_reason()))?;
        audit::login_succeeded(src(), "jwt", &user.id);
        let issued = flow::obtain(&issuer, &user);
        issued
            .inspect(|_| audit::jwt_issued(src(), &user.id))
            .map(|tokens| LoginThrottled(WithDeviceCookie(tokens, device_cookie)))
    }
}

/// [`JwtObtain`] for sync controllers: the password check runs inline on the blocking pool.
/// It counts attempts with the same login throttles as [`JwtObtain`] (the two share their
/// counters when they share an issuer), and answers the same 429.
pub struct JwtObtainSync;

#[controller(path = "", auth = none, crate = crate)]
impl JwtObtainSync {
    /// Obtain an access and a refresh token with a user name and a password.
    #[endpoint(post, path = "/obtain/")]
    fn obtain(
        issuer: Data<JwtIssuer>,
        attempt: AttemptOf<JwtIssuer>,
        body: CredentialBody<ObtainRaw>,
    ) -> Result<LoginThrottled<WithDeviceCookie<TokensResponse>>, ViewError> {
        let credentials = body.into_inner().require()?;
        let LoginSuccess {
            user,
            device_cookie,
        } = issuer
            .login
            .login_blocking(attempt.attempt(), credentials)
            .inspect_err(|e| audit::login_failed(Unknown, "jwt", e.audit_reason()))?;
        audit::login_succeeded(Unknown, "jwt", &user.id);
        let issued = flow::obtain(&issuer, &user);
        issued
            .inspect(|_| audit::jwt_issued(Unknown, &user.id))
            .map(|tokens| LoginThrottled(WithDeviceCookie(tokens, device_cookie)))
    }
}

/// `POST <scope>/refresh/` with `{"refresh_token": ".."}` (in cookie mode the refresh cookie
/// may stand for it, with a CSRF check).
///
/// * 200 `{"access_token": "..", "refresh_token": ".."}`: a new pair, as the reference
///   answers (new `jti`, `iat` and full lifetimes, the login's family kept); with rotation
///   the presented refresh token is revoked;
/// * 401 for an access token, an expired, malformed or revoked token, a deleted or inactive
///   user, and a rotated refresh token presented again (which also revokes its family);
/// * 400 for a body that is not JSON or whose `refresh_token` is not a string (408, 413,
///   415 for a slow, large or non-JSON body); 403 for a cookie without CSRF; 503 with
///   `Retry-After: 1` when the blocklist cannot answer or is full;
/// * 429 `Too many requests` with `Retry-After` and `X-RateLimit-*` once the issuer's token
///   throttles refuse: by default the 61st request within a minute from one client address,
///   the 31st for one subject, the 11th for one refresh family (GCRA; see
///   [`JwtIssuer::token_address_throttle`]), or when the token's subject holds its whole
///   quota of the in-memory blocklist
///   ([`MemoryBlocklist::per_subject`](crate::backends::jwt::blocklist::MemoryBlocklist::per_subject)).
pub struct JwtRefresh;

#[controller(path = "", auth = none, crate = crate)]
impl JwtRefresh {
    /// Exchange a refresh token for new tokens.
    #[endpoint(post, path = "/refresh/")]
    async fn refresh(
        issuer: Data<JwtIssuer>,
        client: TokenClient,
        req: RequestCopy,
        body: CredentialBody<RefreshRaw>,
    ) -> Result<TokensResponse, ViewError> {
        let attempt = admitted(&issuer, TokenOp::Refresh, &client, false).await?;
        let raw = flow::refresh_token(&issuer, &req.0.view(), body.into_inner().check()?)?;
        flow::refresh(&Awaiting, &issuer, &attempt, &raw).await
    }
}

/// [`JwtRefresh`] for sync controllers.
pub struct JwtRefreshSync;

#[controller(path = "", auth = none, crate = crate)]
impl JwtRefreshSync {
    /// Exchange a refresh token for new tokens.
    #[endpoint(post, path = "/refresh/")]
    fn refresh(
        issuer: Data<JwtIssuer>,
        client: TokenClient,
        req: RequestCopy,
        body: CredentialBody<RefreshRaw>,
    ) -> Result<TokensResponse, ViewError> {
        let attempt = block_on(admitted(&issuer, TokenOp::Refresh, &client, true))?;
        let raw = flow::refresh_token(&issuer, &req.0.view(), body.into_inner().check()?)?;
        block_on(flow::refresh(&Blocking, &issuer, &attempt, &raw))
    }
}

/// `POST <scope>/verify/` with `{"access_token": ".."}`: 204 for a valid, unrevoked access
/// token of an active user; 401 otherwise (a refresh token included); 400 (408, 413, 415)
/// for a bad body; 429 from the token throttles (as for [`JwtRefresh`]); 503 with
/// `Retry-After: 1` when the blocklist cannot answer.
pub struct JwtVerify;

#[controller(path = "", auth = none, crate = crate)]
impl JwtVerify {
    /// Check an access token.
    #[endpoint(post, path = "/verify/")]
    async fn verify(
        issuer: Data<JwtIssuer>,
        client: TokenClient,
        body: CredentialBody<VerifyRaw>,
    ) -> Result<Verified, ViewError> {
        let attempt = admitted(&issuer, TokenOp::Verify, &client, false).await?;
        flow::verify(&Awaiting, &issuer, &attempt, body.into_inner().check()?).await
    }
}

/// [`JwtVerify`] for sync controllers.
pub struct JwtVerifySync;

#[controller(path = "", auth = none, crate = crate)]
impl JwtVerifySync {
    /// Check an access token.
    #[endpoint(post, path = "/verify/")]
    fn verify(
        issuer: Data<JwtIssuer>,
        client: TokenClient,
        body: CredentialBody<VerifyRaw>,
    ) -> Result<Verified, ViewError> {
        let attempt = block_on(admitted(&issuer, TokenOp::Verify, &client, true))?;
        let body = body.into_inner().check()?;
        block_on(flow::verify(&Blocking, &issuer, &attempt, body))
    }
}

/// `POST <scope>/logout/`: revokes the access token of `Authorization: Bearer` (or, in cookie
/// mode, of the access cookie, with a CSRF check) and the refresh token of the body (or, in
/// cookie mode, of the refresh cookie when its path reaches logout), and the refresh family of
/// each (every token from that login); clears the cookies in cookie mode.
///
/// * 204 once everything is revoked;
/// * 401 when no token is presented, or a presented one is invalid (wrong type included);
/// * 400 (408, 413, 415) for a bad body; 403 for a cookie without CSRF; 503 with
///   `Retry-After: 1` when the blocklist cannot answer or is full (then nothing is known to
///   be revoked: retry);
/// * 429 from the token throttles (as for [`JwtRefresh`], counted apart from refresh's), or
///   when the subject holds its whole quota of families in the in-memory blocklist.
///
/// A token with a refresh family is revoked by its family (one entry covers every token of
/// that login); one without, by its `jti`.
///
/// Without a blocklist on the issuer nothing can be revoked: logout only clears the cookies.
pub struct JwtLogout;

#[controller(path = "", auth = none, crate = crate)]
impl JwtLogout {
    /// Revoke the presented tokens.
    #[endpoint(post, path = "/logout/")]
    async fn logout(
        issuer: Data<JwtIssuer>,
        client: TokenClient,
        req: RequestCopy,
        body: CredentialBody<RefreshRaw>,
    ) -> Result<LoggedOut, ViewError> {
        let attempt = admitted(&issuer, TokenOp::Logout, &client, false).await?;
        let body = body.into_inner().check()?;
        flow::logout(&Awaiting, &issuer, &attempt, &req.0.view(), body).await
    }
}

/// [`JwtLogout`] for sync controllers.
pub struct JwtLogoutSync;

#[controller(path = "", auth = none, crate = crate)]
impl JwtLogoutSync {
    /// Revoke the presented tokens.
    #[endpoint(post, path = "/logout/")]
    fn logout(
        issuer: Data<JwtIssuer>,
        client: TokenClient,
        req: RequestCopy,
        body: CredentialBody<RefreshRaw>,
    ) -> Result<LoggedOut, ViewError> {
        let attempt = block_on(admitted(&issuer, TokenOp::Logout, &client, true))?;
        let body = body.into_inner().check()?;
        block_on(flow::logout(
            &Blocking,
            &issuer,
            &attempt,
            &req.0.view(),
            body,
        ))
    }
}
