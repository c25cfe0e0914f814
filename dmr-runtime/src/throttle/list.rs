//! The throttles of one endpoint, split by stage, and how a stage runs them: at once while
//! every store answers without awaiting (the in-memory store), awaiting from the first that
//! cannot.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse};

use super::Stage;
use super::stage::{Mode, StageThrottle, check_value, verdict};
use crate::respond::ErrorResponder;

/// The throttles of one endpoint, split by stage.
#[doc(hidden)]
#[derive(Default)]
pub struct Throttles {
    before: Box<[Arc<dyn StageThrottle>]>,
    after: Box<[Arc<dyn StageThrottle>]>,
}

/// What checking a stage's throttles without awaiting gave.
#[derive(Debug)]
pub(crate) enum Now {
    /// Every throttle let the request through.
    Passed,
    /// One refused: the response to send.
    Refused(HttpResponse),
    /// The throttle at this index must be awaited (the ones before it have counted the
    /// request): go on with [`Throttles::run`] from there.
    Await(usize),
}

impl Throttles {
    pub(crate) fn new(list: Vec<Arc<dyn StageThrottle>>) -> Self {
        let (before, after): (Vec<_>, Vec<_>) = list
            .into_iter()
            .partition(|t| t.policy().key.stage() == Stage::BeforeAuth);
        Self {
            before: before.into(),
            after: after.into(),
        }
    }

    /// Every throttle, in chain order within each stage.
    pub(crate) fn docs(&self) -> Vec<super::ThrottleDoc> {
        self.before
            .iter()
            .chain(self.after.iter())
            .map(|t| t.policy().doc.clone())
            .collect()
    }

    /// Whether `stage` has any throttle.
    #[inline]
    pub(crate) fn any(&self, stage: Stage) -> bool {
        !self.list(stage).is_empty()
    }

    fn list(&self, stage: Stage) -> &[Arc<dyn StageThrottle>] {
        match stage {
            Stage::BeforeAuth => &self.before,
            Stage::AfterAuth => &self.after,
        }
    }

    /// Runs the throttles of `stage` from the one at `from` on; the response to send if one
    /// refuses.
    #[inline]
    pub(crate) async fn run(
        &self,
        stage: Stage,
        from: usize,
        req: &HttpRequest,
        errors: &ErrorResponder,
    ) -> Option<HttpResponse> {
        for t in self.list(stage).get(from..).unwrap_or_default() {
            let Some(key) = t.policy().key.value(req) else {
                continue;
            };
            if let Err(refusal) = check_value(t, &key).await {
                return Some(refusal.render(errors, req));
            }
        }
        None
    }

    /// Runs the throttles of `stage` while their stores answer without awaiting (no future,
    /// no box): the in-memory store always does, a store on another server never.
    pub(crate) fn run_now(&self, stage: Stage, req: &HttpRequest, errors: &ErrorResponder) -> Now {
        for (i, t) in self.list(stage).iter().enumerate() {
            if t.mode() == Mode::Blocking {
                return Now::Await(i);
            }
            let policy = t.policy();
            let checked = policy
                .key
                .with_value(req, |key| t.hit_now(key).map(|r| verdict(policy, r, key)));
            match checked {
                // no key for this request: the throttle is skipped
                None | Some(Some(Ok(()))) => {}
                Some(Some(Err(refusal))) => return Now::Refused(refusal.render(errors, req)),
                Some(None) => return Now::Await(i),
            }
        }
        Now::Passed
    }
}
