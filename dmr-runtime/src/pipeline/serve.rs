//! The per-request pipeline, one generic function per endpoint kind: throttles keyed before
//! auth (429) -> `Accept` negotiation (406) -> the chain (static links, then the runtime
//! layers) -> settle (401/403, or the identity recorded) -> throttles keyed on the identity ->
//! the handler's extractors (400/415/..) -> the handler -> the response. The expansion builds
//! an [`Endpoint`] once; its route serves every request through [`Serve::serve`].

use std::future::Future;
use std::ops::ControlFlow;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, Responder};

use super::chain::{AsyncChain, SyncChain};
use super::context::{ChainOutcome, EndpointCtx, Keep};
use super::found::Found;
use super::handler::{AsyncEndpointFn, SyncEndpointFn};
use super::meter as request;
use crate::auth::{AuthDoc, AuthRequest, RequestSnapshot};
use crate::description::declared_status;
use crate::extract::lend;
use crate::throttle::Now;

/// One endpoint, built once when the API is built: its shared state, static chain and
/// function.
pub struct Endpoint<C, H> {
    pub(crate) ctx: Arc<EndpointCtx>,
    pub(crate) chain: C,
    pub(crate) handler: H,
    /// `#[endpoint(status = 201)]`: the handler's `200 OK` answers with this status.
    pub(crate) status: Option<u16>,
}

/// An endpoint's static chain and function, for its kind, before its shared state exists:
/// what the expansion hands [`ControllerBuild::serve`](crate::__private::ControllerBuild::serve).
pub trait Pipeline {
    /// What serves its requests.
    type Serve: Serve;
    /// The descriptions of its static chain, in order.
    fn docs(&self) -> Vec<AuthDoc>;
    /// What serves its requests, with the endpoint's shared state and declared status.
    fn into_serve(self, ctx: Arc<EndpointCtx>, status: Option<u16>) -> Self::Serve;
}

/// An `async fn` endpoint: its static chain `C` and its function `H`.
pub struct RunAsync<C, H>(pub C, pub H);

/// A plain `fn` endpoint: its static chain `C` and its function `H`.
pub struct RunSync<C, H>(pub C, pub H);

impl<C: AsyncChain, H: AsyncEndpointFn> Pipeline for RunAsync<C, H> {
    type Serve = Endpoint<C, H>;
    fn docs(&self) -> Vec<AuthDoc> {
        self.0.docs()
    }
    fn into_serve(self, ctx: Arc<EndpointCtx>, status: Option<u16>) -> Endpoint<C, H> {
        Endpoint {
            ctx,
            chain: self.0,
            handler: self.1,
            status,
        }
    }
}

impl<C: SyncChain, H: SyncEndpointFn> Pipeline for RunSync<C, H> {
    type Serve = Blocking<C, H>;
    fn docs(&self) -> Vec<AuthDoc> {
        self.0.docs()
    }
    fn into_serve(self, ctx: Arc<EndpointCtx>, status: Option<u16>) -> Blocking<C, H> {
        Blocking(Endpoint {
            ctx,
            chain: self.0,
            handler: self.1,
            status,
        })
    }
}

/// What a route calls with each request.
pub trait Serve: Send + Sync + 'static {
    /// The response to `req`, whose body is `payload`.
    fn serve<'a>(
        self: &'a Arc<Self>,
        req: &'a HttpRequest,
        payload: Payload,
    ) -> impl Future<Output = HttpResponse> + 'a;
}

/// Returns the response of a stage that ended the request.
macro_rules! answer {
    ($stage:expr) => {
        if let Some(resp) = $stage {
            return resp;
        }
    };
}

/// The stages before the chain: the throttles keyed before auth, then `Accept` negotiation.
macro_rules! before_chain {
    ($ctx:expr, $req:expr) => {
        if $ctx.throttles_before_auth() {
            answer!($ctx.throttle_before_auth($req).await);
        }
        answer!($ctx.negotiate($req));
    };
}

/// The stages after the chain: the throttles keyed on the identity, then the function's
/// extractors (the future `$extract`); evaluates to the arguments.
macro_rules! after_chain {
    ($ctx:expr, $req:expr, $extract:expr) => {{
        if $ctx.throttles_after_auth() {
            answer!($ctx.throttle_after_auth($req).await);
        }
        match $extract.await {
            Ok(args) => args,
            Err(e) => return $ctx.errors().extract(&e.into(), $req),
        }
    }};
}

impl<C, H> Endpoint<C, H> {
    /// The handler's result as the response (the declared status, a credential view's
    /// translatable refusal in the request's language).
    #[inline]
    fn respond<R: Responder>(&self, out: R, req: &HttpRequest) -> HttpResponse {
        let resp = out.respond_to(req).map_into_boxed_body();
        let resp = match self.status {
            Some(code) => declared_status(resp, code),
            None => resp,
        };
        self.ctx.errors().finish(resp, req)
    }
}

/// Where an `async fn` endpoint's request goes on when a stage before the extractors must
/// await: that rest runs in a boxed future of its own, so the endpoint's future (which actix
/// boxes and moves on every request) stays small when nothing awaits.
enum Resume {
    /// From the throttle checked before auth at this position (its store must be awaited),
    /// or from the start when a throttle is checked after auth.
    Throttle(usize),
    /// The static auths before this position skipped; the one at it must be awaited (or,
    /// at the chain's length, the runtime layers).
    Chain(usize),
}

/// The stages before the extractors, run without awaiting where they can.
enum Admit<F> {
    /// Admitted, with the identity to lend to the handler's arguments (if it is lent).
    Ready(Option<F>),
    /// A stage ended the request with this response.
    Answer(HttpResponse),
    /// A stage must await: go on from here.
    Resume(Resume),
}

/// The stages before the extractors while none of them awaits: the throttles checked before
/// auth whose stores answer at once (in memory), negotiation, then the static auths that
/// answer at once (no throttle checked after auth). Generic over the chain only: endpoints
/// with the same chain share one copy.
#[inline]
fn admit_now<C: AsyncChain>(chain: &C, ctx: &EndpointCtx, req: &HttpRequest) -> Admit<C::Found> {
    if ctx.throttles_after_auth() {
        return Admit::Resume(Resume::Throttle(0));
    }
    if ctx.throttles_before_auth() {
        match ctx.throttle_before_auth_now(req) {
            Now::Passed => {}
            Now::Refused(resp) => return Admit::Answer(resp),
            Now::Await(at) => return Admit::Resume(Resume::Throttle(at)),
        }
    }
    if let Some(resp) = ctx.negotiate(req) {
        return Admit::Answer(resp);
    }
    if !ctx.run_chain(req) {
        return Admit::Ready(None);
    }
    match chain.run_now(&AuthRequest::live(req)) {
        ControlFlow::Break(Ok(found)) => Admit::Ready(keep(ctx, found, req)),
        ControlFlow::Break(Err(e)) => Admit::Answer(ctx.refuse(&e, req)),
        ControlFlow::Continue(at) if at < C::LEN => Admit::Resume(Resume::Chain(at)),
        ControlFlow::Continue(_) => match ctx.finish_without_layers() {
            Some(outcome) => match ctx.settle(outcome, req) {
                Some(resp) => Admit::Answer(resp),
                None => Admit::Ready(None),
            },
            None => Admit::Resume(Resume::Chain(C::LEN)),
        },
    }
}

/// The stages before the extractors from `at` on, awaiting what must be awaited:
/// throttles keyed before auth -> negotiation -> the rest of the static chain -> the
/// runtime layers -> settle -> throttles keyed on the identity.
async fn admit<C: AsyncChain>(
    chain: &C,
    ctx: &EndpointCtx,
    req: &HttpRequest,
    at: Resume,
) -> Result<Option<C::Found>, HttpResponse> {
    let from = match at {
        Resume::Chain(from) => Some(from),
        Resume::Throttle(at) => {
            if ctx.throttles_before_auth() {
                answer!(ctx.throttle_before_auth_from(at, req).await.map(Err));
            }
            answer!(ctx.negotiate(req).map(Err));
            ctx.run_chain(req).then_some(0)
        }
    };
    let mut lent = None;
    if let Some(from) = from {
        let areq = AuthRequest::live(req);
        match chain.run_from(from, &areq).await {
            ControlFlow::Break(Ok(found)) => lent = keep(ctx, found, req),
            ControlFlow::Break(Err(e)) => return Err(ctx.refuse(&e, req)),
            ControlFlow::Continue(()) => {
                let outcome = match ctx.finish_without_layers() {
                    Some(outcome) => outcome,
                    None => ctx.finish_async(&areq).await,
                };
                answer!(ctx.settle(outcome, req).map(Err));
            }
        }
    }
    if ctx.throttles_after_auth() {
        answer!(ctx.throttle_after_auth(req).await.map(Err));
    }
    Ok(lent)
}

/// Where the identity a static auth found goes: recorded on the request, or returned to
/// be lent to the handler's arguments, or dropped.
#[inline]
fn keep<F: Found>(ctx: &EndpointCtx, found: F, req: &HttpRequest) -> Option<F> {
    ctx.admitted(found.position());
    match ctx.keep() {
        Keep::Record => {
            found.record(ctx).attach(req);
            None
        }
        Keep::Lend => Some(found),
        Keep::Drop => None,
    }
}

impl<C: AsyncChain, H: AsyncEndpointFn> Serve for Endpoint<C, H> {
    /// Serves one request on the async workers (its path's service wraps it in the
    /// `dmr.request` span).
    #[inline]
    fn serve<'a>(
        self: &'a Arc<Self>,
        req: &'a HttpRequest,
        payload: Payload,
    ) -> impl Future<Output = HttpResponse> + 'a {
        self.serve_async(req, payload)
    }
}

impl<C: AsyncChain, H: AsyncEndpointFn> Endpoint<C, H> {
    #[inline]
    async fn serve_async(
        self: &Arc<Self>,
        req: &HttpRequest,
        mut payload: Payload,
    ) -> HttpResponse {
        let lent = match admit_now(&self.chain, &self.ctx, req) {
            Admit::Ready(lent) => lent,
            Admit::Answer(resp) => return resp,
            Admit::Resume(at) => {
                let start = std::time::Instant::now();
                let admitted = Box::pin(admit(&self.chain, &self.ctx, req, at)).await;
                request::auth_duration(start, admitted.is_ok());
                match admitted {
                    Ok(lent) => lent,
                    Err(resp) => return resp,
                }
            }
        };
        // an identity not recorded goes to the arguments: as they are when the handler takes
        // exactly `Authed<T>`, else lent to the extractors, which take it as they are made
        let args = match lent.map(Found::into_args::<H::Args>) {
            Some(Ok(args)) => args,
            lent => {
                let extract = match lent {
                    Some(Err(Some(found))) => lend::scope(|| {
                        found.lend();
                        H::Args::from_request(req, &mut payload)
                    }),
                    _ => H::Args::from_request(req, &mut payload),
                };
                match extract.await {
                    Ok(args) => args,
                    Err(e) => return self.ctx.errors().extract(&e.into(), req),
                }
            }
        };
        let out = self.handler.call(args).await;
        self.respond(out, req)
    }
}

/// A plain `fn` endpoint: the chain and the handler on the blocking pool, the extractors on
/// the async workers.
pub struct Blocking<C, H>(pub(crate) Endpoint<C, H>);

impl<C: SyncChain, H: SyncEndpointFn> Serve for Blocking<C, H> {
    fn serve<'a>(
        self: &'a Arc<Self>,
        req: &'a HttpRequest,
        payload: Payload,
    ) -> impl Future<Output = HttpResponse> + 'a {
        self.serve_blocking(req, payload)
    }
}

impl<C: SyncChain, H: SyncEndpointFn> Blocking<C, H> {
    async fn serve_blocking(
        self: &Arc<Self>,
        req: &HttpRequest,
        mut payload: Payload,
    ) -> HttpResponse {
        let ctx = &*self.0.ctx;
        before_chain!(ctx, req);
        if ctx.run_chain(req) {
            let snapshot = RequestSnapshot::of(req);
            let this = Arc::clone(self);
            let start = std::time::Instant::now();
            let outcome = actix_web::web::block(move || this.run_chain(&snapshot)).await;
            let refused = ctx.settle_blocking(outcome, req);
            request::auth_duration(start, refused.is_none());
            answer!(refused);
        }
        let args = after_chain!(ctx, req, H::Args::from_request(req, &mut payload));
        let this = Arc::clone(self);
        match actix_web::web::block(move || this.0.handler.call(args)).await {
            Ok(out) => self.0.respond(out, req),
            Err(_) => ctx.errors().internal(),
        }
    }
}

impl<C: SyncChain, H> Blocking<C, H> {
    fn run_chain(&self, snapshot: &RequestSnapshot) -> ChainOutcome {
        let areq = snapshot.view();
        match self.0.chain.run_sync(&self.0.ctx, &areq) {
            ControlFlow::Break(outcome) => outcome,
            ControlFlow::Continue(()) => self.0.ctx.finish_sync(&areq),
        }
    }
}
