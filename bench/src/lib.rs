//! The cases of issue 6, shared by the criterion benches (`benches/per_request.rs`) and the
//! per-request instruction counter (`src/bin/per_request.rs`, run under callgrind).
//!
//! Every case serves one route and answers the same body: the name of the user that got in
//! (`admin`). The JWT is the demo's (HS256, `sub = admin`, `extras.type = access`, valid for a
//! day); Basic is `admin:pass`. Requests go through actix's test service (`call_service`) or,
//! for poem-openapi, poem's own `TestClient`; no network.

pub mod actix_cases;
pub mod check;
pub mod dmr_cases;
pub mod poem_cases;
pub mod reply;
pub mod runner;
pub mod serve;
pub mod signed_cases;
pub mod store_cases;
pub mod verify_cases;

use std::time::Duration;

use actix_web::http::StatusCode;
use dmr_runtime::backends::basic::{basic_auth, constant_time_eq};
use dmr_runtime::backends::jwt::JwtToken;

/// The demo's HS256 secret (43 bytes).
pub const SECRET: &str = "dmr-demo-secret-change-me-0123456789abcdef";

/// The reference's 401 body, which every 401 case answers.
pub const NOT_AUTHENTICATED: &[u8] =
    br#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#;

/// The demo's token for `admin` (with a `jti`, which a blocklist needs).
pub fn token() -> String {
    JwtToken::new("admin", Duration::from_secs(24 * 3600))
        .with_jti("0123456789abcdef0123456789abcdef")
        .with_type("access")
        .encode_hs256(SECRET)
        .expect("sign the bench token")
}

/// `Authorization: Bearer <token>`.
pub fn bearer() -> String {
    format!("Bearer {}", token())
}

/// `Authorization: Basic YWRtaW46cGFzcw==`.
pub fn basic() -> String {
    basic_auth("admin", "pass")
}

/// The Basic check every case uses: both comparisons evaluated, in constant time.
pub fn check(user: &str, pass: &str) -> bool {
    constant_time_eq(user, "admin") & constant_time_eq(pass, "pass")
}

/// What a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creds {
    /// No `Authorization` header (the 401 path).
    None,
    /// `Bearer <token>`.
    Bearer,
    /// `Basic <admin:pass>`.
    Basic,
    /// `Bearer <token>` signed with an asymmetric algorithm, with `iss` and `aud`.
    Signed(signed_cases::Signed),
    /// `X-API-Token: <raw>`: an opaque API token (issued by [`store_cases`]).
    ApiToken,
}

impl Creds {
    /// The credential header, `(name, value)`, if any.
    pub fn header(self) -> Option<(&'static str, String)> {
        let auth = |v| Some(("authorization", v));
        match self {
            Self::None => None,
            Self::Bearer => auth(bearer()),
            Self::Basic => auth(basic()),
            Self::Signed(alg) => auth(alg.bearer()),
            Self::ApiToken => Some(("x-api-token", store_cases::api_token())),
        }
    }

    /// The answer every implementation gives: 200 `admin`, or the 401.
    pub fn expected(self) -> StatusCode {
        match self {
            Self::None => StatusCode::UNAUTHORIZED,
            _ => StatusCode::OK,
        }
    }
}

/// One benchmark case: a name, what it sends, and how it is served.
pub struct Case {
    /// Short id (`c-jwt`), the criterion id and the argument of the counter binary.
    pub id: &'static str,
    /// The issue's letter and what it is.
    pub label: &'static str,
    /// What the request carries.
    pub creds: Creds,
    /// Which case the ratio is taken to (`b-jwt`, `b-basic`, `g-b-jwt`).
    pub baseline: &'static str,
    kind: Kind,
}

impl Case {
    /// The case whose response this one must match (`per_request --check`): its baseline,
    /// the hand-written case of the same auth.
    pub fn reference(&self) -> &'static str {
        self.baseline
    }
}

pub(crate) enum Kind {
    Actix(fn(&mut actix_web::web::ServiceConfig)),
    Poem(fn() -> poem::Route),
}

/// Every case, in report order.
pub fn cases() -> Vec<Case> {
    use Creds::*;
    use signed_cases::Signed::{EdDsa, Rs256};
    let a = |id, label, creds, baseline, f| Case {
        id,
        label,
        creds,
        baseline,
        kind: Kind::Actix(f),
    };
    let p = |id, label, creds, baseline, f| Case {
        id,
        label,
        creds,
        baseline,
        kind: Kind::Poem(f),
    };
    vec![
        a(
            "a-bare",
            "(a) bare actix handler, no auth (same request as b-jwt)",
            Bearer,
            "b-jwt",
            actix_cases::bare,
        ),
        // JWT
        a(
            "b-jwt",
            "(b) hand-written: jsonwebtoken::decode inline",
            Bearer,
            "b-jwt",
            actix_cases::inline_jwt,
        ),
        a(
            "b3-jwt",
            "(b'') hand-written: jsonwebtoken::decode inline, with dmr's claim rules",
            Bearer,
            "b-jwt",
            actix_cases::inline_jwt_dmr_rules,
        ),
        a(
            "b2-jwt",
            "(b') hand-written, calling dmr's JwtAuth check inline",
            Bearer,
            "b-jwt",
            dmr_cases::inline_dmr_jwt,
        ),
        a(
            "c-jwt",
            "(c) dmr endpoint, auth = [JwtAuth]",
            Bearer,
            "b-jwt",
            dmr_cases::jwt,
        ),
        a(
            "c0-jwt",
            "(c) dmr endpoint, auth = [JwtAuth], handler without `Authed<JwtToken>`",
            Bearer,
            "b-jwt",
            dmr_cases::jwt_no_arg,
        ),
        a(
            "d-jwt",
            "(d) actix-web-httpauth bearer middleware",
            Bearer,
            "b-jwt",
            actix_cases::httpauth_jwt,
        ),
        p(
            "e-jwt",
            "(e) poem-openapi bearer SecurityScheme",
            Bearer,
            "b-jwt",
            poem_cases::jwt,
        ),
        // asymmetric signatures, each against its own hand-written baseline
        a(
            "b-rs256",
            "(b) hand-written: jsonwebtoken::decode inline, RS256",
            Signed(Rs256),
            "b-rs256",
            signed_cases::inline_rs256,
        ),
        a(
            "c-rs256",
            "(c) dmr endpoint, auth = [JwtAuth::rsa_pem(RS256, ..)]",
            Signed(Rs256),
            "b-rs256",
            signed_cases::jwt_rs256,
        ),
        a(
            "o-rs256",
            "(o) dmr endpoint, auth = [OidcAuth] (JWKS), RS256",
            Signed(Rs256),
            "b-rs256",
            signed_cases::oidc_rs256,
        ),
        a(
            "b-eddsa",
            "(b) hand-written: jsonwebtoken::decode inline, EdDSA",
            Signed(EdDsa),
            "b-eddsa",
            signed_cases::inline_eddsa,
        ),
        a(
            "c-eddsa",
            "(c) dmr endpoint, auth = [JwtAuth::ed_pem(..)]",
            Signed(EdDsa),
            "b-eddsa",
            signed_cases::jwt_eddsa,
        ),
        a(
            "o-eddsa",
            "(o) dmr endpoint, auth = [OidcAuth] (JWKS), EdDSA",
            Signed(EdDsa),
            "b-eddsa",
            signed_cases::oidc_eddsa,
        ),
        // Basic
        a(
            "b-basic",
            "(b) hand-written: Basic parse + compare inline",
            Basic,
            "b-basic",
            actix_cases::inline_basic,
        ),
        a(
            "b2-basic",
            "(b') hand-written, calling dmr's HttpBasic check inline",
            Basic,
            "b-basic",
            dmr_cases::inline_dmr_basic,
        ),
        a(
            "c-basic",
            "(c) dmr endpoint, auth = [HttpBasic]",
            Basic,
            "b-basic",
            dmr_cases::basic,
        ),
        a(
            "d-basic",
            "(d) actix-web-httpauth basic middleware",
            Basic,
            "b-basic",
            actix_cases::httpauth_basic,
        ),
        p(
            "e-basic",
            "(e) poem-openapi basic SecurityScheme",
            Basic,
            "b-basic",
            poem_cases::basic,
        ),
        // chains: n-1 Basic auths skip a Bearer credential, the JWT at the end succeeds
        a(
            "f-chain-1",
            "(f) dmr chain of 1: [JWT]",
            Bearer,
            "b-jwt",
            dmr_cases::chain1,
        ),
        a(
            "f-chain-3",
            "(f) dmr chain of 3: 2 x Basic (skip), JWT",
            Bearer,
            "b-jwt",
            dmr_cases::chain3,
        ),
        a(
            "f-chain-4",
            "(f) dmr chain of 4: 3 x Basic (skip), JWT",
            Bearer,
            "b-jwt",
            dmr_cases::chain4,
        ),
        a(
            "f-chain-16",
            "(f) dmr chain of 16: 15 x Basic (skip), JWT",
            Bearer,
            "b-jwt",
            dmr_cases::chain16,
        ),
        // the JWT blocklist: the same endpoint as c-jwt, asking a store on every request
        a(
            "h-jwt-memory",
            "(h) dmr endpoint, auth = [JwtAuth + MemoryBlocklist] (100k revoked entries)",
            Bearer,
            "b-jwt",
            dmr_cases::jwt_memory_blocklist,
        ),
        a(
            "h-jwt-redis",
            "(h) dmr endpoint, auth = [JwtAuth + RedisBlocklist] (one EXISTS on 127.0.0.1:6379)",
            Bearer,
            "b-jwt",
            dmr_cases::jwt_redis_blocklist,
        ),
        // stores on the JWT endpoint's path, each against the dmr JWT endpoint
        a(
            "t-jwt-memory",
            "(t) dmr endpoint, auth = [JwtAuth], one in-memory throttle (fixed window)",
            Bearer,
            "b-jwt",
            store_cases::jwt_memory_throttle,
        ),
        a(
            "k-sqlite",
            "(k) dmr endpoint, auth = [ApiTokens::header()], opaque token on SQLite (last-used off)",
            ApiToken,
            "b-jwt",
            store_cases::sqlite_token,
        ),
        // 401: no credentials
        a(
            "g-b-jwt",
            "(g) 401, hand-written JWT",
            None,
            "g-b-jwt",
            actix_cases::inline_jwt,
        ),
        a(
            "g-c-jwt",
            "(g) 401, dmr JWT endpoint",
            None,
            "g-b-jwt",
            dmr_cases::jwt,
        ),
        a(
            "g-d-jwt",
            "(g) 401, actix-web-httpauth bearer",
            None,
            "g-b-jwt",
            actix_cases::httpauth_jwt,
        ),
        p(
            "g-e-jwt",
            "(g) 401, poem-openapi bearer",
            None,
            "g-b-jwt",
            poem_cases::jwt,
        ),
    ]
    .into_iter()
    .filter(|c| c.id != "h-jwt-redis" || redis_up())
    .collect()
}

/// Whether the Redis of the `h-jwt-redis` case answers (the case is left out otherwise).
pub fn redis_up() -> bool {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 6379));
    std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(300)).is_ok()
}

/// The case named `id`.
pub fn case(id: &str) -> Option<Case> {
    cases().into_iter().find(|c| c.id == id)
}
