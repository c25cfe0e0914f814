//! The contract between `#[controller]` expansions and the API builder.

use std::sync::Arc;

use super::overrides::{self, OverrideEntry};
use super::path_service::Dispatch;
use super::route::RouteEntry;
use super::state::AppState;
use crate::auth::AuthDoc;
use crate::auth::LayerAuth;
use crate::build_error::ApiError;
use crate::description::IdentityNeed;
use crate::description::{EndpointSpec, declared_response_doc};
use crate::i18n::Messages;
use crate::pipeline::EndpointCtx;
use crate::pipeline::Keep;
use crate::pipeline::Pipeline;
use crate::respond::ErrorResponder;
use crate::throttle::LayerThrottle;
use crate::throttle::list::Throttles;
use crate::throttle::stage::ThrottleSite;

/// A type whose impl block carries `#[controller]`: it knows how to build its endpoints.
///
/// Implemented by the `#[controller]` macro; not meant to be implemented by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a controller",
    label = "no `#[controller]` impl block for this type",
    note = "put `#[controller(path = \"..\")]` on an `impl {Self} {{ .. }}` block whose functions carry `#[endpoint(..)]`"
)]
pub trait Controller: 'static {
    #[doc(hidden)]
    fn __dmr_build(build: &mut ControllerBuild<'_>) -> Result<(), ApiError>;
}

pub(crate) type ControllerFn = fn(&mut ControllerBuild<'_>) -> Result<(), ApiError>;

/// What a controller's expansion registers its endpoints into.
#[doc(hidden)]
pub struct ControllerBuild<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) runtime: &'a [Arc<dyn LayerAuth>],
    pub(crate) routes: &'a mut Vec<RouteEntry>,
    pub(crate) state: &'a AppState,
    /// The test overrides of this controller (none outside tests).
    pub(crate) overrides: &'a [&'a OverrideEntry],
    /// The scope's then the settings' throttles.
    pub(crate) runtime_throttles: &'a [Arc<dyn LayerThrottle>],
}

impl ControllerBuild<'_> {
    /// The application state that `auth = [|x: &T| ..]` declarations read.
    pub fn state(&self) -> &AppState {
        self.state
    }

    /// Registers one endpoint: its description, its throttles (its own and its controller's,
    /// in order), what its arguments read from the chain, and its pipeline (its static chain
    /// and its function, for its kind: `RunAsync` or `RunSync`).
    pub fn serve<P: Pipeline>(
        &mut self,
        spec: EndpointSpec,
        throttles: Vec<Option<Arc<dyn LayerThrottle>>>,
        needs: &[Option<IdentityNeed>],
        pipeline: P,
    ) -> Result<(), ApiError> {
        let (spec, ctx) = self.prepare(spec, throttles, pipeline.docs(), needs)?;
        // the endpoint's type ends here: actix sees one service type for every endpoint
        let serve: Arc<dyn Dispatch> = Arc::new(pipeline.into_serve(Arc::clone(&ctx), spec.status));
        let path = super::route::join(self.prefix, spec.path);
        let entry = RouteEntry::new(spec.method.clone(), path, &spec, ctx, serve);
        self.routes.push(entry);
        Ok(())
    }

    /// The endpoint's shared state, once its whole chain is known, after checking that every
    /// identity the handler reads (`Authed<T>`, `AuthInfo`) can be yielded by some auth in it.
    fn prepare(
        &self,
        mut spec: EndpointSpec,
        throttles: Vec<Option<Arc<dyn LayerThrottle>>>,
        static_docs: Vec<AuthDoc>,
        needs: &[Option<IdentityNeed>],
    ) -> Result<(EndpointSpec, Arc<EndpointCtx>), ApiError> {
        if let Some(code) = spec.status {
            spec.doc.response = declared_response_doc(spec.doc.response, code);
        }
        let throttles = self.throttles(&spec, throttles);
        let keep_record = if IdentityNeed::keep_record(needs) {
            Keep::Record
        } else if IdentityNeed::reads_identity(needs) {
            Keep::Lend
        } else {
            Keep::Drop
        };
        let ctx = self.context(&spec, static_docs, throttles, keep_record);
        match ctx.fixed() {
            Some(fixed) => {
                let site = format!("{}::{}", spec.controller, spec.name);
                overrides::check_needs(fixed, &site, needs)?
            }
            None => super::identity::check(&spec, needs, ctx.docs())?,
        }
        Ok((spec, ctx))
    }

    /// Binds the throttles of one endpoint: its own and its controller's (`declared`, in
    /// order), then the scope's and the settings' unless it or its controller says
    /// `throttle = none`.
    fn throttles(
        &self,
        spec: &EndpointSpec,
        declared: Vec<Option<Arc<dyn LayerThrottle>>>,
    ) -> Throttles {
        let operation = format!("{}::{}", spec.controller, spec.name);
        let site = ThrottleSite {
            operation: &operation,
            method: spec.method.as_str(),
        };
        let runtime = if spec.inherit_throttles {
            self.runtime_throttles
        } else {
            &[]
        };
        let bound = declared
            .iter()
            .flatten()
            .chain(runtime)
            .map(|t| t.bind(&site, spec.sync))
            .collect();
        Throttles::new(bound)
    }

    /// Builds the shared state of one endpoint from the descriptions of its static chain.
    fn context(
        &self,
        spec: &EndpointSpec,
        static_docs: Vec<AuthDoc>,
        throttles: Throttles,
        keep_record: Keep,
    ) -> Arc<EndpointCtx> {
        let static_len = static_docs.len();
        let runtime: Box<[Arc<dyn LayerAuth>]> = if spec.inherit {
            self.runtime.into()
        } else {
            Box::new([])
        };
        let mut docs = static_docs;
        docs.extend(runtime.iter().map(|a| a.doc()));
        let challenges: Vec<String> = docs.iter().filter_map(|d| d.challenge.clone()).collect();
        let errors = ErrorResponder::new(spec.render, &challenges)
            .with_messages(self.state.get::<Messages>("").cloned().unwrap_or_default())
            .with_headers(spec.doc.header_names());
        let fixed = if docs.is_empty() {
            None
        } else {
            overrides::find(self.overrides, spec.name).cloned()
        };
        let produces = crate::negotiate::Produces::of(&spec.doc.response);
        Arc::new(
            EndpointCtx::new(
                docs, runtime, static_len, errors, fixed, throttles, produces,
            )
            .with_record(keep_record),
        )
    }
}
