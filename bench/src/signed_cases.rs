//! Asymmetric signatures (RS256, EdDSA): the verification through dmr against the same
//! `jsonwebtoken::decode` written inline with the key already parsed.
//!
//! One token per algorithm, signed by a [`KeyRing`] (so it names its `kid`), with the claims
//! of the HS256 token plus `iss` and `aud`. Every case checks what the other checks: the
//! signature, `exp`, a non-empty `sub`, not a refresh token, `iss` and `aud`.
//!
//! - `b-<alg>`: hand-written handler, `jsonwebtoken::decode` with a parsed `DecodingKey`;
//! - `c-<alg>`: dmr endpoint, `auth = [JwtAuth::rsa_pem(..)]` / `JwtAuth::ed_pem(..)`;
//! - `o-<alg>`: dmr endpoint, `auth = [OidcAuth]` whose keys come from a JWKS served on
//!   loopback by a thread of this process (fetched once at startup, then cached).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::LazyLock;
use std::time::Duration;

use actix_web::web::{self, ServiceConfig};
use actix_web::{Either, HttpRequest, HttpResponse};
use dmr_runtime::backends::jwt::{Algorithm, JwtAuth, JwtToken, KeyRing, SigningKey};
use dmr_runtime::backends::oidc::{OidcAuth, OidcConfig, OidcToken};
use dmr_runtime::prelude::*;
use jsonwebtoken::{DecodingKey, Validation};

use crate::actix_cases::{Claims, accepted, credential, unauthorized};

const RSA_PRIVATE: &str = include_str!("../../tests/keys/rsa_private.pem");
const RSA_PUBLIC: &str = include_str!("../../tests/keys/rsa_public.pem");
const ED_PRIVATE: &str = include_str!("../../tests/keys/ed_private.pem");
const ED_PUBLIC: &str = include_str!("../../tests/keys/ed_public.pem");

/// The issuer and audience every signed token carries and every case requires.
const ISSUER: &str = "https://id.bench.test";
const AUDIENCE: &str = "api";

/// An asymmetric algorithm of the bench.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// RSA PKCS#1 v1.5 with SHA-256 (2048-bit key).
    Rs256,
    /// Ed25519.
    EdDsa,
}

/// What one algorithm needs: the ring that signs, the verifying key, the token.
struct Keys {
    ring: KeyRing,
    alg: Algorithm,
    public_pem: &'static str,
    decoding: DecodingKey,
    bearer: String,
}

fn keys(kind: Signed) -> Keys {
    let (signing, alg, public_pem, decoding) = match kind {
        Signed::Rs256 => (
            SigningKey::rsa_pem("bench-rs", Algorithm::RS256, RSA_PRIVATE),
            Algorithm::RS256,
            RSA_PUBLIC,
            DecodingKey::from_rsa_pem(RSA_PUBLIC.as_bytes()),
        ),
        Signed::EdDsa => (
            SigningKey::ed_pem("bench-ed", ED_PRIVATE),
            Algorithm::EdDSA,
            ED_PUBLIC,
            DecodingKey::from_ed_pem(ED_PUBLIC.as_bytes()),
        ),
    };
    let ring = KeyRing::new(signing.expect("the bench signing key"));
    let token = JwtToken::new("admin", Duration::from_secs(24 * 3600))
        .with_jti("0123456789abcdef0123456789abcdef")
        .with_type("access")
        .with_issuer(ISSUER)
        .with_audience(AUDIENCE);
    let bearer = format!("Bearer {}", ring.sign(&token).expect("sign the bench token"));
    Keys {
        ring,
        alg,
        public_pem,
        decoding: decoding.expect("the bench public key"),
        bearer,
    }
}

static RS256: LazyLock<Keys> = LazyLock::new(|| keys(Signed::Rs256));
static EDDSA: LazyLock<Keys> = LazyLock::new(|| keys(Signed::EdDsa));

impl Signed {
    fn keys(self) -> &'static Keys {
        match self {
            Self::Rs256 => &RS256,
            Self::EdDsa => &EDDSA,
        }
    }

    /// `Authorization: Bearer <token>` signed with this algorithm.
    pub fn bearer(self) -> String {
        self.keys().bearer.clone()
    }
}

/// The hand-written check: `jsonwebtoken::decode` with the parsed key and the same rules as
/// dmr's (the HS256 case's, plus `iss` and `aud`).
fn decode(kind: Signed, token: &str) -> Option<Claims> {
    static VALIDATION: LazyLock<[Validation; 2]> = LazyLock::new(|| {
        [Algorithm::RS256, Algorithm::EdDSA].map(|alg| {
            let mut v = Validation::new(alg);
            v.leeway = 0;
            v.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
            v.set_issuer(&[ISSUER]);
            v.set_audience(&[AUDIENCE]);
            v
        })
    });
    let validation = &VALIDATION[kind as usize];
    let claims = jsonwebtoken::decode::<Claims>(token, &kind.keys().decoding, validation)
        .ok()?
        .claims;
    accepted(claims)
}

fn inline(cfg: &mut ServiceConfig, kind: Signed) {
    let handler = move |req: HttpRequest| async move {
        match credential(&req, "Bearer ").and_then(|t| decode(kind, t)) {
            Some(claims) => Either::Left(claims.sub),
            None => Either::<String, HttpResponse>::Right(unauthorized("Bearer")),
        }
    };
    cfg.route("/x", web::get().to(handler));
}

/// (b) RS256, hand-written.
pub fn inline_rs256(cfg: &mut ServiceConfig) {
    inline(cfg, Signed::Rs256);
}

/// (b) EdDSA, hand-written.
pub fn inline_eddsa(cfg: &mut ServiceConfig) {
    inline(cfg, Signed::EdDsa);
}

/// dmr's JWT auth with the public key, checking `iss` and `aud` as the others do.
fn jwt_auth(kind: Signed) -> JwtAuth {
    let keys = kind.keys();
    let auth = match keys.alg {
        Algorithm::EdDSA => JwtAuth::ed_pem(keys.public_pem),
        alg => JwtAuth::rsa_pem(alg, keys.public_pem),
    };
    auth.expect("the bench public key")
        .accepted_issuers([ISSUER])
        .accepted_audiences([AUDIENCE])
}

/// Serves `body` as `application/json` to every connection, on a loopback port of its own.
fn serve_jwks(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port for the JWKS");
    let url = format!("http://{}/jwks", listener.local_addr().expect("its address"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncache-control: max-age=86400\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    url
}

/// dmr's OIDC auth, its keys fetched from this algorithm's ring's JWKS.
fn oidc_auth(kind: Signed) -> OidcAuth {
    let url = serve_jwks(kind.keys().ring.jwks_json().to_owned());
    OidcConfig::jwks(ISSUER, url)
        .audience(AUDIENCE)
        .leeway(0)
        .build()
        .expect("the bench OIDC auth")
}

static JWT_RS256: LazyLock<JwtAuth> = LazyLock::new(|| jwt_auth(Signed::Rs256));
static JWT_EDDSA: LazyLock<JwtAuth> = LazyLock::new(|| jwt_auth(Signed::EdDsa));
static OIDC_RS256: LazyLock<OidcAuth> = LazyLock::new(|| oidc_auth(Signed::Rs256));
static OIDC_EDDSA: LazyLock<OidcAuth> = LazyLock::new(|| oidc_auth(Signed::EdDsa));

/// (c) RS256 through `JwtAuth`.
pub struct JwtRs256;

#[controller(path = "/x", auth = [JWT_RS256.clone()])]
impl JwtRs256 {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.into_inner().sub
    }
}

/// (c) EdDSA through `JwtAuth`.
pub struct JwtEdDsa;

#[controller(path = "/x", auth = [JWT_EDDSA.clone()])]
impl JwtEdDsa {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.into_inner().sub
    }
}

/// (o) RS256 through `OidcAuth`.
pub struct OidcRs256;

#[controller(path = "/x", auth = [OIDC_RS256.clone()])]
impl OidcRs256 {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<OidcToken>) -> String {
        token.into_inner().sub
    }
}

/// (o) EdDSA through `OidcAuth`.
pub struct OidcEdDsa;

#[controller(path = "/x", auth = [OIDC_EDDSA.clone()])]
impl OidcEdDsa {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<OidcToken>) -> String {
        token.into_inner().sub
    }
}

/// (c) dmr endpoint, RS256 `JwtAuth`.
pub fn jwt_rs256(cfg: &mut ServiceConfig) {
    crate::dmr_cases::mount::<JwtRs256>(cfg);
}

/// (c) dmr endpoint, EdDSA `JwtAuth`.
pub fn jwt_eddsa(cfg: &mut ServiceConfig) {
    crate::dmr_cases::mount::<JwtEdDsa>(cfg);
}

/// (o) dmr endpoint, RS256 `OidcAuth`.
pub fn oidc_rs256(cfg: &mut ServiceConfig) {
    crate::dmr_cases::mount::<OidcRs256>(cfg);
}

/// (o) dmr endpoint, EdDSA `OidcAuth`.
pub fn oidc_eddsa(cfg: &mut ServiceConfig) {
    crate::dmr_cases::mount::<OidcEdDsa>(cfg);
}
