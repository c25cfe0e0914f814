//! Test overrides of a controller's auth: the chain of one controller (or one of its
//! endpoints) switched off, or replaced by a fixed identity, without editing the controller.
//! The builder methods that add them exist only with the `testing` feature.

use std::any::TypeId;

use super::route::RouteEntry;
use crate::build_error::ApiError;
use crate::description::IdentityNeed;
use crate::pipeline::Fixed;

/// One override registered on the builder.
#[derive(Clone)]
pub(crate) struct OverrideEntry {
    pub(crate) controller: TypeId,
    pub(crate) controller_name: &'static str,
    /// `None`: every endpoint of the controller that has auth.
    pub(crate) endpoint: Option<String>,
    pub(crate) fixed: Fixed,
}

impl OverrideEntry {
    fn site(&self) -> String {
        let controller = short(self.controller_name);
        match &self.endpoint {
            Some(e) => format!("{controller}::{e}"),
            None => controller.to_owned(),
        }
    }

    fn error(&self, reason: String) -> ApiError {
        ApiError::Override {
            site: self.site(),
            reason,
        }
    }
}

/// The override that applies to endpoint `name` of a controller, if any: one naming the
/// endpoint wins over one for the whole controller.
pub(crate) fn find<'a>(overrides: &'a [&'a OverrideEntry], name: &str) -> Option<&'a Fixed> {
    let named = overrides
        .iter()
        .find(|o| o.endpoint.as_deref() == Some(name));
    named
        .or_else(|| overrides.iter().find(|o| o.endpoint.is_none()))
        .map(|o| &o.fixed)
}

/// Checks, once a controller's routes are built, that each of its overrides met an endpoint
/// with auth.
pub(crate) fn check_applied(
    overrides: &[&OverrideEntry],
    routes: &[RouteEntry],
) -> Result<(), ApiError> {
    for o in overrides {
        let guarded = |r: &&RouteEntry| !r.ctx.docs().is_empty();
        match &o.endpoint {
            Some(name) => {
                let Some(route) = routes.iter().find(|r| r.name == name.as_str()) else {
                    let mut names: Vec<&str> = routes.iter().map(|r| r.name).collect();
                    names.dedup();
                    let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                    return Err(o.error(format!(
                        "the controller has no endpoint `{name}`; its endpoints are {}",
                        list.join(", ")
                    )));
                };
                if !guarded(&route) {
                    return Err(o.error(
                        "the endpoint has no auth to override (`auth = none`, or no layer lists \
                         any); remove the override"
                            .to_owned(),
                    ));
                }
            }
            None if !routes.iter().any(|r| guarded(&r)) => {
                return Err(o.error(
                    "none of its endpoints has auth to override; remove the override".to_owned(),
                ));
            }
            None => {}
        }
    }
    Ok(())
}

/// Checks that the handler arguments of an overridden endpoint find what they read.
pub(crate) fn check_needs(
    fixed: &Fixed,
    site: &str,
    needs: &[Option<IdentityNeed>],
) -> Result<(), ApiError> {
    for need in needs.iter().flatten() {
        if !fixed.meets(need) {
            let reason = match fixed {
                Fixed::Off => "the endpoint reads the identity (`Authed<..>` or `AuthInfo`), \
                               which `AuthOverride::off()` leaves empty; use \
                               `AuthOverride::identity(..)` with the identity it reads"
                    .to_owned(),
                Fixed::Identity { .. } => "the endpoint reads an identity of another type \
                                           than the override's; give `AuthOverride::identity` a \
                                           value of the type its `Authed<T>` reads"
                    .to_owned(),
            };
            return Err(ApiError::Override {
                site: site.to_owned(),
                reason,
            });
        }
    }
    Ok(())
}

/// Reports overrides whose controller is mounted nowhere.
pub(crate) fn check_mounted(
    overrides: &[OverrideEntry],
    mounted: &[TypeId],
) -> Result<(), ApiError> {
    match overrides.iter().find(|o| !mounted.contains(&o.controller)) {
        Some(o) => Err(o.error(
            "the controller is not mounted in this API; mount it with `.controller::<..>()` first"
                .to_owned(),
        )),
        None => Ok(()),
    }
}

/// `my_app::api::Articles` -> `Articles`.
fn short(type_name: &str) -> &str {
    type_name.rsplit("::").next().unwrap_or(type_name)
}
