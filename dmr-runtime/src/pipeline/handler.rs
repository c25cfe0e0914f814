//! The user's endpoint function, as the pipeline calls it: its arguments extracted together
//! (a tuple of actix extractors) after the chain let the request in, its result a responder.
//! [`AsyncFn`] wraps an `async fn`, [`SyncFn`] a plain `fn` (called on the blocking pool).
//! The expansion picks the wrapper through a probe; a function whose arguments or result do
//! not fit (already reported at the user's type) becomes [`Unfit`](super::link::Unfit).

use std::future::Future;
use std::marker::PhantomData;

use actix_web::{FromRequest, HttpResponse, Responder};

use super::link::Unfit;

/// An `async fn` endpoint.
pub trait AsyncEndpointFn: Send + Sync + 'static {
    /// Its arguments, extracted together.
    type Args: FromRequest + 'static;
    /// What it returns.
    type Output: Responder;
    /// Calls it.
    fn call(&self, args: Self::Args) -> impl Future<Output = Self::Output>;
}

/// A plain `fn` endpoint: its arguments and result cross to the blocking pool.
pub trait SyncEndpointFn: Send + Sync + 'static {
    /// Its arguments, extracted together on the async workers.
    type Args: FromRequest + Send + 'static;
    /// What it returns.
    type Output: Responder + Send + 'static;
    /// Calls it (on the blocking pool).
    fn call(&self, args: Self::Args) -> Self::Output;
}

/// An `async fn` taking the extractors `Args`.
pub struct AsyncFn<F, Args>(pub(crate) F, pub(crate) PhantomData<fn(Args)>);

/// A plain `fn` taking the extractors `Args`.
pub struct SyncFn<F, Args>(pub(crate) F, pub(crate) PhantomData<fn(Args)>);

impl<F, Args> AsyncEndpointFn for AsyncFn<F, Args>
where
    F: actix_web::Handler<Args> + Send + Sync,
    F::Output: Responder,
    Args: FromRequest + 'static,
{
    type Args = Args;
    type Output = F::Output;
    #[inline]
    fn call(&self, args: Args) -> impl Future<Output = F::Output> {
        self.0.call(args)
    }
}

/// A plain function of the arguments `Args` (a tuple), called with them spread.
pub trait CallSync<Args>: Clone + Send + Sync + 'static {
    /// What it returns.
    type Output;
    /// Calls it.
    fn call_sync(&self, args: Args) -> Self::Output;
}

/// Calls `$m!` with every prefix of the list, the empty one included.
macro_rules! prefixes {
    ($m:ident; [$($done:ident)*];) => {
        $m!($($done),*);
    };
    ($m:ident; [$($done:ident)*]; $next:ident $($rest:ident)*) => {
        $m!($($done),*);
        prefixes!($m; [$($done)* $next]; $($rest)*);
    };
}

macro_rules! call_sync {
    ($($arg:ident),*) => {
        impl<F, R, $($arg,)*> CallSync<($($arg,)*)> for F
        where
            F: Fn($($arg),*) -> R + Clone + Send + Sync + 'static,
        {
            type Output = R;
            #[inline]
            #[allow(non_snake_case)]
            fn call_sync(&self, ($($arg,)*): ($($arg,)*)) -> R {
                (self)($($arg),*)
            }
        }
    };
}

prefixes!(call_sync; []; A0 A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15);

impl<F, Args> SyncEndpointFn for SyncFn<F, Args>
where
    F: CallSync<Args>,
    F::Output: Responder + Send + 'static,
    Args: FromRequest + Send + 'static,
{
    type Args = Args;
    type Output = F::Output;
    #[inline]
    fn call(&self, args: Args) -> F::Output {
        self.0.call_sync(args)
    }
}

impl AsyncEndpointFn for Unfit {
    type Args = ();
    type Output = HttpResponse;
    fn call(&self, _: ()) -> impl Future<Output = HttpResponse> {
        std::future::ready(HttpResponse::InternalServerError().finish())
    }
}

impl SyncEndpointFn for Unfit {
    type Args = ();
    type Output = (&'static str, actix_web::http::StatusCode);
    fn call(&self, _: ()) -> (&'static str, actix_web::http::StatusCode) {
        ("", actix_web::http::StatusCode::INTERNAL_SERVER_ERROR)
    }
}
