//! The session middleware [`SessionConfig::middleware`](super::SessionConfig::middleware)
//! builds: `actix-session`'s, over the store wrapped in a timeout, answering 503 (never a
//! hang, never a 500) when the store fails or is too slow.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use actix_session::SessionExt as _;
use actix_session::SessionMiddleware;
use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::HttpMessage as _;
use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::StatusCode;
use actix_web::http::header::{COOKIE, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;

use super::fallback::{KeyFallbacks, cookie_pairs, value_of};
use crate::backends::csrf::{append_cookie, renew, sends_malformed, sets_cookie};

tokio::task_local! {
    /// Set by [`TimedStore`] when the store failed during the request being served.
    static STORE_FAILED: Cell<bool>;
}

fn mark_failed(what: &str, e: &dyn std::fmt::Display) {
    crate::observe::flood::gated!(error, "session_store", "session store: {what} failed: {e}");
    let _ = STORE_FAILED.try_with(|f| f.set(true));
}

/// A session store whose every operation is bounded by a timeout; under a [`SessionLayer`]
/// (what [`SessionConfig::middleware`](super::SessionConfig::middleware) builds around any
/// store) a failed or timed-out operation makes the request 503 ([`StoreUnavailable`]).
///
/// ```
/// use std::time::Duration;
///
/// use dmr_runtime::backends::session::{CookieSessionStore, TimedStore};
///
/// let store = TimedStore::new(CookieSessionStore::default(), Duration::from_secs(1));
/// assert_eq!(store.timeout(), Duration::from_secs(1));
/// ```
#[derive(Clone)]
pub struct TimedStore<S> {
    store: S,
    timeout: Duration,
}

impl<S> TimedStore<S> {
    /// `store`, each operation bounded by `timeout`.
    pub fn new(store: S, timeout: Duration) -> Self {
        Self { store, timeout }
    }

    /// The bound on each operation.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// The error an operation that timed out reports.
#[derive(Debug)]
struct TimedOut(Duration);

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no answer within {:?}", self.0)
    }
}

impl std::error::Error for TimedOut {}

impl<S> TimedStore<S> {
    async fn bounded<T>(
        &self,
        what: &str,
        op: impl Future<Output = Result<T, anyhow::Error>>,
    ) -> Result<T, anyhow::Error> {
        match actix_web::rt::time::timeout(self.timeout, op).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => {
                mark_failed(what, &e);
                Err(e)
            }
            Err(_) => {
                let e = TimedOut(self.timeout);
                mark_failed(what, &e);
                Err(e.into())
            }
        }
    }
}

impl<S: SessionStore> SessionStore for TimedStore<S> {
    async fn load(
        &self,
        session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        let mut bad_state = None;
        let loaded = self
            .bounded("load", async {
                match self.store.load(session_key).await {
                    Ok(s) => Ok(s),
                    Err(LoadError::Deserialization(e)) => {
                        // not an outage: actix-session starts an empty session
                        bad_state = Some(e);
                        Ok(None)
                    }
                    Err(LoadError::Other(e)) => Err(e),
                }
            })
            .await
            .map_err(LoadError::Other)?;
        match bad_state {
            Some(e) => Err(LoadError::Deserialization(e)),
            None => Ok(loaded),
        }
    }

    async fn save(
        &self,
        session_state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        self.bounded("save", async {
            // the store's own error, so that the log says what failed
            self.store
                .save(session_state, ttl)
                .await
                .map_err(|e| match e {
                    SaveError::Serialization(e) | SaveError::Other(e) => e,
                })
        })
        .await
        .map_err(SaveError::Other)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        self.bounded("update", async {
            let updated = self.store.update(session_key, session_state, ttl).await;
            updated.map_err(|e| match e {
                UpdateError::Serialization(e) | UpdateError::Other(e) => e,
            })
        })
        .await
        .map_err(UpdateError::Other)
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl: &CookieDuration,
    ) -> Result<(), anyhow::Error> {
        self.bounded("update_ttl", self.store.update_ttl(session_key, ttl))
            .await
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        self.bounded("delete", self.store.delete(session_key)).await
    }
}

/// The session store failed or did not answer in time: 503 with `Retry-After: 1` and
/// `{"detail":[{"msg":"Session store unavailable: retry later"}]}`. Requests that do not
/// touch the store (no session cookie, no session change) are not affected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreUnavailable;

impl std::fmt::Display for StoreUnavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Session store unavailable: retry later")
    }
}

impl std::error::Error for StoreUnavailable {}

impl ResponseError for StoreUnavailable {
    fn status_code(&self) -> StatusCode {
        StatusCode::SERVICE_UNAVAILABLE
    }

    fn error_response(&self) -> HttpResponse {
        crate::respond::retry_later(&self.to_string())
    }
}

/// The session middleware of a [`SessionConfig`](super::SessionConfig): `actix-session`'s
/// [`SessionMiddleware`] over the store, each store operation bounded by
/// [`store_timeout`](super::SessionConfig::store_timeout), and a failed or timed-out
/// operation answered with [`StoreUnavailable`] (503).
///
/// A request carrying the session cookie more than once is read with the last one (as
/// Django reads it). A session cookie that gives no session (it does not decode, its
/// signature is wrong, or the store does not know it) is cleared by the response
/// (`Set-Cookie: <name>=; Max-Age=0` with the session cookie's `Path`, `Domain`, `SameSite`,
/// `Secure` and `HttpOnly`), unless that response sets a new session cookie, so that a browser
/// stops sending it.
///
/// With the CSRF secret in a cookie (not in the session), a request whose CSRF cookie is
/// malformed (wrong length, characters outside the alphabet) gets a fresh CSRF cookie with its
/// response (unless the response sets one itself), as Django's CSRF middleware does: its
/// unsafe requests are still refused with 403 `CSRF Failed: CSRF cookie has incorrect length.`
/// (or `.. has invalid characters.`), and the next one, with the new cookie and its value in
/// `X-CSRFToken`, passes.
pub struct SessionLayer<S: SessionStore + 'static> {
    cookie: Rc<Cookie<'static>>,
    csrf: Option<Rc<Cookie<'static>>>,
    keys: Rc<KeyFallbacks>,
    inner: SessionMiddleware<TimedStore<S>>,
}

impl<S: SessionStore + 'static> SessionLayer<S> {
    /// `removal` is the cookie that clears the session cookie (its name and attributes);
    /// `csrf` the CSRF cookie to renew (its name and attributes), when CSRF uses a cookie.
    /// `keys` re-seals cookies of a fallback session key.
    pub(crate) fn new(
        removal: Cookie<'static>,
        csrf: Option<Cookie<'static>>,
        keys: KeyFallbacks,
        inner: SessionMiddleware<TimedStore<S>>,
    ) -> Self {
        Self {
            cookie: Rc::new(removal),
            csrf: csrf.map(Rc::new),
            keys: Rc::new(keys),
            inner,
        }
    }
}

/// Marks a request whose session cookie gave no session: the response clears the cookie.
#[derive(Debug, Clone, Copy)]
struct StaleCookie;

/// Sits inside `actix-session`'s middleware, where the session is loaded: a request that
/// sent the session cookie and has an empty session is marked `StaleCookie`.
pub struct StaleCookieCheck<S> {
    cookie_name: Rc<str>,
    service: S,
}

impl<S, B> Service<ServiceRequest> for StaleCookieCheck<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = S::Future;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let sent = req
            .cookie(&self.cookie_name)
            .is_some_and(|c| !c.value().is_empty());
        if sent && req.get_session().entries().is_empty() {
            req.extensions_mut().insert(StaleCookie);
        }
        self.service.call(req)
    }
}

/// Rewrites the `Cookie` headers when `name` appears more than once, keeping its last
/// occurrence only (actix-session would take the first).
fn keep_last_cookie(req: &mut ServiceRequest, name: &str) {
    let is_name = |pair: &str| value_of(pair, name).is_some();
    let count = cookie_pairs(req).filter(|p| is_name(p)).count();
    if count < 2 {
        return;
    }
    let mut seen = 0;
    let kept: Vec<&str> = cookie_pairs(req)
        .filter(|p| {
            if !is_name(p) {
                return true;
            }
            seen += 1;
            seen == count
        })
        .collect();
    let joined = kept.join("; ");
    if let Ok(value) = HeaderValue::from_str(&joined) {
        req.headers_mut().insert(COOKIE, value);
    }
}

impl<S, B, St> Transform<S, ServiceRequest> for SessionLayer<St>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    S::Future: 'static,
    B: MessageBody + 'static,
    St: SessionStore + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = SessionLayerService<
        <SessionMiddleware<TimedStore<St>> as Transform<
            StaleCookieCheck<S>,
            ServiceRequest,
        >>::Transform,
    >;
    type InitError = ();
    type Future = LocalBoxFuture<'static, Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        let cookie_name: Rc<str> = self.cookie.name().into();
        let inner = self.inner.new_transform(StaleCookieCheck {
            cookie_name: Rc::clone(&cookie_name),
            service,
        });
        let cookie = Rc::clone(&self.cookie);
        let csrf = self.csrf.clone();
        let keys = Rc::clone(&self.keys);
        Box::pin(async move {
            Ok(SessionLayerService {
                cookie_name,
                cookie,
                csrf,
                keys,
                inner: Rc::new(inner.await?),
            })
        })
    }
}

/// The service [`SessionLayer`] wraps around an app.
pub struct SessionLayerService<T> {
    cookie_name: Rc<str>,
    cookie: Rc<Cookie<'static>>,
    csrf: Option<Rc<Cookie<'static>>>,
    keys: Rc<KeyFallbacks>,
    inner: Rc<T>,
}

impl<T, B> Service<ServiceRequest> for SessionLayerService<T>
where
    T: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<ServiceResponse<B>, actix_web::Error>>;

    actix_web::dev::forward_ready!(inner);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        keep_last_cookie(&mut req, &self.cookie_name);
        self.keys.reseal(&mut req, &self.cookie_name);
        let inner = Rc::clone(&self.inner);
        let cookie = Rc::clone(&self.cookie);
        // a malformed CSRF cookie is replaced, as Django's CSRF middleware replaces it
        let csrf = self
            .csrf
            .clone()
            .filter(|c| sends_malformed(&req, c.name()));
        Box::pin(STORE_FAILED.scope(Cell::new(false), async move {
            let res = inner.call(req).await;
            let failed = STORE_FAILED.with(Cell::get);
            match res {
                Err(_) if failed => Err(StoreUnavailable.into()),
                Ok(mut res) => {
                    let stale = res.request().extensions().contains::<StaleCookie>();
                    // not when it sets a new session, or actix-session's own removal
                    if stale && !sets_cookie(&res, cookie.name()) {
                        append_cookie(&mut res, &cookie);
                    }
                    if let Some(csrf) = csrf {
                        renew(&mut res, &csrf);
                    }
                    Ok(res)
                }
                other => other,
            }
        }))
    }
}
