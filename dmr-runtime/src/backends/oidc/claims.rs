//! The claims of a provider's access token: the registered ones checked here, the user's own
//! read into a type of their choice.

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The verified access token of a provider, the identity of an [`OidcAuth`](super::OidcAuth):
/// the registered claims, and `C` for the provider's other claims (your own serde struct;
/// [`NoClaims`] by default).
///
/// ```
/// use dmr_runtime::backends::oidc::{NoClaims, OidcToken};
///
/// fn handler(token: OidcToken<NoClaims>) -> bool {
///     token.sub == "svc" && token.has_scope("read")
/// }
/// # let _ = handler;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OidcToken<C = NoClaims> {
    /// `iss`: the configured issuer.
    pub iss: String,
    /// `sub`: the user, or the client of a client-credentials token.
    pub sub: String,
    /// `aud`, as a list.
    pub aud: Vec<String>,
    /// `exp` (Unix seconds).
    pub exp: i64,
    /// `iat` (Unix seconds), if present.
    pub iat: Option<i64>,
    /// `scope`, split on spaces.
    pub scope: Vec<String>,
    /// `client_id`, if present.
    pub client_id: Option<String>,
    /// `jti`, if present.
    pub jti: Option<String>,
    /// The other claims, read into your type.
    pub claims: C,
}

impl<C> OidcToken<C> {
    /// Whether `scope` contains `scope`.
    ///
    /// ```
    /// # use dmr_runtime::backends::oidc::{NoClaims, OidcToken};
    /// # let token = OidcToken { iss: "i".into(), sub: "s".into(), aud: vec![], exp: 0, iat: None,
    /// #     scope: vec!["read".into()], client_id: None, jti: None, claims: NoClaims {} };
    /// assert!(token.has_scope("read") && !token.has_scope("write"));
    /// ```
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope.iter().any(|s| s == scope)
    }
}

/// No claims beyond the registered ones (the default `C` of [`OidcToken`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub struct NoClaims {}

#[derive(Deserialize)]
#[serde(untagged)]
enum Aud {
    One(String),
    Many(Vec<String>),
}

/// The payload as sent, before any check.
#[derive(Deserialize)]
#[serde(bound = "C: DeserializeOwned")]
pub(super) struct Payload<C> {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Aud>,
    exp: Option<f64>,
    nbf: Option<f64>,
    iat: Option<f64>,
    scope: Option<String>,
    client_id: Option<String>,
    jti: Option<String>,
    #[serde(flatten)]
    claims: C,
}

/// Only `iss`, to tell a token of another issuer (skip) from a malformed one of ours.
#[derive(Deserialize)]
pub(super) struct IssuerOnly {
    pub(super) iss: Option<String>,
}

/// Why a token's claims were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ClaimError {
    Expired,
    Invalid,
}

/// The claim rules of one provider.
#[derive(Debug, Clone)]
pub(super) struct Rules {
    pub(super) audiences: Vec<String>,
    pub(super) leeway: i64,
}

impl<C> Payload<C> {
    pub(super) fn issuer(&self) -> Option<&str> {
        self.iss.as_deref()
    }

    /// Checks `aud`, `exp`, `nbf`, `iat` and `sub` as of `now` (the issuer was compared before
    /// the signature was checked).
    pub(super) fn check(self, rules: &Rules, now: i64) -> Result<OidcToken<C>, ClaimError> {
        let leeway = rules.leeway as f64;
        let now_f = now as f64;
        let exp = self.exp.ok_or(ClaimError::Invalid)?;
        if !exp.is_finite() {
            return Err(ClaimError::Invalid);
        }
        if exp + leeway <= now_f {
            return Err(ClaimError::Expired);
        }
        if self
            .nbf
            .is_some_and(|nbf| !nbf.is_finite() || nbf > now_f + leeway)
        {
            return Err(ClaimError::Invalid);
        }
        if self
            .iat
            .is_some_and(|iat| !iat.is_finite() || iat > now_f + leeway)
        {
            return Err(ClaimError::Invalid);
        }
        let aud = match self.aud {
            Some(Aud::One(one)) => vec![one],
            Some(Aud::Many(many)) => many,
            None => return Err(ClaimError::Invalid),
        };
        if !aud.iter().any(|a| rules.audiences.contains(a)) {
            return Err(ClaimError::Invalid);
        }
        let sub = self
            .sub
            .filter(|s| !s.is_empty())
            .ok_or(ClaimError::Invalid)?;
        Ok(OidcToken {
            iss: self.iss.unwrap_or_default(),
            sub,
            aud,
            exp: exp as i64,
            iat: self.iat.map(|iat| iat as i64),
            scope: self
                .scope
                .map(|s| {
                    s.split(' ')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            client_id: self.client_id,
            jti: self.jti,
            claims: self.claims,
        })
    }
}
