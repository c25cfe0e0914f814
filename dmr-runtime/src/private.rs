//! Everything the `#[controller]` expansion touches. Not a public API: it changes together
//! with `dmr-macros`, which is pinned to this crate's exact version.

pub use ::std::clone::Clone;
pub use ::std::option::Option::{None, Some};
pub use ::std::result::Result::{self, Err, Ok};
pub use ::std::sync::Arc;

pub use crate::api::Controller;
pub use crate::api::controller::ControllerBuild;
pub use crate::api::{AppState, FromState, StateValue};
pub use crate::build_error::ApiError;
pub use crate::description::EndpointSpec;
pub use crate::description::OperationDoc;
pub use crate::description::probe as openapi_probe;
pub use crate::description::probe::Probe as DocProbe;
pub use crate::error::DefaultErrorModel;
pub use crate::pipeline::{RunAsync, RunSync};
pub use crate::throttle::entry::{for_async as throttle_for_async, for_sync as throttle_for_sync};
pub use ::actix_web::http::Method;
pub use identity_probe::Probe as NeedProbe;
pub use no_cascade::{AuthProbe, BuildProbe, FnProbe};

use std::marker::PhantomData;

use crate::auth::{AsyncAuth, Auth, SyncAuth};
use crate::build_error::AuthConfigError;
use crate::description::IdentityNeed;

pub mod no_cascade;

/// Every probe trait of the expansion, under names no user code has (`__Dmr..`), so that the
/// build function brings them all into scope with one glob import (`use __dmr::probes::*;`)
/// without shadowing any name the user's tokens inside it refer to.
pub mod probes {
    pub use super::identity_probe::{Fallback as __DmrNeedFallback, Specific as __DmrNeedSpecific};
    pub use super::no_cascade::{
        AsyncFnFallback as __DmrAsyncFnFallback, AsyncFnSpecific as __DmrAsyncFnSpecific,
        AsyncLinkFallback as __DmrAsyncLinkFallback, AsyncLinkSpecific as __DmrAsyncLinkSpecific,
        BuildFallback as __DmrBuildFallback, BuildSpecific as __DmrBuildSpecific,
        KindFallback as __DmrKindFallback, KindSpecific as __DmrKindSpecific,
        SyncFnFallback as __DmrSyncFnFallback, SyncFnSpecific as __DmrSyncFnSpecific,
        SyncLinkFallback as __DmrSyncLinkFallback, SyncLinkSpecific as __DmrSyncLinkSpecific,
    };
    pub use crate::description::probe::{
        ArgFallback as __DmrArgFallback, ArgSpecific as __DmrArgSpecific,
        ResponseFallback as __DmrResponseFallback, ResponseSpecific as __DmrResponseSpecific,
    };
}

/// A value that can stand in `auth = [..]`: an auth, or a `Result` of one whose error is
/// reported when the API is built.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an auth",
    label = "expected an auth value here",
    note = "every entry of `auth = [..]` must implement `dmr_runtime::auth::Auth` (for example `HttpBasic::new(check)` or `JwtAuth::hs256(secret)`), or be a `Result` of one",
    note = "write `auth = none` to turn auth off"
)]
pub trait IntoAuth {
    /// The auth type.
    type Auth: Auth;
    /// The auth, or why it cannot be built.
    fn into_auth(self) -> Result<Self::Auth, AuthConfigError>;
}

#[diagnostic::do_not_recommend]
impl<A: Auth> IntoAuth for A {
    type Auth = A;
    #[inline]
    fn into_auth(self) -> Result<A, AuthConfigError> {
        Ok(self)
    }
}

#[diagnostic::do_not_recommend]
impl<A: Auth, E: Into<Box<dyn std::error::Error + Send + Sync>>> IntoAuth for Result<A, E> {
    type Auth = A;
    fn into_auth(self) -> Result<A, AuthConfigError> {
        self.map_err(AuthConfigError::new)
    }
}

/// `Vec::from(items)`, callable without `From` in scope (the expansion may sit under
/// `#![no_implicit_prelude]`).
#[inline]
pub fn vec<T, const N: usize>(items: [T; N]) -> Vec<T> {
    Vec::from(items)
}

/// Asserts, at the user's token, that an `auth = [..]` entry is an auth or a `Result` of one.
#[inline(always)]
pub fn auth_entry_must_be_an_auth<T: IntoAuth>(_: &T) {}

/// Calls an `auth = [|keys: &Keys| ..]` closure with the registered values.
#[inline]
pub fn from_state<Args, F: FromState<Args>>(
    state: &AppState,
    site: &str,
    f: F,
) -> Result<F::Output, ApiError> {
    f.call(state, site)
}

/// Asserts, at the user's type, that a state closure reads a type that can be registered.
#[inline(always)]
pub fn state_type_must_be_shareable<T: StateValue>() {}

/// Evaluates one `auth = [..]` entry, naming the site in the error.
pub fn build_auth<T: IntoAuth>(value: T, site: &str) -> Result<T::Auth, ApiError> {
    value.into_auth().map_err(|source| ApiError::Auth {
        site: site.to_owned(),
        auth: std::any::type_name::<T::Auth>(),
        source,
    })
}

/// An auth a plain `fn` endpoint can run: its own trait (rather than a `SyncAuth` bound) so
/// that the error names the endpoint kind and rustc does not list unrelated backends.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run on a sync endpoint: it does not implement `SyncAuth`",
    label = "not a `SyncAuth`",
    note = "a plain `fn` endpoint runs its whole auth chain on actix's blocking pool, so every auth listed for it must implement `SyncAuth`",
    note = "make the endpoint an `async fn`, or list the sync variant of this auth"
)]
pub trait SyncEndpointAuth {}
#[diagnostic::do_not_recommend]
impl<A: SyncAuth> SyncEndpointAuth for A {}

/// An auth an `async fn` endpoint can run; see [`SyncEndpointAuth`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run on an async endpoint: it does not implement `AsyncAuth`",
    label = "not an `AsyncAuth`",
    note = "an `async fn` endpoint runs its auth chain on the async workers, where a blocking check would stall other requests, so every auth listed for it must implement `AsyncAuth`",
    note = "make the endpoint a plain `fn` (it then runs on the blocking pool), or list the async variant of this auth"
)]
pub trait AsyncEndpointAuth {}
#[diagnostic::do_not_recommend]
impl<A: AsyncAuth> AsyncEndpointAuth for A {}

/// Asserts, at the user's token, that an auth can run on a plain `fn` endpoint.
#[inline(always)]
pub fn auth_must_be_sync_for_a_sync_endpoint<A: SyncEndpointAuth>(_: PhantomData<A>) {}

/// Asserts, at the user's token, that an auth can run on an `async fn` endpoint.
#[inline(always)]
pub fn auth_must_be_async_for_an_async_endpoint<A: AsyncEndpointAuth>(_: PhantomData<A>) {}

/// Runs a closure on actix's blocking pool.
pub async fn blocking<F, R>(f: F) -> Result<R, actix_web::error::BlockingError>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    actix_web::web::block(f).await
}

/// A handler argument: any actix extractor.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a handler argument: it is not an extractor",
    label = "not an extractor",
    note = "every argument of an endpoint must implement `actix_web::FromRequest` (`Json<T>`, `Path<T>`, `Query<T>`, `Authed<T>`, `HttpRequest`, ..)"
)]
pub trait Extractor {}
#[diagnostic::do_not_recommend]
impl<T: actix_web::FromRequest> Extractor for T {}

/// Asserts, at the user's type, that an argument is an extractor.
#[inline(always)]
pub fn handler_argument_must_be_an_extractor<T: Extractor>() {}

/// An argument or output that can cross to the blocking pool.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used by a sync endpoint: it is not `Send`",
    label = "not `Send`",
    note = "a plain `fn` endpoint runs on actix's blocking pool, so its arguments and its result must be `Send` (`HttpRequest` is not: take the extractors you need, or make the endpoint an `async fn`)"
)]
pub trait SendToBlockingPool {}
#[diagnostic::do_not_recommend]
impl<T: Send> SendToBlockingPool for T {}

/// Asserts, at the user's type, that a sync endpoint's argument is `Send`.
#[inline(always)]
pub fn sync_endpoint_argument_must_be_send<T: SendToBlockingPool>() {}

/// Asserts, at the user's type, that a sync endpoint's result is `Send`.
#[inline(always)]
pub fn sync_endpoint_output_must_be_send<T: SendToBlockingPool>() {}

/// A handler result: any actix responder.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by an endpoint: it is not a response",
    label = "not a response",
    note = "an endpoint must return a type that implements `actix_web::Responder` (`String`, `&'static str`, `Json<T>`, `HttpResponse`, `(T, StatusCode)`, ..)"
)]
pub trait Response: actix_web::Responder {}
#[diagnostic::do_not_recommend]
impl<T: actix_web::Responder> Response for T {}

/// Asserts, at the user's type, that the return type is a response.
#[inline(always)]
pub fn handler_must_return_a_response<T: Response>() {}

/// Asserts, at the return type, that an `async fn` endpoint returning `impl Trait` returns a
/// response: the type cannot be named, so the bound is checked on the function.
#[inline(always)]
pub fn async_endpoint_must_return_a_response<Args, F>(_: F)
where
    F: actix_web::Handler<Args>,
    F::Output: Response,
{
}

/// [`async_endpoint_must_return_a_response`] for a plain `fn` endpoint, whose result also
/// crosses from the blocking pool.
#[inline(always)]
pub fn sync_endpoint_must_return_a_send_response<Args, F>(_: F)
where
    F: crate::pipeline::CallSync<Args>,
    F::Output: Response + SendToBlockingPool,
{
}

/// Finds, by type, the handler arguments that read the chain's identity: `Authed<T>` needs an
/// auth that yields `T`, `AuthInfo` needs any auth. Autoref specialization: the expansion calls
/// `(&&Probe::<Arg>::new()).reads()` with both traits in scope, and the `Specific` impls (one
/// reference fewer to strip) win over the `Fallback`. Going by type rather than by name also
/// sees imports under another name and type aliases.
pub mod identity_probe {
    use std::marker::PhantomData;

    use crate::auth::AuthInfo;
    use crate::extract::Authed;

    /// A zero-sized stand-in for the argument type `T`.
    pub struct Probe<T: ?Sized>(PhantomData<T>);

    impl<T: ?Sized> Probe<T> {
        /// A probe for `T`.
        #[allow(clippy::new_without_default)]
        pub const fn new() -> Self {
            Self(PhantomData)
        }
    }

    /// The argument is an `Authed<T>`.
    pub struct Typed<T>(PhantomData<T>);
    /// The argument is `AuthInfo`.
    pub struct AnyAuth;
    /// The argument is an `Option<Authed<T>>`.
    pub struct Optional;
    /// The argument reads no identity and not the record (actix's data extractors).
    pub struct Nothing;
    /// Any other argument: it may read the record (`HttpRequest`, the user's extractors).
    pub struct MayRead;

    /// The argument types that read an identity.
    pub trait Specific {
        /// What the argument reads.
        type Reads;
        /// What the argument reads.
        fn reads(&self) -> Self::Reads;
    }

    impl<T> Specific for &Probe<Authed<T>> {
        type Reads = Typed<T>;
        fn reads(&self) -> Typed<T> {
            Typed(PhantomData)
        }
    }

    impl Specific for &Probe<AuthInfo> {
        type Reads = AnyAuth;
        fn reads(&self) -> AnyAuth {
            AnyAuth
        }
    }

    impl<T> Specific for &Probe<Option<Authed<T>>> {
        type Reads = Optional;
        fn reads(&self) -> Optional {
            Optional
        }
    }

    /// actix's extractors of the request's data, which never read the record.
    macro_rules! reads_nothing {
        ($($ty:ty $(, $t:ident)?;)*) => {$(
            impl<$($t)?> Specific for &Probe<$ty> {
                type Reads = Nothing;
                fn reads(&self) -> Nothing {
                    Nothing
                }
            }
        )*};
    }

    use actix_web::web;
    reads_nothing! {
        web::Path<T>, T; web::Query<T>, T; web::Json<T>, T; web::Form<T>, T; web::Data<T>, T;
        web::Bytes; String; web::Payload;
    }

    /// Every other argument type.
    pub trait Fallback {
        /// May read the record.
        fn reads(&self) -> MayRead {
            MayRead
        }
    }

    impl<T: ?Sized> Fallback for Probe<T> {}
}

/// A type an auth can yield: every `Auth::Identity` is one, and `Authed<T>` can only ever
/// find a `T` that is one.
#[diagnostic::on_unimplemented(
    message = "no auth can yield `{Self}`: auth identities are `Clone + Send + Sync + 'static`",
    label = "no auth yields this type, so this argument could never be extracted",
    note = "`Authed<T>` reads the identity of the auth that let the request in, by its exact type (`Auth::Identity`)",
    note = "take the identity type your auth yields, for example `Authed<JwtToken>` or `Authed<BasicUser>`"
)]
pub trait AuthIdentity: Clone + Send + Sync + 'static {}
#[diagnostic::do_not_recommend]
impl<T: Clone + Send + Sync + 'static> AuthIdentity for T {}

/// What a probed argument needs from the chain.
pub trait ReadsIdentity {
    /// `None` when it reads nothing.
    fn need(self) -> Option<IdentityNeed>;
}

impl<T: AuthIdentity> ReadsIdentity for identity_probe::Typed<T> {
    fn need(self) -> Option<IdentityNeed> {
        Some(IdentityNeed::Typed {
            identity: crate::auth::IdentityType::of::<T>(),
            argument: std::any::type_name::<crate::extract::Authed<T>>(),
        })
    }
}

impl ReadsIdentity for identity_probe::AnyAuth {
    fn need(self) -> Option<IdentityNeed> {
        Some(IdentityNeed::AnyAuth)
    }
}

impl ReadsIdentity for identity_probe::Optional {
    fn need(self) -> Option<IdentityNeed> {
        Some(IdentityNeed::Optional)
    }
}

impl ReadsIdentity for identity_probe::MayRead {
    fn need(self) -> Option<IdentityNeed> {
        Some(IdentityNeed::Record)
    }
}

impl ReadsIdentity for identity_probe::Nothing {
    fn need(self) -> Option<IdentityNeed> {
        None
    }
}

/// Asserts, at the user's type, that an `Authed<T>` argument asks for a type an auth can
/// yield, and returns what it needs from the chain (checked when the API is built).
#[inline]
pub fn authed_type_must_be_an_auth_identity<R: ReadsIdentity>(reads: R) -> Option<IdentityNeed> {
    reads.need()
}
