//! Per-endpoint runtime state: the runtime part of the chain, the auth descriptions by position,
//! and the error responder. Built once when the API is built.

use std::ops::ControlFlow;
use std::sync::Arc;

use actix_web::error::BlockingError;
use actix_web::{HttpRequest, HttpResponse};

use super::Fixed;
use super::meter::{self, Meter};
use crate::auth::AuthDoc;
use crate::auth::{AuthError, AuthInfo, AuthRequest, AuthResult, ErasedIdentity, LayerAuth, erase};
use crate::negotiate::Produces;
use crate::respond::ErrorResponder;
use crate::throttle::Now;
use crate::throttle::list::Throttles;
use crate::throttle::{Stage, ThrottleDoc};

/// The state one endpoint's handler shares across requests.
#[doc(hidden)]
pub struct EndpointCtx {
    runtime: Box<[Arc<dyn LayerAuth>]>,
    static_len: usize,
    errors: ErrorResponder,
    docs: Vec<AuthDoc>,
    /// A test override (`testing` feature): the chain does not run.
    fixed: Option<Fixed>,
    /// The endpoint's throttles, both stages.
    throttles: Throttles,
    /// The media types the endpoint answers with (`Accept` negotiation).
    produces: Produces,
    /// Where a static auth's identity goes (see [`EndpointCtx::with_record`]).
    identity: Keep,
    /// The auth counters (`dmr_auth_total`).
    meter: Meter,
}

/// Where the pipeline puts the identity a static auth found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Keep {
    /// Stored on the request as its record (`request_auth`, `AuthInfo`).
    Record,
    /// Moved into the handler's one `Authed<T>` argument; nothing stored.
    Lend,
    /// Dropped: nothing reads it.
    Drop,
}

/// What a chain run ends with: `Ok(None)` for an endpoint without auth.
pub type ChainOutcome = Result<Option<AuthInfo>, AuthError>;

impl EndpointCtx {
    pub(crate) fn new(
        docs: Vec<AuthDoc>,
        runtime: Box<[Arc<dyn LayerAuth>]>,
        static_len: usize,
        errors: ErrorResponder,
        fixed: Option<Fixed>,
        throttles: Throttles,
        produces: Produces,
    ) -> Self {
        Self {
            runtime,
            static_len,
            errors,
            docs,
            fixed,
            throttles,
            produces,
            identity: Keep::Record,
            meter: Meter::default(),
        }
    }

    /// Where a static auth's identity goes: stored on the request as its record (what
    /// `request_auth` and `AuthInfo` read) if `keep` is [`Keep::Record`] or a throttle keyed on
    /// the identity reads it; otherwise moved into the handler's `Authed<T>` ([`Keep::Lend`]) or
    /// dropped ([`Keep::Drop`]), and nothing is stored (no allocation). The record is kept by
    /// default.
    pub(crate) fn with_record(mut self, keep: Keep) -> Self {
        self.identity = if self.throttles_after_auth() {
            Keep::Record
        } else {
            keep
        };
        self
    }

    /// Where a static auth's identity goes; see [`with_record`](Self::with_record).
    #[inline]
    pub(crate) fn keep(&self) -> Keep {
        self.identity
    }

    /// The response to a refusal of the chain.
    #[inline]
    pub(crate) fn refuse(&self, e: &AuthError, req: &HttpRequest) -> HttpResponse {
        self.meter.refused(&self.docs, e);
        let prompt = crate::respond::browser_may_prompt(req);
        self.errors.auth_with(e, self.errors.locale(req), prompt)
    }

    /// The 406 to send if the request's `Accept` header admits none of the media types the
    /// endpoint answers with.
    #[inline]
    pub fn negotiate(&self, req: &HttpRequest) -> Option<HttpResponse> {
        if self.produces.accepts(req) {
            None
        } else {
            let msg = self.produces.cannot_serialize(req);
            Some(self.errors.not_acceptable(&msg, req))
        }
    }

    /// Whether any throttle is checked before auth: the expansion awaits
    /// [`throttle_before_auth`](Self::throttle_before_auth) only then.
    #[inline]
    pub fn throttles_before_auth(&self) -> bool {
        self.throttles.any(Stage::BeforeAuth)
    }

    /// Whether any throttle is checked after auth; see
    /// [`throttles_before_auth`](Self::throttles_before_auth).
    #[inline]
    pub fn throttles_after_auth(&self) -> bool {
        self.throttles.any(Stage::AfterAuth)
    }

    /// Runs the throttles checked before negotiation and auth (keyed on the client address):
    /// the 429 (or 503) to send if one refuses.
    #[inline]
    pub async fn throttle_before_auth(&self, req: &HttpRequest) -> Option<HttpResponse> {
        self.throttle_before_auth_from(0, req).await
    }

    /// [`throttle_before_auth`](Self::throttle_before_auth) from the throttle at `from` on
    /// (the ones before it counted the request already).
    #[inline]
    pub(crate) async fn throttle_before_auth_from(
        &self,
        from: usize,
        req: &HttpRequest,
    ) -> Option<HttpResponse> {
        let refused = self
            .throttles
            .run(Stage::BeforeAuth, from, req, &self.errors)
            .await;
        meter::throttle_decision(refused.is_some());
        refused
    }

    /// The throttles checked before auth, while their stores answer without awaiting.
    #[inline]
    pub(crate) fn throttle_before_auth_now(&self, req: &HttpRequest) -> Now {
        let now = self.throttles.run_now(Stage::BeforeAuth, req, &self.errors);
        match &now {
            Now::Passed => meter::throttle_decision(false),
            Now::Refused(_) => meter::throttle_decision(true),
            Now::Await(_) => {}
        }
        now
    }

    /// Runs the throttles checked after auth (keyed on the identity).
    #[inline]
    pub async fn throttle_after_auth(&self, req: &HttpRequest) -> Option<HttpResponse> {
        let refused = self
            .throttles
            .run(Stage::AfterAuth, 0, req, &self.errors)
            .await;
        meter::throttle_decision(refused.is_some());
        refused
    }

    /// The descriptions of the endpoint's throttles.
    pub fn throttle_docs(&self) -> Vec<ThrottleDoc> {
        self.throttles.docs()
    }

    pub(crate) fn fixed(&self) -> Option<&Fixed> {
        self.fixed.as_ref()
    }

    /// Counts a request the auth at `position` let in.
    #[inline]
    pub(crate) fn admitted(&self, position: usize) {
        self.meter.ok(&self.docs, position);
    }

    /// Whether the handler runs the auth chain. Under a test override it does not: the
    /// override's identity, if any, is recorded instead.
    #[inline]
    pub fn run_chain(&self, req: &HttpRequest) -> bool {
        match &self.fixed {
            None => self.has_auth(),
            Some(fixed) => {
                fixed.apply(req);
                false
            }
        }
    }

    /// The descriptions of every auth in the chain, in chain order.
    pub fn docs(&self) -> &[AuthDoc] {
        &self.docs
    }

    /// Whether any auth guards this endpoint.
    #[inline]
    pub fn has_auth(&self) -> bool {
        !self.docs.is_empty()
    }

    /// The endpoint's error responder.
    #[inline]
    pub fn errors(&self) -> &ErrorResponder {
        &self.errors
    }

    /// Turns the result of the static auth at `position` into "go on" or "stop with this".
    #[inline]
    pub fn step<I: Send + Sync + 'static>(
        &self,
        position: usize,
        result: AuthResult<I>,
    ) -> ControlFlow<ChainOutcome> {
        match result {
            // a skip, decided where the call is inlined
            Ok(None) => ControlFlow::Continue(()),
            result => self.erased_step(position, erase(result)),
        }
    }

    pub(crate) fn record(&self, position: usize, identity: ErasedIdentity) -> AuthInfo {
        AuthInfo::new(
            self.docs[position].scheme_name.clone(),
            position,
            identity,
            self.docs[position].throttle_key,
        )
    }

    fn erased_step(
        &self,
        position: usize,
        r: AuthResult<ErasedIdentity>,
    ) -> ControlFlow<ChainOutcome> {
        match r {
            Ok(None) => ControlFlow::Continue(()),
            Ok(Some(identity)) => ControlFlow::Break(Ok(Some(self.record(position, identity)))),
            Err(e) => ControlFlow::Break(Err(e)),
        }
    }

    fn all_skipped(&self) -> ChainOutcome {
        if self.has_auth() {
            Err(AuthError::not_authenticated())
        } else {
            Ok(None)
        }
    }

    /// Attaches the identity on success; otherwise the error response to send.
    #[inline]
    pub fn settle(&self, outcome: ChainOutcome, req: &HttpRequest) -> Option<HttpResponse> {
        match outcome {
            Ok(Some(info)) => {
                self.admitted(info.position());
                info.attach(req);
                None
            }
            Ok(None) => None,
            Err(e) => Some(self.refuse(&e, req)),
        }
    }

    /// [`EndpointCtx::settle`] for a chain that ran on the blocking pool.
    pub fn settle_blocking(
        &self,
        outcome: Result<ChainOutcome, BlockingError>,
        req: &HttpRequest,
    ) -> Option<HttpResponse> {
        match outcome {
            Ok(o) => self.settle(o, req),
            Err(_) => Some(self.errors.internal()),
        }
    }

    /// Runs the runtime layers (scope, settings) of a sync endpoint after its static chain
    /// skipped; all-skip is 401.
    pub fn finish_sync(&self, req: &AuthRequest<'_>) -> ChainOutcome {
        for (i, auth) in self.runtime.iter().enumerate() {
            if let ControlFlow::Break(o) =
                self.erased_step(self.static_len + i, auth.check_sync(req))
            {
                return o;
            }
        }
        self.all_skipped()
    }

    /// The outcome of a chain whose static auths all skipped, when the endpoint has no
    /// runtime layers (the common case): decided without an async call. `None`: run
    /// [`finish_async`](Self::finish_async).
    #[inline]
    pub fn finish_without_layers(&self) -> Option<ChainOutcome> {
        self.runtime.is_empty().then(|| self.all_skipped())
    }

    /// Runs the runtime layers of an async endpoint; see [`EndpointCtx::finish_sync`].
    pub async fn finish_async(&self, req: &AuthRequest<'_>) -> ChainOutcome {
        for (i, auth) in self.runtime.iter().enumerate() {
            let r = auth.check_async(req).await;
            if let ControlFlow::Break(o) = self.erased_step(self.static_len + i, r) {
                return o;
            }
        }
        self.all_skipped()
    }
}
