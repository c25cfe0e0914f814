//! From declarations to the per-endpoint lists the handler runs: each throttle gets a limiter
//! for its endpoint when the API is built, and the two stages run in the handler.

use std::any::Any;
use std::marker::PhantomData;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::{HttpRequest, HttpResponse};

use super::headers::RateLimitHeaders;
use super::memory::{MemoryLimiter, MemoryStore};
use super::store::{
    AsyncStore, Decision, HitFuture, LimiterSpec, StoreError, SyncStore, ThrottleStore,
};
use super::{Algorithm, Key, KeyValue, Outage, Rate, Stage, Throttle};
use crate::auth::SyncOrAsync;
use crate::respond::ErrorResponder;

/// The error type of throttle refusals.
pub const RATELIMIT: &str = "ratelimit";
/// The reference's 429 message.
pub const TOO_MANY_REQUESTS: &str = "Too many requests";
/// The 503 message when a store cannot answer and the throttle fails closed.
pub const UNAVAILABLE: &str = "Rate limit unavailable";

/// What the OpenAPI document and [`EndpointInfo`](crate::EndpointInfo) say about one throttle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleDoc {
    /// The rate.
    pub rate: Rate,
    /// The algorithm.
    pub algorithm: Algorithm,
    /// When it runs.
    pub stage: Stage,
    /// The key kind (`ip`, `identity`, ..).
    pub key: &'static str,
    /// The store (`memory`, `redis`, ..).
    pub store: &'static str,
    /// The headers of its 429.
    pub headers: RateLimitHeaders,
    /// What it does when its store cannot answer.
    pub outage: Outage,
}

/// One throttle's settings, as its endpoint runs it.
#[doc(hidden)]
pub struct Policy {
    pub(super) key: Key,
    rate: Rate,
    headers: RateLimitHeaders,
    name: String,
    outage: Outage,
    pub(super) doc: ThrottleDoc,
}

/// Where a throttle is used: its stored keys are unique per operation and method.
#[doc(hidden)]
pub struct ThrottleSite<'a> {
    pub operation: &'a str,
    pub method: &'a str,
}

#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Inline,
    Blocking,
    Async,
}

/// One throttle bound to one endpoint.
#[doc(hidden)]
pub trait StageThrottle: Send + Sync + 'static {
    fn policy(&self) -> &Policy;
    fn mode(&self) -> Mode;
    fn hit_sync(&self, key: &str) -> Result<Decision, StoreError>;
    fn hit_now(&self, key: KeyValue<'_>) -> Option<Result<Decision, StoreError>>;
    fn hit_async<'a>(&'a self, key: &'a str) -> HitFuture<'a>;
}

fn policy<S: ThrottleStore>(t: &Throttle<S>, site: &ThrottleSite<'_>) -> (Policy, LimiterSpec) {
    let key_kind = t.key.kind_name();
    let namespace = format!(
        "{}|{}|{}|{}|{}|{}|{}",
        site.operation,
        site.method,
        t.store.name(),
        t.algorithm.name(),
        key_kind,
        t.rate.max(),
        t.rate.period().as_millis()
    );
    let doc = ThrottleDoc {
        rate: t.rate,
        algorithm: t.algorithm,
        stage: t.key.stage(),
        key: key_kind,
        store: t.store.name(),
        headers: t.headers,
        outage: t.outage,
    };
    let policy = Policy {
        key: t.key.clone(),
        rate: t.rate,
        headers: t.headers,
        name: t.name.as_deref().unwrap_or(key_kind).to_owned(),
        outage: t.outage,
        doc,
    };
    let spec = LimiterSpec {
        rate: t.rate,
        algorithm: t.algorithm,
        namespace,
    };
    (policy, spec)
}

/// One throttle bound to one endpoint: its policy and its store's limiter there. `M` says how
/// the endpoint calls the store: [`OnSync`] or [`OnAsync`].
struct Bound<S: ThrottleStore, M> {
    policy: Policy,
    store: S,
    limiter: S::Limiter,
    mode: PhantomData<fn() -> M>,
}

/// A plain `fn` endpoint calls the store's [`SyncStore`] side.
#[doc(hidden)]
pub struct OnSync;

/// An `async fn` endpoint calls the store's [`AsyncStore`] side.
#[doc(hidden)]
pub struct OnAsync;

impl<S: ThrottleStore, M: 'static> Bound<S, M>
where
    Self: StageThrottle,
{
    fn make(t: &Throttle<S>, site: &ThrottleSite<'_>) -> Arc<dyn StageThrottle> {
        let (policy, spec) = policy(t, site);
        Arc::new(Self {
            policy,
            limiter: t.store.limiter(&spec),
            store: t.store.clone(),
            mode: PhantomData,
        })
    }
}

impl<S: SyncStore> StageThrottle for Bound<S, OnSync> {
    fn policy(&self) -> &Policy {
        &self.policy
    }
    fn mode(&self) -> Mode {
        if self.store.blocks() {
            Mode::Blocking
        } else {
            Mode::Inline
        }
    }
    fn hit_sync(&self, key: &str) -> Result<Decision, StoreError> {
        self.store.hit(&self.limiter, key)
    }
    fn hit_now(&self, key: KeyValue<'_>) -> Option<Result<Decision, StoreError>> {
        if let KeyValue::Ipv4(addr) = key
            && let Some(counted) = memory_ipv4(&self.store, &self.limiter, addr)
        {
            return Some(counted);
        }
        Some(key.with_text(|text| self.hit_sync(text)))
    }
    fn hit_async<'a>(&'a self, key: &'a str) -> HitFuture<'a> {
        Box::pin(std::future::ready(self.hit_sync(key)))
    }
}

impl<S: AsyncStore> StageThrottle for Bound<S, OnAsync> {
    fn policy(&self) -> &Policy {
        &self.policy
    }
    fn mode(&self) -> Mode {
        Mode::Async
    }
    fn hit_sync(&self, key: &str) -> Result<Decision, StoreError> {
        self.hit_now(KeyValue::Text(key)).unwrap_or_else(|| {
            Err(StoreError::new(
                "an async store was called without awaiting",
            ))
        })
    }
    fn hit_now(&self, key: KeyValue<'_>) -> Option<Result<Decision, StoreError>> {
        if let KeyValue::Ipv4(addr) = key
            && let Some(counted) = memory_ipv4(&self.store, &self.limiter, addr)
        {
            return Some(counted);
        }
        key.with_text(|text| self.store.hit_now(&self.limiter, text))
    }
    fn hit_async<'a>(&'a self, key: &'a str) -> HitFuture<'a> {
        self.store.hit(&self.limiter, key)
    }
}

/// The in-memory store counts an IPv4 address without its text (every request of a
/// throttled endpoint keyed by address): `None` for any other store. The type check is
/// decided when `S` is known, so it compiles away.
fn memory_ipv4<S: ThrottleStore>(
    store: &S,
    limiter: &S::Limiter,
    addr: Ipv4Addr,
) -> Option<Result<Decision, StoreError>> {
    let store = (store as &dyn Any).downcast_ref::<MemoryStore>()?;
    let limiter = (limiter as &dyn Any).downcast_ref::<MemoryLimiter>()?;
    Some(store.hit_ipv4(limiter, addr))
}

/// `t` bound for awaiting callers, whatever else its store can do.
#[cfg(feature = "session")]
pub(crate) fn bind_async<S: AsyncStore>(
    t: &Throttle<S>,
    site: &ThrottleSite<'_>,
) -> Arc<dyn StageThrottle> {
    Bound::<S, OnAsync>::make(t, site)
}

/// A throttle that settings and scopes can run: its store implements both [`SyncStore`] and
/// [`AsyncStore`] (the in-memory store does), or it is a pair
/// `SyncOrAsync::new(sync_variant, async_variant)`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a throttle that settings and scopes can run",
    label = "expected a throttle for both `fn` and `async fn` endpoints",
    note = "settings and scopes serve plain `fn` and `async fn` endpoints alike, so `.throttle(..)` takes a `Throttle` whose store implements both `SyncStore` and `AsyncStore` (`Throttle::per_minute(10)` in memory), or a pair `SyncOrAsync::new(sync_variant, async_variant)`",
    note = "to turn throttling off, leave `.throttle(..)` out of the settings, or call `.no_throttle()` on the scope"
)]
pub trait LayerThrottle: Send + Sync + 'static {
    #[doc(hidden)]
    fn bind(&self, site: &ThrottleSite<'_>, sync: bool) -> Arc<dyn StageThrottle>;
}

#[diagnostic::do_not_recommend]
impl<S: SyncStore + AsyncStore> LayerThrottle for Throttle<S> {
    fn bind(&self, site: &ThrottleSite<'_>, sync: bool) -> Arc<dyn StageThrottle> {
        if sync {
            Bound::<_, OnSync>::make(self, site)
        } else {
            Bound::<_, OnAsync>::make(self, site)
        }
    }
}

#[diagnostic::do_not_recommend]
impl<A: SyncStore, B: AsyncStore> LayerThrottle for SyncOrAsync<Throttle<A>, Throttle<B>> {
    fn bind(&self, site: &ThrottleSite<'_>, sync: bool) -> Arc<dyn StageThrottle> {
        if sync {
            Bound::<_, OnSync>::make(&self.sync, site)
        } else {
            Bound::<_, OnAsync>::make(&self.async_, site)
        }
    }
}

/// A throttle listed on an endpoint or its controller, bound the way its endpoints call the
/// store: `Listed<S, OnSync>` on plain `fn` endpoints, `Listed<S, OnAsync>` on `async fn` ones.
#[doc(hidden)]
pub struct Listed<S, M>(pub(crate) Throttle<S>, pub(crate) PhantomData<fn() -> M>);

#[diagnostic::do_not_recommend]
impl<S: ThrottleStore, M: 'static> LayerThrottle for Listed<S, M>
where
    Bound<S, M>: StageThrottle,
{
    fn bind(&self, site: &ThrottleSite<'_>, _: bool) -> Arc<dyn StageThrottle> {
        Bound::<S, M>::make(&self.0, site)
    }
}

/// Why a throttle refused a request: the status (429, or 503 when its store failed closed),
/// the message and the headers to send.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// 429 or 503.
    pub status: StatusCode,
    /// `Too many requests` or `Rate limit unavailable`.
    pub msg: &'static str,
    /// `Retry-After` and the policy's headers.
    pub headers: HeaderMap,
}

impl Refusal {
    /// The response through the endpoint's error model.
    pub(crate) fn render(self, errors: &ErrorResponder, req: &HttpRequest) -> HttpResponse {
        let item = crate::error::ErrorItem::new(self.msg).with_kind(RATELIMIT);
        let mut resp = errors.respond(self.status, &item, errors.locale(req));
        self.put_headers(resp.headers_mut());
        resp
    }

    /// Puts the headers into a response's.
    pub(crate) fn put_headers(&self, into: &mut HeaderMap) {
        for (name, value) in self.headers.iter() {
            into.insert(name.clone(), value.clone());
        }
    }
}

/// The value of `t`'s key for `req`, `None` to skip it.
#[cfg(feature = "session")]
pub(crate) fn key_value(t: &Arc<dyn StageThrottle>, req: &HttpRequest) -> Option<String> {
    t.policy().key.value(req)
}

/// Counts one request for `value` on `t`.
pub(crate) async fn check_value(t: &Arc<dyn StageThrottle>, value: &str) -> Result<(), Refusal> {
    let result = match t.mode() {
        Mode::Inline => t.hit_sync(value),
        Mode::Blocking => {
            let t = Arc::clone(t);
            let value = value.to_owned();
            actix_web::web::block(move || t.hit_sync(&value))
                .await
                .unwrap_or_else(|e| Err(StoreError::new(e)))
        }
        Mode::Async => match t.hit_now(KeyValue::Text(value)) {
            Some(r) => r,
            None => t.hit_async(value).await,
        },
    };
    verdict(t.policy(), result, KeyValue::Text(value))
}

/// [`check_value`] on a thread that may block (a sync handler's, on actix's blocking pool):
/// an async store that cannot answer at once (Redis) is awaited here, on this thread, while
/// the worker drives the connection; outside a runtime it counts as unavailable.
#[cfg(feature = "session")]
pub(crate) fn check_value_blocking(t: &Arc<dyn StageThrottle>, value: &str) -> Result<(), Refusal> {
    let result = match t.mode() {
        Mode::Async if tokio::runtime::Handle::try_current().is_ok() => t
            .hit_now(KeyValue::Text(value))
            .or_else(|| crate::park::block_on_until(t.hit_async(value), None))
            .unwrap_or_else(|| Err(StoreError::new("the store did not answer"))),
        _ => t.hit_sync(value),
    };
    verdict(t.policy(), result, KeyValue::Text(value))
}

/// The refusal a store's answer calls for.
pub(super) fn verdict(
    policy: &Policy,
    result: Result<Decision, StoreError>,
    key: KeyValue<'_>,
) -> Result<(), Refusal> {
    // the audit event names the client address, never another key
    let audit = |status| {
        if policy.key.is_client_addr() {
            key.with_text(|addr| {
                crate::observe::audit::throttled(&policy.name, status, Some(addr))
            });
        } else {
            crate::observe::audit::throttled(&policy.name, status, None);
        }
    };
    match result {
        Ok(d) if d.allowed => Ok(()),
        Ok(d) => {
            audit(429);
            let mut headers = HeaderMap::new();
            policy
                .headers
                .apply(&mut headers, &d, policy.rate.period(), &policy.name);
            Err(Refusal {
                status: StatusCode::TOO_MANY_REQUESTS,
                msg: TOO_MANY_REQUESTS,
                headers,
            })
        }
        Err(e) => match policy.outage {
            Outage::FailOpen => {
                crate::observe::flood::gated!(
                    warn,
                    "throttle_open",
                    "throttle store unavailable, request let through: {e}"
                );
                Ok(())
            }
            Outage::FailClosed => {
                crate::observe::flood::gated!(
                    error,
                    "throttle_closed",
                    "throttle store unavailable, request refused: {e}"
                );
                audit(503);
                let mut headers = HeaderMap::new();
                let wait = Decision {
                    allowed: false,
                    limit: 0,
                    remaining: 0,
                    reset: Duration::ZERO,
                    retry_after: Duration::from_secs(1),
                };
                RateLimitHeaders {
                    retry_after: true,
                    ..RateLimitHeaders::NONE
                }
                .apply(&mut headers, &wait, Duration::ZERO, "");
                Err(Refusal {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    msg: UNAVAILABLE,
                    headers,
                })
            }
        },
    }
}
