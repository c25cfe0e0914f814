//! The two runtime layers: [`Settings`] (the whole API) and [`Scope`] (a group of controllers
//! mounted together under a path prefix).

use std::sync::Arc;

use super::controller::{Controller, ControllerFn};
use super::error::ApiError;
use crate::auth::LayerAuth;

/// API-wide configuration; its auth is the last layer of every chain.
///
/// Settings auth cannot be turned off (there is no `none` here): an endpoint, controller or
/// scope that says `auth = none` opts out of it.
///
/// ```
/// use dmr_runtime::Settings;
/// use dmr_runtime::backends::basic::HttpBasic;
///
/// let settings = Settings::new().auth(HttpBasic::new(|user, pass| user == "ops" && pass == "s3cret"));
/// # let _ = settings;
/// ```
#[derive(Clone, Default)]
pub struct Settings {
    pub(crate) auth: Vec<Arc<dyn LayerAuth>>,
}

impl Settings {
    /// Settings with no auth.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an auth to the settings chain (declaration order is chain order).
    pub fn auth(mut self, auth: impl LayerAuth) -> Self {
        self.auth.push(Arc::new(auth));
        self
    }
}

/// Controllers mounted together under a path prefix, with an auth layer of their own that
/// runs after the controllers' chains and before the settings chain.
///
/// ```
/// use dmr_runtime::{Api, Scope};
/// use dmr_runtime::backends::basic::HttpBasic;
///
/// let api = Api::new().scope("/admin", |s: Scope| {
///     s.auth(HttpBasic::new(|user, pass| user == "root" && pass == "toor"))
/// });
/// # let _ = api;
/// ```
#[derive(Clone)]
pub struct Scope {
    pub(crate) prefix: String,
    pub(crate) auth: Vec<Arc<dyn LayerAuth>>,
    /// `no_auth()` was called: the scope says `auth = none`.
    pub(crate) disabled: bool,
    pub(crate) controllers: Vec<ControllerFn>,
}

impl Scope {
    pub(crate) fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_owned(),
            auth: Vec::new(),
            disabled: false,
            controllers: Vec::new(),
        }
    }

    /// Appends an auth to the scope chain. A scope cannot both list auth and say
    /// [`Scope::no_auth`]: [`ApiBuilder::build`](crate::ApiBuilder::build) refuses it.
    pub fn auth(mut self, auth: impl LayerAuth) -> Self {
        self.auth.push(Arc::new(auth));
        self
    }

    /// `auth = none` for the scope: its endpoints run no scope or settings auth (controller
    /// and endpoint auth still apply).
    pub fn no_auth(mut self) -> Self {
        self.disabled = true;
        self
    }

    /// The runtime layers of this scope's endpoints: its own chain then the settings chain,
    /// or nothing under `no_auth()`.
    pub(crate) fn runtime_chain(
        &self,
        settings: &[Arc<dyn LayerAuth>],
    ) -> Result<Vec<Arc<dyn LayerAuth>>, ApiError> {
        match (self.disabled, self.auth.is_empty()) {
            (true, false) => Err(ApiError::ScopeAuthConflict {
                prefix: self.prefix.clone(),
            }),
            (true, true) => Ok(Vec::new()),
            (false, _) => Ok(self.auth.iter().chain(settings).cloned().collect()),
        }
    }

    /// Mounts a controller in this scope.
    pub fn controller<C: Controller>(mut self) -> Self {
        self.controllers.push(C::__dmr_build);
        self
    }
}
