//! [`JwtIssuer`]: how the credential views sign, check and revoke tokens.

use std::time::Duration;

use super::cookies::JwtCookies;
use crate::backends::credentials::{PasswordGate, PasswordLogin, password_login_accessors};
use crate::backends::jwt::blocklist::Blocklist;
use crate::backends::jwt::token::unix_now;
use crate::backends::jwt::{Audience, JwtAuth, JwtConfigError, JwtError, JwtToken, KeyRing};
use crate::backends::users::UserStore;
use crate::throttle::token_ops::TokenThrottles;
use actix_web::web;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Map, Value};

/// How many logins may wait per check that may run.
const WAITING_PER_SLOT: usize = 32;

/// The gate of the obtain views: `max` checks at once, 32 waiting per slot, `wait` at most.
fn login_gate(max: usize, wait: Duration) -> PasswordGate {
    PasswordGate::new(max)
        .max_waiting(max.max(1).saturating_mul(WAITING_PER_SLOT))
        .max_wait(wait)
}

/// Everything the JWT credential views share: the signing key, the rules presented tokens are
/// checked with, lifetimes, the user store, the blocklist, refresh rotation and cookie mode.
/// The views read it from app data: `App::new().app_data(issuer.app_data())`.
///
/// Tokens carry the claims of the reference's obtain view: `sub` (the user's id), `exp`, `iat`,
/// a unique `jti` (32 hex digits), `extras.type` (`access` or `refresh`), plus `extras.fam`,
/// the refresh family shared by every token descending from one login, and `iss` / `aud` when
/// configured. Access tokens live a day and refresh tokens ten days by default.
///
/// ```
/// use std::time::Duration;
/// use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist};
/// use dmr_runtime::backends::jwt::JwtIssuer;
/// use dmr_runtime::backends::users::MemoryUsers;
///
/// let users = MemoryUsers::new();
/// users.add("1", "admin", "pass").unwrap();
/// let blocklist = Blocklist::new(MemoryBlocklist::default());
/// let issuer = JwtIssuer::hs256("0123456789abcdef0123456789abcdef", users)
///     .unwrap()
///     .access_ttl(Duration::from_secs(15 * 60))
///     .refresh_ttl(Duration::from_secs(7 * 24 * 3600))
///     .key_id("2026-11")
///     .blocklist(blocklist)
///     .rotate_refresh_tokens(true)
///     .unwrap();
/// let token = issuer.issue("1", "access", "family-1").unwrap();
/// assert_eq!(issuer.verifier().decode(&token).unwrap().token_type(), Some("access"));
/// ```
#[derive(Clone)]
pub struct JwtIssuer {
    pub(super) verifier: JwtAuth,
    key: EncodingKey,
    alg: Algorithm,
    headers: Map<String, Value>,
    pub(super) access_ttl: i64,
    pub(super) refresh_ttl: i64,
    iss: Option<String>,
    aud: Option<Audience>,
    pub(super) blocklist: Option<Blocklist>,
    pub(super) rotate: bool,
    pub(super) cookies: Option<JwtCookies>,
    /// The user store, the password gate and the login throttles of the obtain controllers.
    pub(super) login: PasswordLogin,
    /// The throttles of refresh, verify and logout.
    ops: TokenThrottles,
}

impl std::fmt::Debug for JwtIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtIssuer")
            .field("alg", &self.alg)
            .field("access_ttl", &self.access_ttl)
            .field("refresh_ttl", &self.refresh_ttl)
            .field("rotate", &self.rotate)
            .field("blocklist", &self.blocklist.is_some())
            .field("cookies", &self.cookies)
            .finish_non_exhaustive()
    }
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

impl JwtIssuer {
    /// HS256 with `secret` (at least 32 bytes) for signing and checking, users from `users`.
    pub fn hs256(secret: impl AsRef<[u8]>, users: impl UserStore) -> Result<Self, JwtConfigError> {
        let verifier = JwtAuth::hs256(secret.as_ref())?;
        let key = EncodingKey::from_secret(secret.as_ref())
            .map_err(|e| JwtConfigError::InvalidKey(e.to_string()))?;
        Self::new(verifier, key, users)
    }

    /// Signs with `ring`'s current key (RS256..RS512, PS256..PS512, ES256/ES384 or EdDSA),
    /// naming it by `kid` in every token's header, and checks presented tokens (refresh,
    /// verify, logout) with any key of the ring, chosen by `kid`
    /// ([`JwtAuth::key_ring`]). Serve the public halves with [`KeyRing::serve`]; the JWT
    /// auths of your endpoints are `JwtAuth::key_ring(&ring)`.
    ///
    /// Rotation: build the issuer and the auths from `ring.rotate(new_key)`; tokens of the
    /// old key still verify until it is [removed](KeyRing::remove).
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::{JwtIssuer, KeyRing, SigningKey};
    /// use dmr_runtime::backends::users::MemoryUsers;
    ///
    /// let key = SigningKey::ed_pem("ed-1", include_str!("../../../../../tests/keys/ed_private.pem")).unwrap();
    /// let issuer = JwtIssuer::key_ring(&KeyRing::new(key), MemoryUsers::new()).unwrap();
    /// let token = issuer.issue("1", "access", "family-1").unwrap();
    /// assert_eq!(jsonwebtoken::decode_header(&token).unwrap().kid.as_deref(), Some("ed-1"));
    /// assert_eq!(issuer.verifier().decode(&token).unwrap().sub, "1");
    /// ```
    pub fn key_ring(ring: &KeyRing, users: impl UserStore) -> Result<Self, JwtConfigError> {
        let current = ring.current();
        let issuer = Self::new(
            JwtAuth::key_ring(ring)?,
            current.encoding_key().clone(),
            users,
        )?;
        Ok(issuer.key_id(current.kid()))
    }

    /// Signs with `key` and checks presented tokens with `verifier` (its algorithm, key,
    /// leeway and claim rules; for RSA, EC and EdDSA, `key` is the private key and `verifier`
    /// holds the public one).
    ///
    /// Fails if `key` is of another family than the verifier's algorithm.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::{Algorithm, EncodingKey, JwtAuth, JwtIssuer};
    /// use dmr_runtime::backends::users::MemoryUsers;
    ///
    /// let verifier = JwtAuth::hmac(Algorithm::HS512, [7u8; 64]).unwrap();
    /// let key = EncodingKey::from_secret(&[7u8; 64]).unwrap();
    /// assert!(JwtIssuer::new(verifier, key, MemoryUsers::new()).is_ok());
    /// ```
    pub fn new(
        verifier: JwtAuth,
        key: EncodingKey,
        users: impl UserStore,
    ) -> Result<Self, JwtConfigError> {
        let alg = verifier.algorithm();
        if key.family() != alg.family() {
            return Err(JwtConfigError::KeyMismatch {
                alg,
                key: key.family(),
            });
        }
        Ok(Self {
            verifier,
            key,
            alg,
            headers: Map::new(),
            access_ttl: 24 * 3600,
            refresh_ttl: 10 * 24 * 3600,
            iss: None,
            aud: None,
            blocklist: None,
            rotate: false,
            login: PasswordLogin::new(users),
            ops: TokenThrottles::default(),
            cookies: None,
        })
    }

    /// Previous HMAC secrets that presented tokens (refresh, verify, logout) may still be
    /// signed with; new tokens are signed with the configured secret only. See
    /// [`JwtAuth::fallback_secrets`].
    pub fn fallback_secrets<I, S>(mut self, secrets: I) -> Result<Self, JwtConfigError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        self.verifier = self.verifier.fallback_secrets(secrets)?;
        Ok(self)
    }

    /// How long access tokens live (default one day; at least a second).
    pub fn access_ttl(mut self, ttl: Duration) -> Self {
        self.access_ttl = secs(ttl).max(1);
        self
    }

    /// How long refresh tokens live (default ten days; at least a second).
    pub fn refresh_ttl(mut self, ttl: Duration) -> Self {
        self.refresh_ttl = secs(ttl).max(1);
        self
    }

    /// Sets the `iss` claim of issued tokens, and requires it of presented ones.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        let iss = iss.into();
        self.verifier = self.verifier.accepted_issuers([iss.clone()]);
        self.iss = Some(iss);
        self
    }

    /// Sets the `aud` claim of issued tokens (a list), and requires one of them of presented
    /// ones.
    pub fn audiences<I, S>(mut self, audiences: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list: Vec<String> = audiences.into_iter().map(Into::into).collect();
        self.verifier = self.verifier.accepted_audiences(list.clone());
        self.aud = Some(Audience::Many(list));
        self
    }

    /// A custom JOSE header field of every issued token (after `alg` and `typ`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// The `kid` header of every issued token, naming the signing key (an issuer built with
    /// [`key_ring`](Self::key_ring) sets it to the current key's: leave it).
    pub fn key_id(self, kid: impl Into<String>) -> Self {
        self.header("kid", kid.into())
    }

    /// Revokes tokens in `blocklist`: logout revokes the presented tokens and their family,
    /// refresh and verify refuse revoked ones. Give the JWT auths of your endpoints the same
    /// blocklist ([`JwtAuth::blocklist`]).
    pub fn blocklist(mut self, blocklist: Blocklist) -> Self {
        self.blocklist = Some(blocklist);
        self
    }

    /// Refresh rotation (default off, as in the reference): every refresh returns a new
    /// refresh token and revokes the presented one, atomically (of two concurrent refreshes
    /// with one token, exactly one succeeds). Presenting a refresh token that was already
    /// rotated revokes its whole family (every token from that login: the thief's and the
    /// user's) and logs a warning naming the family id.
    ///
    /// Fails without a [`blocklist`](Self::blocklist): rotated tokens would stay valid.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::{JwtConfigError, JwtIssuer};
    /// use dmr_runtime::backends::users::MemoryUsers;
    ///
    /// let issuer = JwtIssuer::hs256("0123456789abcdef0123456789abcdef", MemoryUsers::new()).unwrap();
    /// let err = issuer.rotate_refresh_tokens(true).unwrap_err();
    /// assert_eq!(err, JwtConfigError::RotationWithoutBlocklist);
    /// ```
    pub fn rotate_refresh_tokens(mut self, on: bool) -> Result<Self, JwtConfigError> {
        if on && self.blocklist.is_none() {
            return Err(JwtConfigError::RotationWithoutBlocklist);
        }
        self.rotate = on;
        Ok(self)
    }

    /// A gate of its own for the obtain views: at most `max` password verifications at once,
    /// and a login waits at most `wait` for its turn; at most 32 logins per turn wait. Beyond
    /// that, and after the wait, a login is refused with 503 `Too many logins at once: retry
    /// later` and `Retry-After: 1` instead of queueing. Without it the obtain views use the
    /// process's gate ([`PasswordGate::default`]: one per CPU, shared with every other
    /// credential endpoint).
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::JwtIssuer;
    /// use dmr_runtime::backends::users::MemoryUsers;
    ///
    /// let issuer = JwtIssuer::hs256("0123456789abcdef0123456789abcdef", MemoryUsers::new())
    ///     .unwrap()
    ///     .max_concurrent_logins(4, Duration::from_secs(2));
    /// assert_eq!(issuer.get_max_concurrent_logins(), 4);
    /// ```
    pub fn max_concurrent_logins(mut self, max: usize, wait: Duration) -> Self {
        self.login = self.login.password_gate(login_gate(max, wait));
        self
    }

    /// The per-client-address throttle of [`JwtObtain`](super::JwtObtain) and
    /// [`JwtObtainSync`](super::JwtObtainSync), `None` to turn it off. The default, as
    /// `SessionConfig::login_throttle`'s: 10 attempts at once, then one every 6 seconds
    /// (GCRA, 10 per minute), in the process's memory, by the connection's peer address (in
    /// cookie mode, by the address a trusted proxy forwarded when the cookies' CSRF config
    /// trusts forwarding headers); the attempt over the limit gets 429 with `Retry-After`
    /// before any password is checked. A throttle given here keeps its own key: behind a
    /// proxy, give it `Key::client_addr().trust_forwarded_headers(true)`.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::JwtIssuer;
    /// use dmr_runtime::backends::users::MemoryUsers;
    /// use dmr_runtime::throttle::{Key, Throttle};
    ///
    /// let issuer = JwtIssuer::hs256("0123456789abcdef0123456789abcdef", MemoryUsers::new())
    ///     .unwrap()
    ///     .login_throttle(Some(
    ///         Throttle::per_minute(5)
    ///             .smooth()
    ///             .key(Key::client_addr().trust_forwarded_headers(true)),
    ///     ))
    ///     .username_throttle(None); // no per-user-name limit
    /// assert_eq!(issuer.get_login_throttle().unwrap().rate().max(), 5);
    /// assert!(issuer.get_username_throttle().is_none());
    /// ```
    pub fn login_throttle(mut self, throttle: Option<crate::throttle::Throttle>) -> Self {
        self.login = self.login.login_throttle(throttle);
        self
    }

    password_login_accessors!("the obtain controllers");

    /// The per-client-address throttle of the refresh, verify and logout controllers (each
    /// counts apart, sync and async variants together), `None` to turn it off. The default:
    /// 60 requests at once, then one a second (GCRA, 60 per minute), in the process's memory,
    /// by the connection's peer address (or the address a trusted proxy forwarded, as for
    /// [`login_throttle`](Self::login_throttle)), counted before the token is read. Over it:
    /// 429 with `Retry-After` and `X-RateLimit-*`. A throttle given here keeps its own key.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::JwtIssuer;
    /// use dmr_runtime::backends::users::MemoryUsers;
    /// use dmr_runtime::throttle::Throttle;
    ///
    /// let issuer = JwtIssuer::hs256("0123456789abcdef0123456789abcdef", MemoryUsers::new())
    ///     .unwrap()
    ///     .token_address_throttle(Some(Throttle::per_minute(120).smooth()))
    ///     .token_subject_throttle(Some(Throttle::per_minute(10).smooth()))
    ///     .token_family_throttle(None);
    /// assert_eq!(issuer.get_token_address_throttle().unwrap().rate().max(), 120);
    /// assert_eq!(issuer.get_token_subject_throttle().unwrap().rate().max(), 10);
    /// assert!(issuer.get_token_family_throttle().is_none());
    /// ```
    pub fn token_address_throttle(mut self, throttle: Option<crate::throttle::Throttle>) -> Self {
        self.ops.set_per_address(throttle);
        self
    }

    /// The per-subject throttle of refresh, verify and logout, counted once the presented
    /// token is verified, by its `sub` (hashed), so that one account cannot spend what the
    /// server has for everyone; `None` to turn it off. Default: 30 at once, then one every 2
    /// seconds (GCRA, 30 per minute).
    pub fn token_subject_throttle(mut self, throttle: Option<crate::throttle::Throttle>) -> Self {
        self.ops.set_per_subject(throttle);
        self
    }

    /// The per-refresh-family throttle of refresh, verify and logout (the login a token
    /// descends from, `extras.fam`), counted once the token is verified; `None` to turn it
    /// off. Default: 10 at once, then one every 6 seconds (GCRA, 10 per minute).
    pub fn token_family_throttle(mut self, throttle: Option<crate::throttle::Throttle>) -> Self {
        self.ops.set_per_family(throttle);
        self
    }

    /// Keeps the counters of the refresh, verify and logout throttles in `store` (a
    /// [`RedisStore`](crate::throttle::RedisStore) shared by every server) instead of this
    /// process's memory; a store that does not answer refuses with 503 and `Retry-After`.
    pub fn token_throttle_store<S: crate::throttle::AsyncStore>(mut self, store: S) -> Self {
        self.ops.set_store(store);
        self
    }

    /// The per-client-address throttle of refresh, verify and logout, if any.
    pub fn get_token_address_throttle(&self) -> Option<&crate::throttle::Throttle> {
        self.ops.per_address()
    }

    /// The per-subject throttle of refresh, verify and logout, if any.
    pub fn get_token_subject_throttle(&self) -> Option<&crate::throttle::Throttle> {
        self.ops.per_subject()
    }

    /// The per-family throttle of refresh, verify and logout, if any.
    pub fn get_token_family_throttle(&self) -> Option<&crate::throttle::Throttle> {
        self.ops.per_family()
    }

    /// The throttles of refresh, verify and logout.
    pub(crate) fn token_throttles(&self) -> &TokenThrottles {
        &self.ops
    }

    /// Cookie mode for browser apps (see [`JwtCookies`]).
    pub fn cookies(mut self, cookies: JwtCookies) -> Self {
        cookies.csrf.warn_if_not_enforced();
        self.cookies = Some(cookies);
        self
    }

    /// The auth presented tokens are checked with (its rules; the blocklist is separate).
    pub fn verifier(&self) -> &JwtAuth {
        &self.verifier
    }

    /// The app data the views read: `App::new().app_data(issuer.app_data())`.
    pub fn app_data(&self) -> web::Data<JwtIssuer> {
        web::Data::new(self.clone())
    }

    /// The claims of a new token of `kind` (`access` or `refresh`) for user `sub` in
    /// `family`, issued now.
    pub fn claims(&self, sub: &str, kind: &str, family: &str) -> Result<JwtToken, JwtError> {
        let ttl = if kind == "refresh" {
            self.refresh_ttl
        } else {
            self.access_ttl
        };
        let mut token = JwtToken::new(sub, Duration::from_secs(ttl.unsigned_abs()))
            .with_jti(new_id()?)
            .with_type(kind)
            .with_family(family);
        token.iss.clone_from(&self.iss);
        token.aud.clone_from(&self.aud);
        Ok(token)
    }

    /// A signed token of `kind` for `sub` in `family`; see [`sign`](Self::sign).
    pub fn issue(&self, sub: &str, kind: &str, family: &str) -> Result<String, JwtError> {
        self.sign(&self.claims(sub, kind, family)?)
    }

    /// Signs `token` with the issuer's key and headers, refusing nonsense instead of signing
    /// it, with the reference's words ([`JwtToken::check_issuable`]): an empty `sub`, an
    /// `exp` in the past, an `iat` in the future.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dmr_runtime::backends::jwt::{JwtIssuer, JwtToken};
    /// use dmr_runtime::backends::users::MemoryUsers;
    ///
    /// let issuer = JwtIssuer::hs256("0123456789abcdef0123456789abcdef", MemoryUsers::new()).unwrap();
    /// let mut token = JwtToken::new("1", Duration::from_secs(60));
    /// assert!(issuer.sign(&token).is_ok());
    /// token.exp = token.iat - 1; // expired before it is issued
    /// let refused = issuer.sign(&token).unwrap_err().to_string();
    /// assert!(refused.contains("exp value must be a datetime in the future"));
    /// assert!(issuer.sign(&JwtToken::new("", Duration::from_secs(60))).is_err());
    /// ```
    pub fn sign(&self, token: &JwtToken) -> Result<String, JwtError> {
        token.encode_with_headers(&self.key, self.alg, &self.headers)
    }

    /// Until when an entry revoking `token` must live: its `exp` plus the leeway.
    pub(super) fn token_until(&self, token: &JwtToken) -> i64 {
        token.exp.saturating_add(self.verifier.core.rules.leeway)
    }

    /// Until when a revoked family must live: past the last token it can still issue.
    pub(super) fn family_until(&self) -> i64 {
        unix_now()
            .saturating_add(self.access_ttl.max(self.refresh_ttl))
            .saturating_add(self.verifier.core.rules.leeway)
    }
}

impl crate::throttle::login::LoginConfig for JwtIssuer {
    fn login_throttles(&self) -> &crate::throttle::login::LoginThrottles {
        self.login.throttles()
    }

    fn trust_forwarded(&self) -> bool {
        self.cookies
            .as_ref()
            .is_some_and(|c| c.csrf.trust_forwarded)
    }
}

/// 128 random bits as 32 hex digits (a `jti` or a family id, like the reference's
/// `uuid4().hex`).
pub(super) fn new_id() -> Result<String, JwtError> {
    let mut buf = [0u8; 16];
    // no randomness: refuse rather than issue guessable ids
    getrandom::fill(&mut buf).map_err(|e| JwtError::Encode(format!("no random token id: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}
