//! What a static chain found: the identity of the auth that let the request in, typed, with
//! its position (the variant). The pipeline either stores it as the request's record or lends
//! it to the handler's `Authed<T>` (no allocation).

use super::context::EndpointCtx;
use crate::auth::AuthInfo;

/// The typed identity found by one of a static chain's auths.
pub trait Found {
    /// The identity as the request's record.
    fn record(self, ctx: &EndpointCtx) -> AuthInfo;
    /// Lends the identity to the handler's arguments (inside `extract::lend::scope`).
    fn lend(self);
    /// The position of the auth that found it.
    fn position(&self) -> usize;
    /// The handler's arguments `A` if they are exactly `(Authed<T>,)` of the identity's `T`
    /// (decided when compiled); otherwise the identity back.
    fn into_args<A: 'static>(self) -> Result<A, Option<Self>>
    where
        Self: Sized;
}

/// Declares the `Found` type of a chain of one arity: one variant per position.
macro_rules! found {
    ($name:ident; $($link:ident $index:tt $variant:ident,)*) => {
        /// The identity found by the auth at a position of a static chain.
        pub enum $name<$($link),*> {
            $(
                #[allow(missing_docs)]
                $variant($link),
            )*
        }

        impl<$($link: Send + Sync + 'static),*> $crate::pipeline::found::Found for $name<$($link),*> {
            #[inline]
            fn record(self, _ctx: &$crate::pipeline::EndpointCtx) -> $crate::auth::AuthInfo {
                match self {
                    $(Self::$variant(identity) => _ctx.record($index, ::std::sync::Arc::new(identity)),)*
                }
            }
            #[inline]
            fn into_args<Args: 'static>(self) -> Result<Args, Option<Self>> {
                match self {
                    $(Self::$variant(identity) => {
                        let mut args = Some(($crate::Authed::new(identity),));
                        let any: &mut dyn ::std::any::Any = &mut args;
                        if let Some(args) = any.downcast_mut::<Option<Args>>().and_then(Option::take) {
                            return Ok(args);
                        }
                        Err(args.and_then(|(authed,)| authed.into_owned()).map(Self::$variant))
                    })*
                }
            }
            #[inline]
            fn position(&self) -> usize {
                match *self {
                    $(Self::$variant(_) => $index,)*
                }
            }
            #[inline]
            fn lend(self) {
                match self {
                    $(Self::$variant(identity) => $crate::extract::lend::put(identity),)*
                }
            }
        }
    };
}
pub(crate) use found;
