//! One `throttle = [..]` entry, as the expansion builds it when the API is built: a throttle,
//! an `Option` of one or a `Result` of one, bound to the endpoint kind.

use std::marker::PhantomData;
use std::sync::Arc;

use super::Throttle;
use super::stage::{LayerThrottle, Listed, OnAsync, OnSync};
use super::store::{AsyncStore, SyncStore, ThrottleStore};

/// A value that can stand in `throttle = [..]`: a [`Throttle`], an `Option` of one (`None`
/// adds nothing: a default that can be turned off), or a `Result` of one whose error is
/// reported when the API is built.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a throttle",
    label = "expected a throttle here",
    note = "every entry of `throttle = [..]` must be a `dmr_runtime::throttle::Throttle` (for example `Throttle::per_minute(10)`), an `Option` of one, or a `Result` of one",
    note = "write `throttle = none` to turn throttling off"
)]
pub trait IntoThrottle {
    /// The store of the throttle.
    type Store: ThrottleStore;
    /// The throttle, none, or why it cannot be built.
    fn into_throttle(
        self,
    ) -> Result<Option<Throttle<Self::Store>>, crate::build_error::AuthConfigError>;
}

#[diagnostic::do_not_recommend]
impl<S: ThrottleStore> IntoThrottle for Throttle<S> {
    type Store = S;
    fn into_throttle(self) -> Result<Option<Self>, crate::build_error::AuthConfigError> {
        Ok(Some(self))
    }
}

#[diagnostic::do_not_recommend]
impl<S: ThrottleStore> IntoThrottle for Option<Throttle<S>> {
    type Store = S;
    fn into_throttle(self) -> Result<Option<Throttle<S>>, crate::build_error::AuthConfigError> {
        Ok(self)
    }
}

#[diagnostic::do_not_recommend]
impl<S: ThrottleStore, E: Into<Box<dyn std::error::Error + Send + Sync>>> IntoThrottle
    for Result<Throttle<S>, E>
{
    type Store = S;
    fn into_throttle(self) -> Result<Option<Throttle<S>>, crate::build_error::AuthConfigError> {
        self.map(Some)
            .map_err(crate::build_error::AuthConfigError::new)
    }
}

/// Evaluates one `throttle = [..]` entry of a plain `fn` endpoint.
#[doc(hidden)]
pub fn for_sync<T: IntoThrottle>(
    value: T,
    site: &str,
) -> Result<Option<Arc<dyn LayerThrottle>>, crate::build_error::ApiError>
where
    T::Store: SyncStore,
{
    Ok(into(value, site)?
        .map(|t| Arc::new(Listed::<_, OnSync>(t, PhantomData)) as Arc<dyn LayerThrottle>))
}

/// Evaluates one `throttle = [..]` entry of an `async fn` endpoint.
#[doc(hidden)]
pub fn for_async<T: IntoThrottle>(
    value: T,
    site: &str,
) -> Result<Option<Arc<dyn LayerThrottle>>, crate::build_error::ApiError>
where
    T::Store: AsyncStore,
{
    Ok(into(value, site)?
        .map(|t| Arc::new(Listed::<_, OnAsync>(t, PhantomData)) as Arc<dyn LayerThrottle>))
}

fn into<T: IntoThrottle>(
    value: T,
    site: &str,
) -> Result<Option<Throttle<T::Store>>, crate::build_error::ApiError> {
    value
        .into_throttle()
        .map_err(|source| crate::build_error::ApiError::Throttle {
            site: site.to_owned(),
            source,
        })
}
