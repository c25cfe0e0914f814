//! An endpoint's static chain as one type: a tuple of links, run in order, the way axum
//! implements `Handler` for tuples of extractors. The expansion writes the tuple; the runtime
//! layers (scope, settings) follow it inside [`EndpointCtx`].

use std::future::Future;
use std::ops::ControlFlow;

use super::context::{ChainOutcome, EndpointCtx};
use super::link::{AsyncStep, SyncStep};
use crate::auth::{AuthDoc, AuthRequest};

/// The static chain of an `async fn` endpoint.
pub trait AsyncChain: Send + Sync + 'static {
    /// The descriptions of its auths, in order.
    fn docs(&self) -> Vec<AuthDoc>;
    /// Runs its auths in order: `Break` with the outcome of the first that does not skip.
    fn run(
        &self,
        ctx: &EndpointCtx,
        req: &AuthRequest<'_>,
    ) -> impl Future<Output = ControlFlow<ChainOutcome>>;
}

/// The static chain of a plain `fn` endpoint; see [`AsyncChain`].
pub trait SyncChain: Send + Sync + 'static {
    /// The descriptions of its auths, in order.
    fn docs(&self) -> Vec<AuthDoc>;
    /// Runs its auths in order, on the blocking pool.
    fn run_sync(&self, ctx: &EndpointCtx, req: &AuthRequest<'_>) -> ControlFlow<ChainOutcome>;
}

macro_rules! chains {
    ($($link:ident $index:tt),*) => {
        impl<$($link: AsyncStep),*> AsyncChain for ($($link,)*) {
            fn docs(&self) -> Vec<AuthDoc> {
                let docs: [Option<AuthDoc>; 0 $(+ { let _ = $index; 1 })*] = [$(self.$index.doc()),*];
                docs.into_iter().flatten().collect()
            }
            #[inline]
            #[allow(unused_variables)]
            async fn run(&self, ctx: &EndpointCtx, req: &AuthRequest<'_>) -> ControlFlow<ChainOutcome> {
                $(ctx.step($index, self.$index.check(req).await)?;)*
                ControlFlow::Continue(())
            }
        }

        impl<$($link: SyncStep),*> SyncChain for ($($link,)*) {
            fn docs(&self) -> Vec<AuthDoc> {
                let docs: [Option<AuthDoc>; 0 $(+ { let _ = $index; 1 })*] = [$(self.$index.doc()),*];
                docs.into_iter().flatten().collect()
            }
            #[inline]
            #[allow(unused_variables)]
            fn run_sync(&self, ctx: &EndpointCtx, req: &AuthRequest<'_>) -> ControlFlow<ChainOutcome> {
                $(ctx.step($index, self.$index.check_sync(req))?;)*
                ControlFlow::Continue(())
            }
        }
    };
}

chains!();
chains!(A0 0);
chains!(A0 0, A1 1);
chains!(A0 0, A1 1, A2 2);
chains!(A0 0, A1 1, A2 2, A3 3);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14);
chains!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15);
