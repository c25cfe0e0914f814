//! One actix service per path, over endpoints whose types are erased: the method picks the
//! endpoint (`HEAD` takes the `GET` one unless declared), `OPTIONS` answers 204 with `Allow`,
//! and any other method gets the 405 that lists the allowed ones.
//!
//! Only [`Dispatch`]'s blanket impl is generic over the endpoint: the service, its factory and
//! the `dmr.request` span around the endpoint's future exist once for every endpoint of the
//! program, so a program's build time grows with its handlers and not with a copy of actix's
//! route stack per endpoint. The request costs what an actix `Resource` with `Route`s costs
//! (the app boxes this service's future, which holds the endpoint's boxed future), without the
//! per-route guard checks.

use std::future::{Ready, ready};
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::Error;
use actix_web::dev::{
    AppService, HttpServiceFactory, ResourceDef, Service, ServiceFactory, ServiceRequest,
    ServiceResponse,
};
use actix_web::http::Method;
use actix_web::http::header::HeaderValue;
use futures_util::future::{Either, LocalBoxFuture};
use tracing::Instrument;
use tracing::instrument::Instrumented;

use super::methods;
use crate::pipeline::Serve;
use crate::pipeline::meter as request;

/// An endpoint as its path's service calls it, whatever its chain and function.
pub(crate) trait Dispatch: Send + Sync + 'static {
    /// The response to `req`, as a boxed future that owns the request.
    fn dispatch(self: Arc<Self>, req: ServiceRequest) -> LocalBoxFuture<'static, Answer>;
}

/// What the service answers: actix's service result.
type Answer = Result<ServiceResponse, Error>;

impl<S: Serve> Dispatch for S {
    fn dispatch(self: Arc<Self>, sreq: ServiceRequest) -> LocalBoxFuture<'static, Answer> {
        Box::pin(async move {
            let (req, payload) = sreq.into_parts();
            let resp = self.serve(&req, payload).await;
            Ok(ServiceResponse::new(req, resp))
        })
    }
}

/// The endpoints of one path, by method, ready to register.
pub(crate) struct PathRoutes {
    path: String,
    table: Arc<Table>,
}

/// The method table of one path, shared by the service of every worker.
struct Table {
    /// The routed methods, `HEAD` included when it takes the `GET` endpoint.
    routes: Box<[(Method, Arc<dyn Dispatch>)]>,
    /// The `Allow` header: `HEAD` right after `GET`, `OPTIONS` last.
    allow: HeaderValue,
}

impl PathRoutes {
    /// The service of `path` routing `routes` (method and endpoint, in declaration order; a
    /// `GET` without a declared `HEAD` answers `HEAD` too), with `allow` as its `Allow` header.
    pub(crate) fn new(
        path: String,
        routes: Vec<(Method, Arc<dyn Dispatch>)>,
        allow: HeaderValue,
    ) -> Self {
        let table = Table {
            routes: routes.into_boxed_slice(),
            allow,
        };
        Self {
            path,
            table: Arc::new(table),
        }
    }
}

impl HttpServiceFactory for PathRoutes {
    fn register(self, config: &mut AppService) {
        // what `actix_web::Resource` does: a leading `/` unless mounted with an empty path
        // inside a scope
        let rdef = if config.is_root() || !self.path.is_empty() {
            ResourceDef::new(with_leading_slash(self.path))
        } else {
            ResourceDef::new(self.path)
        };
        config.register_service(rdef, None, PathFactory(self.table), None);
    }
}

fn with_leading_slash(path: String) -> String {
    if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    }
}

/// Makes the path's service for each worker.
struct PathFactory(Arc<Table>);

impl ServiceFactory<ServiceRequest> for PathFactory {
    type Response = ServiceResponse;
    type Error = Error;
    type Config = ();
    type Service = PathService;
    type InitError = ();
    type Future = Ready<Result<PathService, ()>>;

    fn new_service(&self, _: ()) -> Self::Future {
        ready(Ok(PathService(Arc::clone(&self.0))))
    }
}

/// The path's service on one worker.
pub(crate) struct PathService(Arc<Table>);

impl Service<ServiceRequest> for PathService {
    type Response = ServiceResponse;
    type Error = Error;
    type Future = Either<Instrumented<LocalBoxFuture<'static, Answer>>, Ready<Answer>>;

    fn poll_ready(&self, _: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let table = &*self.0;
        let found = table.routes.iter().find(|(m, _)| m == req.method());
        if let Some((_, endpoint)) = found {
            let span = request::span(req.request());
            return Either::Left(Arc::clone(endpoint).dispatch(req).instrument(span));
        }
        let resp = if req.method() == Method::OPTIONS {
            methods::options(table.allow.clone())
        } else {
            methods::method_not_allowed(req.method(), table.allow.clone())
        };
        Either::Right(ready(Ok(req.into_response(resp))))
    }
}
