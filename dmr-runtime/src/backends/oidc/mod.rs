//! Access tokens of an identity provider (Keycloak, Auth0, Entra ID, Okta, Dex, ..): JWTs
//! signed with RS256/384/512, PS256/384/512, ES256/384 or EdDSA, verified with the keys the
//! provider publishes (OpenID Connect discovery or a JWKS URL). Feature `oidc`.
//!
//! Pipeline per request:
//!
//! 1. no `Authorization: Bearer <token>` header -> skip;
//! 2. a token whose (unverified) `iss` is not the configured issuer -> skip, so that the next
//!    provider of the chain tries it;
//! 3. no key set yet, or the last one is older than [`max_stale`](OidcConfig::max_stale) ->
//!    **503** `Identity provider keys unavailable, try again later` with `Retry-After`
//!    (fail closed);
//! 4. every other failure is a 401 with `Bearer error="invalid_token"`: a malformed token or
//!    header, `alg` `none`, HMAC or any algorithm the key does not declare or fit (a key's
//!    `alg`, `kty`, curve and `use` must agree with the token), no key with the token's `kid`
//!    (after at most one rate-limited refetch), a bad signature, `typ` other than `at+jwt`
//!    when [required](OidcConfig::require_access_token_type), an `exp` in the past, an `nbf`
//!    or `iat` in the future (each with the leeway), no accepted `aud`, no `sub`.
//!
//! The keys are cached: see [`OidcConfig`] for the schedule, and the README's "Identity
//! providers and key rotation".
//!
//! ```no_run
//! use dmr_runtime::backends::oidc::{OidcAuth, OidcConfig};
//!
//! #[derive(Clone, serde::Deserialize)]
//! struct Extra {
//!     email: Option<String>,
//! }
//!
//! let auth: OidcAuth<Extra> = OidcConfig::discover("https://id.example.com")
//!     .audience("api")
//!     .build()
//!     .unwrap();
//! # let _ = auth;
//! ```

mod cache;
mod claims;
mod config;
mod fetch;
mod jwks;
mod settings;
mod token;

use std::marker::PhantomData;
use std::sync::Arc;

use actix_web::http::{StatusCode, header};
use serde::de::DeserializeOwned;

pub use claims::{NoClaims, OidcToken};
pub use config::{OidcConfig, OidcConfigError};
pub use jwks::{JwksError, Key, KeyKind, KeySet, MAX_KEYS};

use crate::auth::{
    AsyncAuth, Auth, AuthError, AuthRequest, AuthResult, Challenge, SchemeDoc, SyncAuth,
};
use cache::{KeyCache, Keys};
use claims::{ClaimError, IssuerOnly, Payload, Rules};

/// The 503's message while no usable key set is cached.
pub const KEYS_UNAVAILABLE: &str = "Identity provider keys unavailable, try again later";
const TOKEN_EXPIRED: &str = "The access token expired";
const TOKEN_INVALID: &str = "The access token is invalid";

/// An auth verifying one identity provider's access tokens (see the [module docs](self));
/// its identity is an [`OidcToken<C>`]. Built by [`OidcConfig::build`]; clones share the key
/// cache. It implements [`SyncAuth`] (a refetch is waited for on the blocking pool) and
/// [`AsyncAuth`] (awaited), so it fits every endpoint.
pub struct OidcAuth<C = NoClaims> {
    inner: Arc<Inner>,
    claims: PhantomData<fn() -> C>,
}

impl<C> Clone for OidcAuth<C> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            claims: PhantomData,
        }
    }
}

impl<C> std::fmt::Debug for OidcAuth<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcAuth")
            .field("issuer", &self.inner.issuer)
            .field("cache", &self.inner.cache)
            .finish_non_exhaustive()
    }
}

struct Inner {
    issuer: String,
    rules: Rules,
    require_at_jwt: bool,
    scheme_name: String,
    /// The discovery URL, documented as `openIdConnectUrl`.
    discovery: Option<String>,
    cache: KeyCache,
}

/// What one pass over a token with one key set found.
enum Verdict<C> {
    Valid(OidcToken<C>),
    Skip,
    Refused(&'static str),
    /// No key for the `kid`, or the key refused the signature: a refetch may help.
    NeedKeys,
}

impl<C: DeserializeOwned> OidcAuth<C> {
    /// How many JWKS documents the key cache fetched so far (good or not).
    pub fn jwks_fetches(&self) -> u64 {
        self.inner.cache.fetches()
    }

    /// The raw token of `Authorization: Bearer <token>`; `None` if the header is not ours.
    fn credential<'r>(req: &AuthRequest<'r>) -> Option<&'r str> {
        let value = req.header(&header::AUTHORIZATION)?.to_str().ok()?;
        let (word, token) = value.split_once(' ')?;
        (word.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
            .then_some(token)
    }

    fn verdict(&self, raw: &str, keys: &KeySet) -> Verdict<C> {
        let inner = &*self.inner;
        let Some(parts) = token::split(raw) else {
            return Verdict::Refused(TOKEN_INVALID);
        };
        let Some(json) = token::payload(&parts) else {
            return Verdict::Refused(TOKEN_INVALID);
        };
        let payload: Payload<C> = match serde_json::from_slice(&json) {
            Ok(p) => p,
            Err(_) => {
                let theirs = serde_json::from_slice::<IssuerOnly>(&json)
                    .is_ok_and(|p| p.iss.as_deref() != Some(inner.issuer.as_str()));
                return if theirs {
                    Verdict::Skip
                } else {
                    Verdict::Refused(TOKEN_INVALID)
                };
            }
        };
        if payload.issuer() != Some(inner.issuer.as_str()) {
            return Verdict::Skip;
        }
        let mut buf = token::header_buf();
        let Some(head) = token::header(raw, &mut buf) else {
            return Verdict::Refused(TOKEN_INVALID);
        };
        if inner.require_at_jwt && !token::is_access_token_type(head.typ) {
            return Verdict::Refused(TOKEN_INVALID);
        }
        let Some(key) = keys.find(head.kid, head.alg) else {
            // a known kid whose key does not fit the algorithm is a refusal, not a refetch
            return match head.kid {
                Some(kid) if keys.has_kid(kid) => Verdict::Refused(TOKEN_INVALID),
                _ => Verdict::NeedKeys,
            };
        };
        match jsonwebtoken::crypto::verify(
            parts.signature,
            parts.signed.as_bytes(),
            key.decoding_key(),
            head.alg,
        ) {
            Ok(true) => {}
            Ok(false) => return Verdict::NeedKeys,
            Err(_) => return Verdict::Refused(TOKEN_INVALID),
        }
        match payload.check(&inner.rules, unix_now()) {
            Ok(token) => Verdict::Valid(token),
            Err(ClaimError::Expired) => Verdict::Refused(TOKEN_EXPIRED),
            Err(ClaimError::Invalid) => Verdict::Refused(TOKEN_INVALID),
        }
    }

    fn settle(&self, verdict: Verdict<C>) -> AuthResult<OidcToken<C>> {
        match verdict {
            Verdict::Valid(token) => Ok(Some(token)),
            Verdict::Skip => Ok(None),
            Verdict::Refused(why) => Err(refused(why)),
            Verdict::NeedKeys => Err(refused(TOKEN_INVALID)),
        }
    }

    /// Steps 1 to 4 with the cached keys; `Err(raw)` when a refetch may help.
    fn first_pass<'r>(&self, req: &AuthRequest<'r>) -> Result<AuthResult<OidcToken<C>>, &'r str> {
        let Some(raw) = Self::credential(req) else {
            return Ok(Ok(None));
        };
        let keys = match self.inner.cache.keys() {
            Keys::Ready(keys) => keys,
            Keys::Unavailable => {
                // a token of another issuer still skips; ours waits for the keys
                return Ok(match self.verdict(raw, &KeySet::default()) {
                    Verdict::Skip => Ok(None),
                    _ => {
                        self.inner.cache.nudge();
                        Err(AuthError::rejected(
                            StatusCode::SERVICE_UNAVAILABLE,
                            KEYS_UNAVAILABLE,
                        ))
                    }
                });
            }
        };
        match self.verdict(raw, &keys) {
            Verdict::NeedKeys => Err(raw),
            verdict => Ok(self.settle(verdict)),
        }
    }

    fn second_pass(&self, raw: &str, keys: Option<Arc<KeySet>>) -> AuthResult<OidcToken<C>> {
        match keys {
            Some(keys) => self.settle(self.verdict(raw, &keys)),
            None => Err(refused(TOKEN_INVALID)),
        }
    }
}

fn refused(description: &'static str) -> AuthError {
    AuthError::not_authenticated().with_challenge(Challenge::invalid_token("Bearer", description))
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl<C: DeserializeOwned + Clone + Send + Sync + 'static> Auth for OidcAuth<C> {
    type Identity = OidcToken<C>;

    fn scheme_name(&self) -> &str {
        &self.inner.scheme_name
    }

    fn schemes(&self) -> Vec<SchemeDoc> {
        let name = &self.inner.scheme_name;
        let description = format!("Access tokens of {}", self.inner.issuer);
        vec![match &self.inner.discovery {
            Some(url) => SchemeDoc::open_id_connect(name, url, description),
            None => SchemeDoc::http(name, "Bearer", Some("JWT"), description),
        }]
    }

    fn challenge(&self) -> Option<String> {
        Some("Bearer".to_owned())
    }

    /// A token by its `sub`.
    fn throttle_key(identity: &OidcToken<C>) -> Option<String> {
        Some(identity.sub.clone())
    }
}

impl<C: DeserializeOwned + Clone + Send + Sync + 'static> SyncAuth for OidcAuth<C> {
    fn authenticate_sync(&self, req: &AuthRequest<'_>) -> AuthResult<OidcToken<C>> {
        match self.first_pass(req) {
            Ok(done) => done,
            Err(raw) => self.second_pass(raw, self.inner.cache.refetch_sync()),
        }
    }
}

impl<C: DeserializeOwned + Clone + Send + Sync + 'static> AsyncAuth for OidcAuth<C> {
    async fn authenticate(&self, req: &AuthRequest<'_>) -> AuthResult<OidcToken<C>> {
        match self.first_pass(req) {
            Ok(done) => done,
            Err(raw) => self.second_pass(raw, self.inner.cache.refetch().await),
        }
    }
}
