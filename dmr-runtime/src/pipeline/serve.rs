//! The per-request pipeline, one generic function per endpoint kind: throttles keyed before
//! auth (429) -> `Accept` negotiation (406) -> the chain (static links, then the runtime
//! layers) -> settle (401/403, or the identity recorded) -> throttles keyed on the identity ->
//! the handler's extractors (400/415/..) -> the handler -> the response. The expansion builds
//! an [`Endpoint`] once and calls [`Endpoint::serve_async`] or [`Endpoint::serve_sync`].

use std::ops::ControlFlow;
use std::sync::Arc;

use actix_web::{FromRequest, HttpRequest, HttpResponse, Responder};

use super::chain::{AsyncChain, SyncChain};
use super::context::{ChainOutcome, EndpointCtx};
use super::handler::{AsyncEndpointFn, SyncEndpointFn};
use crate::auth::{AuthRequest, RequestSnapshot};
use crate::description::declared_status;

/// One endpoint, built once when the API is built: its shared state, static chain and
/// function.
pub struct Endpoint<C, H> {
    pub(crate) ctx: Arc<EndpointCtx>,
    pub(crate) chain: C,
    pub(crate) handler: H,
    /// `#[endpoint(status = 201)]`: the handler's `200 OK` answers with this status.
    pub(crate) status: Option<u16>,
}

impl<C, H> Endpoint<C, H> {
    /// The throttles keyed before auth, negotiation: the response that ends the request early.
    #[inline]
    async fn before_chain(&self, req: &HttpRequest) -> Option<HttpResponse> {
        let ctx = &*self.ctx;
        if ctx.throttles_before_auth()
            && let Some(resp) = ctx.throttle_before_auth(req).await
        {
            return Some(resp);
        }
        ctx.negotiate(req)
    }

    /// The throttles keyed on the identity, once the chain let the request in.
    #[inline]
    async fn after_chain(&self, req: &HttpRequest) -> Option<HttpResponse> {
        let ctx = &*self.ctx;
        if ctx.throttles_after_auth() {
            ctx.throttle_after_auth(req).await
        } else {
            None
        }
    }

    /// The handler's arguments, or the error response of the extractor that failed.
    #[inline]
    async fn extract<T: FromRequest>(
        &self,
        req: &HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Result<T, HttpResponse> {
        match T::from_request(req, payload).await {
            Ok(args) => Ok(args),
            Err(e) => Err(self.ctx.errors().extract(&e.into(), req)),
        }
    }

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

impl<C: AsyncChain, H: AsyncEndpointFn> Endpoint<C, H> {
    /// Serves one request on the async workers.
    pub async fn serve_async(
        &self,
        req: HttpRequest,
        mut payload: actix_web::dev::Payload,
    ) -> HttpResponse {
        if let Some(resp) = self.before_chain(&req).await {
            return resp;
        }
        let ctx = &*self.ctx;
        if ctx.run_chain(&req) {
            let areq = AuthRequest::live(&req);
            let outcome = match self.chain.run(ctx, &areq).await {
                ControlFlow::Break(outcome) => outcome,
                ControlFlow::Continue(()) => match ctx.finish_without_layers() {
                    Some(outcome) => outcome,
                    None => ctx.finish_async(&areq).await,
                },
            };
            if let Some(resp) = ctx.settle(outcome, &req) {
                return resp;
            }
        }
        if let Some(resp) = self.after_chain(&req).await {
            return resp;
        }
        let args = match self.extract::<H::Args>(&req, &mut payload).await {
            Ok(args) => args,
            Err(resp) => return resp,
        };
        let out = self.handler.call(args).await;
        self.respond(out, &req)
    }
}

impl<C: SyncChain, H: SyncEndpointFn> Endpoint<C, H> {
    /// Serves one request: the chain and the handler on the blocking pool, the extractors on
    /// the async workers.
    pub async fn serve_sync(
        self: &Arc<Self>,
        req: HttpRequest,
        mut payload: actix_web::dev::Payload,
    ) -> HttpResponse {
        if let Some(resp) = self.before_chain(&req).await {
            return resp;
        }
        let ctx = &*self.ctx;
        if ctx.run_chain(&req) {
            let snapshot = RequestSnapshot::of(&req);
            let this = Arc::clone(self);
            let outcome = actix_web::web::block(move || this.run_sync_chain(&snapshot)).await;
            if let Some(resp) = ctx.settle_blocking(outcome, &req) {
                return resp;
            }
        }
        if let Some(resp) = self.after_chain(&req).await {
            return resp;
        }
        let args = match self.extract::<H::Args>(&req, &mut payload).await {
            Ok(args) => args,
            Err(resp) => return resp,
        };
        let this = Arc::clone(self);
        match actix_web::web::block(move || this.handler.call(args)).await {
            Ok(out) => self.respond(out, &req),
            Err(_) => ctx.errors().internal(),
        }
    }

    fn run_sync_chain(&self, snapshot: &RequestSnapshot) -> ChainOutcome {
        let areq = snapshot.view();
        match self.chain.run_sync(&self.ctx, &areq) {
            ControlFlow::Break(outcome) => outcome,
            ControlFlow::Continue(()) => self.ctx.finish_sync(&areq),
        }
    }
}
