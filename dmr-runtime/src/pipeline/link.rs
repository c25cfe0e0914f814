//! One auth of an endpoint's static chain, as the pipeline runs it. The expansion builds every
//! `auth = [..]` entry once into an `Arc` (the controller's entries are shared by its
//! endpoints) and wraps it for the endpoint's kind: [`AsyncLink`] on an `async fn` endpoint,
//! [`SyncLink`] on a plain `fn` one. A value that does not fit the kind (already reported at
//! the user's token) becomes [`Unfit`], so the chain's type is always known and no second
//! error is reported at the attribute.

use std::future::Future;
use std::sync::Arc;

use crate::auth::{AsyncAuth, Auth, AuthDoc, AuthRequest, AuthResult, SyncAuth};

/// One link of a static chain, described.
pub trait Step: Send + Sync + 'static {
    /// The description of the auth (`None` for [`Unfit`]).
    fn doc(&self) -> Option<AuthDoc>;
}

/// A check the pipeline can run on the async workers.
pub trait AsyncStep: Step {
    /// What the check yields.
    type Identity: Send + Sync + 'static;
    /// Runs the check.
    fn check(&self, req: &AuthRequest<'_>) -> impl Future<Output = AuthResult<Self::Identity>>;
    /// The check's answer if it is known without awaiting (see
    /// [`AsyncAuth::authenticate_now`]).
    fn check_now(&self, req: &AuthRequest<'_>) -> Option<AuthResult<Self::Identity>>;
}

/// A check the pipeline can run on the blocking pool.
pub trait SyncStep: Step {
    /// What the check yields.
    type Identity: Send + Sync + 'static;
    /// Runs the check.
    fn check_sync(&self, req: &AuthRequest<'_>) -> AuthResult<Self::Identity>;
}

/// An auth of an `async fn` endpoint.
pub struct AsyncLink<A>(pub(crate) Arc<A>);

/// An auth of a plain `fn` endpoint.
pub struct SyncLink<A>(pub(crate) Arc<A>);

/// The stand-in for an entry that does not fit the endpoint (a compile error elsewhere): it
/// never runs in a program that builds.
pub struct Unfit;

impl<A: Auth> Step for AsyncLink<A> {
    fn doc(&self) -> Option<AuthDoc> {
        Some(AuthDoc::of(&*self.0))
    }
}

impl<A: Auth> Step for SyncLink<A> {
    fn doc(&self) -> Option<AuthDoc> {
        Some(AuthDoc::of(&*self.0))
    }
}

impl Step for Unfit {
    fn doc(&self) -> Option<AuthDoc> {
        None
    }
}

impl<A: AsyncAuth> AsyncStep for AsyncLink<A> {
    type Identity = A::Identity;
    #[inline]
    fn check(&self, req: &AuthRequest<'_>) -> impl Future<Output = AuthResult<A::Identity>> {
        self.0.authenticate(req)
    }
    #[inline]
    fn check_now(&self, req: &AuthRequest<'_>) -> Option<AuthResult<A::Identity>> {
        self.0.authenticate_now(req)
    }
}

impl<A: SyncAuth> SyncStep for SyncLink<A> {
    type Identity = A::Identity;
    #[inline]
    fn check_sync(&self, req: &AuthRequest<'_>) -> AuthResult<A::Identity> {
        self.0.authenticate_sync(req)
    }
}

impl AsyncStep for Unfit {
    type Identity = ();
    fn check(&self, _: &AuthRequest<'_>) -> impl Future<Output = AuthResult<()>> {
        std::future::ready(Ok(None))
    }
    fn check_now(&self, _: &AuthRequest<'_>) -> Option<AuthResult<()>> {
        Some(Ok(None))
    }
}

impl SyncStep for Unfit {
    type Identity = ();
    fn check_sync(&self, _: &AuthRequest<'_>) -> AuthResult<()> {
        Ok(None)
    }
}
