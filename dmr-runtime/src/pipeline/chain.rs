//! An endpoint's static chain as one type: a tuple of links, run in order, the way axum
//! implements `Handler` for tuples of extractors. The expansion writes the tuple; the runtime
//! layers (scope, settings) follow it inside [`EndpointCtx`].

use std::future::Future;
use std::ops::ControlFlow;

use super::context::{ChainOutcome, EndpointCtx};
use super::found::{Found, found};
use super::link::{AsyncStep, Step, SyncStep};
use crate::auth::{AuthDoc, AuthError, AuthRequest};

/// The descriptions of a static chain's auths, in order.
pub trait ChainDocs: Send + Sync + 'static {
    /// The descriptions of its auths, in order.
    fn docs(&self) -> Vec<AuthDoc>;
}

/// The static chain of an `async fn` endpoint.
pub trait AsyncChain: ChainDocs {
    /// The typed identity of the auth that let a request in, with its position.
    type Found: Found;
    /// How many auths it has.
    const LEN: usize;
    /// Runs its auths in order while each answers without awaiting: `Break` with the outcome
    /// of the first that does not skip, `Continue(i)` if the auths before `i` skipped and the
    /// one at `i` must be awaited (`i == LEN`: every auth skipped).
    fn run_now(&self, req: &AuthRequest<'_>) -> ControlFlow<Result<Self::Found, AuthError>, usize>;
    /// Runs its auths from position `from` on, in order, awaiting each: `Break` with the
    /// outcome of the first that does not skip.
    fn run_from(
        &self,
        from: usize,
        req: &AuthRequest<'_>,
    ) -> impl Future<Output = ControlFlow<Result<Self::Found, AuthError>>>;
}

/// The static chain of a plain `fn` endpoint; see [`AsyncChain`].
pub trait SyncChain: ChainDocs {
    /// Runs its auths in order, on the blocking pool.
    fn run_sync(&self, ctx: &EndpointCtx, req: &AuthRequest<'_>) -> ControlFlow<ChainOutcome>;
}

/// Calls `$m!` with every prefix of the list and the name of its `Found` type, the empty
/// prefix included: `$m!(Found0;)`, `$m!(Found1; A0 0 V0,)`, `$m!(Found2; A0 0 V0, A1 1 V1,)`, ..
macro_rules! prefixes {
    ($m:ident; $name:ident; [$($done:tt)*];) => {
        $m!($name; $($done)*);
    };
    ($m:ident; $name:ident; [$($done:tt)*]; $next:ident $i:tt $v:ident $n:ident $(, $rest:ident $ri:tt $rv:ident $rn:ident)*) => {
        $m!($name; $($done)*);
        prefixes!($m; $n; [$($done)* $next $i $v,]; $($rest $ri $rv $rn),*);
    };
}

macro_rules! chains {
    ($found:ident; $($link:ident $index:tt $variant:ident,)*) => {
        found!($found; $($link $index $variant,)*);

        impl<$($link: Step),*> ChainDocs for ($($link,)*) {
            fn docs(&self) -> Vec<AuthDoc> {
                let docs: [Option<AuthDoc>; 0 $(+ { let _ = $index; 1 })*] = [$(self.$index.doc()),*];
                docs.into_iter().flatten().collect()
            }
        }

        impl<$($link: AsyncStep),*> AsyncChain for ($($link,)*) {
            type Found = $found<$($link::Identity),*>;
            const LEN: usize = 0 $(+ { let _ = $index; 1 })*;
            #[inline]
            #[allow(unused_variables)]
            fn run_now(&self, req: &AuthRequest<'_>) -> ControlFlow<Result<Self::Found, AuthError>, usize> {
                $(match self.$index.check_now(req) {
                    // a skip, decided where the call is inlined
                    Some(Ok(None)) => {}
                    Some(Ok(Some(identity))) => return ControlFlow::Break(Ok($found::$variant(identity))),
                    Some(Err(e)) => return ControlFlow::Break(Err(e)),
                    None => return ControlFlow::Continue($index),
                })*
                ControlFlow::Continue(Self::LEN)
            }
            #[allow(unused_variables)]
            async fn run_from(&self, from: usize, req: &AuthRequest<'_>) -> ControlFlow<Result<Self::Found, AuthError>> {
                $(if $index >= from {
                    match self.$index.check(req).await {
                        Ok(None) => {}
                        Ok(Some(identity)) => return ControlFlow::Break(Ok($found::$variant(identity))),
                        Err(e) => return ControlFlow::Break(Err(e)),
                    }
                })*
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

prefixes!(chains; Found0; [];
    A0 0 V0 Found1, A1 1 V1 Found2, A2 2 V2 Found3, A3 3 V3 Found4, A4 4 V4 Found5,
    A5 5 V5 Found6, A6 6 V6 Found7, A7 7 V7 Found8, A8 8 V8 Found9, A9 9 V9 Found10,
    A10 10 V10 Found11, A11 11 V11 Found12, A12 12 V12 Found13, A13 13 V13 Found14,
    A14 14 V14 Found15, A15 15 V15 Found16);
