//! Plain actix cases: (a) no auth, (b) the checks written inline in the handler, and
//! (d) the same checks in `actix-web-httpauth`'s middleware. The check functions here are
//! shared with the poem-openapi cases, so (b), (d) and (e) run the same code.

use std::sync::LazyLock;

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, ReqData, ServiceConfig};
use actix_web::{Either, Error, HttpMessage, HttpRequest, HttpResponse};
use actix_web_httpauth::extractors::basic::BasicAuth;
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::{NOT_AUTHENTICATED, SECRET, check};

/// The claims a hand-written handler reads: the ones dmr requires (`sub`, `exp`, `iat`) and
/// `extras.type`, so a refresh token can be refused as dmr does.
#[derive(Debug, Clone, Deserialize)]
pub struct Claims {
    /// Subject.
    pub sub: String,
    /// Expiry.
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    #[serde(default)]
    extras: Option<Extras>,
}

#[derive(Debug, Clone, Deserialize)]
struct Extras {
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

static JWT: LazyLock<(DecodingKey, Validation)> = LazyLock::new(|| {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub"]);
    (
        DecodingKey::from_secret(SECRET.as_bytes()).expect("key"),
        validation,
    )
});

/// The hand-written JWT check: HS256 signature, `exp`, `sub` non-empty, not a refresh token.
pub fn decode_claims(token: &str) -> Option<Claims> {
    let (key, validation) = &*JWT;
    let claims = jsonwebtoken::decode::<Claims>(token, key, validation)
        .ok()?
        .claims;
    accepted(claims)
}

/// The rules past the signature and `exp`: `sub` non-empty, not a refresh token.
pub(crate) fn accepted(claims: Claims) -> Option<Claims> {
    let refresh = claims.extras.as_ref().and_then(|e| e.kind.as_deref()) == Some("refresh");
    (!claims.sub.is_empty() && !refresh).then_some(claims)
}

/// The claims a hand-written handler with dmr's rules reads: every registered claim dmr
/// types, with its type.
#[derive(Debug, Clone, Deserialize)]
pub struct StrictClaims {
    /// Subject.
    pub sub: String,
    exp: i64,
    iat: i64,
    #[serde(default)]
    nbf: Option<i64>,
    #[serde(default)]
    #[allow(dead_code)]
    iss: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    aud: Option<Aud>,
    #[serde(default)]
    #[allow(dead_code)]
    jti: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    extras: Option<Extras>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum Aud {
    One(String),
    Many(Vec<String>),
}

static JWT_STRICT: LazyLock<(DecodingKey, Validation)> = LazyLock::new(|| {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    (
        DecodingKey::from_secret(SECRET.as_bytes()).expect("key"),
        validation,
    )
});

/// The hand-written JWT check with dmr's (PyJWT's) rules: HS256 signature; `exp`, `iat` and
/// `sub` required and typed; expired at `exp <= now`; `iat` and `nbf` not in the future;
/// `sub` non-empty; `iss`, `aud`, `jti` typed when present; not a refresh token (top-level
/// or `extras.type`).
pub fn decode_claims_dmr_rules(token: &str) -> Option<StrictClaims> {
    let (key, validation) = &*JWT_STRICT;
    let c = jsonwebtoken::decode::<StrictClaims>(token, key, validation)
        .ok()?
        .claims;
    let now = i64::try_from(jsonwebtoken::get_current_timestamp()).ok()?;
    let kind = c
        .kind
        .as_deref()
        .or_else(|| c.extras.as_ref().and_then(|e| e.kind.as_deref()));
    let ok = c.exp > now
        && c.iat <= now
        && c.nbf.is_none_or(|nbf| nbf <= now)
        && !c.sub.is_empty()
        && kind != Some("refresh");
    ok.then_some(c)
}

/// The hand-written Basic check on a base64 payload: decode, split at the first colon,
/// compare. Returns the user name.
pub fn check_basic_payload(payload: &str) -> Option<String> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .ok()?;
    let text = std::str::from_utf8(&decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    check(user, pass).then(|| user.to_owned())
}

/// The 401 every hand-written case sends.
pub(crate) fn unauthorized(challenge: &'static str) -> HttpResponse {
    // the bytes dmr's 401 has: its `msg` follows `Accept-Language`, so it names its language
    HttpResponse::Unauthorized()
        .insert_header((
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        ))
        .content_type("application/json")
        .insert_header((header::CONTENT_LANGUAGE, HeaderValue::from_static("en")))
        .insert_header((header::VARY, HeaderValue::from_static("Accept-Language")))
        .body(NOT_AUTHENTICATED)
}

/// The `Authorization` value after `scheme` (with its space), as hand-written code reads it.
#[inline]
pub(crate) fn credential<'a>(req: &'a HttpRequest, scheme: &str) -> Option<&'a str> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix(scheme))
}

/// (a) No auth: the floor.
pub fn bare(cfg: &mut ServiceConfig) {
    async fn handler() -> String {
        "admin".to_owned()
    }
    cfg.route("/x", web::get().to(handler));
}

/// (b) JWT checked inline in the handler.
pub fn inline_jwt(cfg: &mut ServiceConfig) {
    async fn handler(req: HttpRequest) -> Either<String, HttpResponse> {
        let token = credential(&req, "Bearer ");
        match token.and_then(decode_claims) {
            Some(claims) => Either::Left(claims.sub),
            None => Either::Right(unauthorized("Bearer")),
        }
    }
    cfg.route("/x", web::get().to(handler));
}

/// (b'') JWT checked inline in the handler, with dmr's claim rules.
pub fn inline_jwt_dmr_rules(cfg: &mut ServiceConfig) {
    async fn handler(req: HttpRequest) -> Either<String, HttpResponse> {
        let token = credential(&req, "Bearer ");
        match token.and_then(decode_claims_dmr_rules) {
            Some(claims) => Either::Left(claims.sub),
            None => Either::Right(unauthorized("Bearer")),
        }
    }
    cfg.route("/x", web::get().to(handler));
}

/// (b) Basic checked inline in the handler.
pub fn inline_basic(cfg: &mut ServiceConfig) {
    async fn handler(req: HttpRequest) -> Either<String, HttpResponse> {
        let payload = credential(&req, "Basic ");
        match payload.and_then(check_basic_payload) {
            Some(user) => Either::Left(user),
            None => Either::Right(unauthorized("Basic realm=\"api\"")),
        }
    }
    cfg.route("/x", web::get().to(handler));
}

/// (d) `actix-web-httpauth`: a bearer validator that stores the claims for the handler.
pub fn httpauth_jwt(cfg: &mut ServiceConfig) {
    async fn validate(
        req: ServiceRequest,
        cred: BearerAuth,
    ) -> Result<ServiceRequest, (Error, ServiceRequest)> {
        match decode_claims(cred.token()) {
            Some(claims) => {
                req.extensions_mut().insert(claims);
                Ok(req)
            }
            None => Err((
                actix_web::error::ErrorUnauthorized("Not authenticated"),
                req,
            )),
        }
    }
    async fn handler(claims: ReqData<Claims>) -> String {
        claims.into_inner().sub
    }
    cfg.service(
        web::resource("/x")
            .wrap(HttpAuthentication::bearer(validate))
            .route(web::get().to(handler)),
    );
}

/// The user name a Basic validator stores.
#[derive(Debug, Clone)]
struct BasicName(String);

/// (d) `actix-web-httpauth`: a basic validator.
pub fn httpauth_basic(cfg: &mut ServiceConfig) {
    async fn validate(
        req: ServiceRequest,
        cred: BasicAuth,
    ) -> Result<ServiceRequest, (Error, ServiceRequest)> {
        if check(cred.user_id(), cred.password().unwrap_or_default()) {
            req.extensions_mut()
                .insert(BasicName(cred.user_id().to_owned()));
            Ok(req)
        } else {
            Err((
                actix_web::error::ErrorUnauthorized("Not authenticated"),
                req,
            ))
        }
    }
    async fn handler(user: ReqData<BasicName>) -> String {
        user.into_inner().0
    }
    cfg.service(
        web::resource("/x")
            .wrap(HttpAuthentication::basic(validate))
            .route(web::get().to(handler)),
    );
}
