//! Runtime layers: the settings and scope chains, type-erased because they are assembled at
//! run time and shared by endpoints of both kinds.

use std::any::Any;
use std::sync::Arc;

use futures_util::future::LocalBoxFuture;

use super::AuthDoc;
use super::{AsyncAuth, AuthRequest, AuthResult, SyncAuth, SyncOrAsync};

/// An identity whose type was erased for the runtime layers.
pub(crate) type ErasedIdentity = Arc<dyn Any + Send + Sync>;

/// An auth usable in [`Settings`](crate::Settings) and on a [`Scope`](crate::Scope): one that
/// implements both [`SyncAuth`] and [`AsyncAuth`], or a [`SyncOrAsync`] pair.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an auth that settings and scopes can run",
    label = "expected an auth for both `fn` and `async fn` endpoints",
    note = "settings and scopes serve plain `fn` and `async fn` endpoints alike, so `.auth(..)` takes an auth value whose type implements both `SyncAuth` and `AsyncAuth` (`HttpBasic::new(check)`, `JwtAuth::hs256(secret)?`, `SessionConfig::auth()`), or a pair `SyncOrAsync::new(sync_variant, async_variant)`",
    note = "to turn auth off, leave `.auth(..)` out of the settings, or call `.no_auth()` on the scope; to build the auth from application state, use `.auth_from(|value: &Type| ..)`"
)]
pub trait LayerAuth: Send + Sync + 'static {
    #[doc(hidden)]
    fn doc(&self) -> AuthDoc;
    #[doc(hidden)]
    fn check_sync(&self, req: &AuthRequest<'_>) -> AuthResult<ErasedIdentity>;
    #[doc(hidden)]
    fn check_async<'a>(
        &'a self,
        req: &'a AuthRequest<'_>,
    ) -> LocalBoxFuture<'a, AuthResult<ErasedIdentity>>;
}

/// Erases the identity type of a check's result.
pub(crate) fn erase<I: Send + Sync + 'static>(r: AuthResult<I>) -> AuthResult<ErasedIdentity> {
    r.map(|o| o.map(|i| Arc::new(i) as ErasedIdentity))
}

#[diagnostic::do_not_recommend]
impl<T: SyncAuth + AsyncAuth> LayerAuth for T {
    fn doc(&self) -> AuthDoc {
        AuthDoc::of(self)
    }
    fn check_sync(&self, req: &AuthRequest<'_>) -> AuthResult<ErasedIdentity> {
        erase(self.authenticate_sync(req))
    }
    fn check_async<'a>(
        &'a self,
        req: &'a AuthRequest<'_>,
    ) -> LocalBoxFuture<'a, AuthResult<ErasedIdentity>> {
        Box::pin(async move { erase(AsyncAuth::authenticate(self, req).await) })
    }
}

// Both variants yield the same identity type, so the description (the sync variant's) tells
// the truth about what `Authed<T>` can read on either endpoint kind.
#[diagnostic::do_not_recommend]
impl<S: SyncAuth, A: AsyncAuth<Identity = S::Identity>> LayerAuth for SyncOrAsync<S, A> {
    fn doc(&self) -> AuthDoc {
        AuthDoc::of(&self.sync)
    }
    fn check_sync(&self, req: &AuthRequest<'_>) -> AuthResult<ErasedIdentity> {
        erase(self.sync.authenticate_sync(req))
    }
    fn check_async<'a>(
        &'a self,
        req: &'a AuthRequest<'_>,
    ) -> LocalBoxFuture<'a, AuthResult<ErasedIdentity>> {
        Box::pin(async move { erase(self.async_.authenticate(req).await) })
    }
}
