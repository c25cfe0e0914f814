//! An endpoint's static chain as one type: a tuple of links, run in order, the way axum
//! implements `Handler` for tuples of extractors. The expansion writes the tuple; the runtime
//! layers (scope, settings) follow it inside [`EndpointCtx`].

use std::future::Future;
use std::ops::ControlFlow;

use super::context::{ChainOutcome, EndpointCtx};
use super::link::{AsyncStep, Step, SyncStep};
use crate::auth::{AuthDoc, AuthRequest};

/// The descriptions of a static chain's auths, in order.
pub trait ChainDocs: Send + Sync + 'static {
    /// The descriptions of its auths, in order.
    fn docs(&self) -> Vec<AuthDoc>;
}

/// The static chain of an `async fn` endpoint.
pub trait AsyncChain: ChainDocs {
    /// Runs its auths in order: `Break` with the outcome of the first that does not skip.
    fn run(
        &self,
        ctx: &EndpointCtx,
        req: &AuthRequest<'_>,
    ) -> impl Future<Output = ControlFlow<ChainOutcome>>;
}

/// The static chain of a plain `fn` endpoint; see [`AsyncChain`].
pub trait SyncChain: ChainDocs {
    /// Runs its auths in order, on the blocking pool.
    fn run_sync(&self, ctx: &EndpointCtx, req: &AuthRequest<'_>) -> ControlFlow<ChainOutcome>;
}

/// Calls `$m!` with every prefix of the list, the empty one included: `$m!()`, `$m!(A0 0,)`,
/// `$m!(A0 0, A1 1,)`, ..
macro_rules! prefixes {
    ($m:ident; [$($done:tt)*];) => {
        $m!($($done)*);
    };
    ($m:ident; [$($done:tt)*]; $next:ident $i:tt $(, $rest:ident $ri:tt)*) => {
        $m!($($done)*);
        prefixes!($m; [$($done)* $next $i,]; $($rest $ri),*);
    };
}

macro_rules! chains {
    ($($link:ident $index:tt,)*) => {
        impl<$($link: Step),*> ChainDocs for ($($link,)*) {
            fn docs(&self) -> Vec<AuthDoc> {
                let docs: [Option<AuthDoc>; 0 $(+ { let _ = $index; 1 })*] = [$(self.$index.doc()),*];
                docs.into_iter().flatten().collect()
            }
        }

        impl<$($link: AsyncStep),*> AsyncChain for ($($link,)*) {
            #[inline]
            #[allow(unused_variables)]
            async fn run(&self, ctx: &EndpointCtx, req: &AuthRequest<'_>) -> ControlFlow<ChainOutcome> {
                $(ctx.step($index, self.$index.check(req).await)?;)*
                ControlFlow::Continue(())
            }
        }

        impl<$($link: SyncStep),*> SyncChain for ($($link,)*) {
            #[inline]
            #[allow(unused_variables)]
            fn run_sync(&self, ctx: &EndpointCtx, req: &AuthRequest<'_>) -> ControlFlow<ChainOutcome> {
                $(ctx.step($index, self.$index.check_sync(req))?;)*
                ControlFlow::Continue(())
            }
        }
    };
}

prefixes!(chains; [];
    A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7,
    A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15);
