//! The pipeline on its own: chains as tuples of links over hand-written auths, functions
//! wrapped as the expansion wraps them, requests from `TestRequest`; no controller, no macro,
//! no server.

use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::test::TestRequest;
use actix_web::web::Json;
use actix_web::{HttpResponse, body};

use super::chain::ChainDocs;
use super::handler::AsyncEndpointFn;
use super::serve::{Blocking, Endpoint};
use super::{AsyncFn, AsyncLink, EndpointCtx, Serve, SyncFn, SyncLink};
use crate::Authed;
use crate::auth::{Auth, AuthDoc, AuthError, AuthRequest, AuthResult, InlineAuth, SchemeDoc};
use crate::description::ResponseDoc;
use crate::error::{DefaultErrorModel, ErrorModel};
use crate::negotiate::Produces;
use crate::respond::ErrorResponder;
use crate::throttle::list::Throttles;

/// An auth that answers `X-Who: <name>` with `name`, skips without the header, refuses
/// `X-Who: nobody`, and counts its calls.
struct Who {
    scheme: &'static str,
    calls: Arc<AtomicUsize>,
}

impl Who {
    fn new(scheme: &'static str) -> (Self, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let who = Self {
            scheme,
            calls: Arc::clone(&calls),
        };
        (who, calls)
    }
}

impl Auth for Who {
    type Identity = String;
    fn scheme_name(&self) -> &str {
        self.scheme
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        Vec::new()
    }
}

impl InlineAuth for Who {
    fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<String> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        match req.header_str(&format!("x-{}", self.scheme)) {
            None => Ok(None),
            Some("nobody") => Err(AuthError::not_authenticated()),
            Some(name) => Ok(Some(name.to_owned())),
        }
    }
}

fn context(docs: Vec<AuthDoc>) -> Arc<EndpointCtx> {
    let len = docs.len();
    let errors = ErrorResponder::new(DefaultErrorModel::render_bytes, &[]);
    let produces = Produces::of(&ResponseDoc::json::<String>());
    Arc::new(EndpointCtx::new(
        docs,
        Box::new([]),
        len,
        errors,
        None,
        Throttles::new(Vec::new()),
        produces,
    ))
}

async fn hello(user: Authed<String>) -> Json<String> {
    Json(format!("hello {}", *user))
}

fn hello_sync(user: Authed<String>) -> Json<String> {
    Json(format!("hello {}", *user))
}

async fn text(resp: HttpResponse) -> (u16, String) {
    let status = resp.status().as_u16();
    let bytes = body::to_bytes(resp.into_body()).await.unwrap_or_default();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

type Chain = (AsyncLink<Who>, AsyncLink<Who>);

fn async_endpoint() -> (
    Arc<Endpoint<Chain, impl AsyncEndpointFn>>,
    [Arc<AtomicUsize>; 2],
) {
    let (a, a_calls) = Who::new("a");
    let (b, b_calls) = Who::new("b");
    let chain = (AsyncLink(Arc::new(a)), AsyncLink(Arc::new(b)));
    let handler = AsyncFn::<_, (Authed<String>,)>(hello, PhantomData);
    let endpoint = Endpoint {
        ctx: context(chain.docs()),
        chain,
        handler,
        status: None,
    };
    (Arc::new(endpoint), [a_calls, b_calls])
}

#[actix_rt::test]
async fn the_first_auth_that_does_not_skip_decides() {
    let (endpoint, [a, b]) = async_endpoint();
    let (req, payload) = TestRequest::get()
        .insert_header(("x-b", "ada"))
        .to_http_parts();
    let (status, body) = text(endpoint.serve(&req, payload).await).await;
    assert_eq!((status, body.as_str()), (200, r#""hello ada""#));
    assert_eq!((a.load(Ordering::SeqCst), b.load(Ordering::SeqCst)), (1, 1));
}

#[actix_rt::test]
async fn a_refusal_stops_the_chain_and_an_all_skip_chain_is_401() {
    let (endpoint, [a, b]) = async_endpoint();
    let (req, payload) = TestRequest::get()
        .insert_header(("x-a", "nobody"))
        .insert_header(("x-b", "ada"))
        .to_http_parts();
    let (status, body) = text(endpoint.serve(&req, payload).await).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        r#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#
    );
    // the second auth never ran
    assert_eq!((a.load(Ordering::SeqCst), b.load(Ordering::SeqCst)), (1, 0));

    let (req, payload) = TestRequest::get().to_http_parts();
    let (status, _) = text(endpoint.serve(&req, payload).await).await;
    assert_eq!(status, 401);
    assert_eq!((a.load(Ordering::SeqCst), b.load(Ordering::SeqCst)), (2, 1));
}

#[actix_rt::test]
async fn negotiation_comes_before_the_chain() {
    let (endpoint, [a, _]) = async_endpoint();
    let (req, payload) = TestRequest::get()
        .insert_header(("accept", "text/xml"))
        .insert_header(("x-a", "ada"))
        .to_http_parts();
    let (status, _) = text(endpoint.serve(&req, payload).await).await;
    assert_eq!(status, 406);
    assert_eq!(a.load(Ordering::SeqCst), 0);
}

#[actix_rt::test]
async fn the_identity_is_recorded_with_its_scheme_and_position() {
    let (endpoint, _) = async_endpoint();
    let (req, payload) = TestRequest::get()
        .insert_header(("x-b", "ada"))
        .to_http_parts();
    let _ = endpoint.serve(&req, payload).await;
    let info = crate::request_auth(&req).expect("recorded");
    assert_eq!((info.scheme(), info.position()), ("b", 1));
    assert_eq!(info.identity::<String>().map(String::as_str), Some("ada"));
    // what a throttle keyed on the identity counts by: the auth did not say
    assert_eq!(info.throttle_key(), None);
}

#[actix_rt::test]
async fn a_sync_endpoint_runs_its_chain_and_function_on_the_blocking_pool() {
    let (a, calls) = Who::new("a");
    let chain = (SyncLink(Arc::new(a)),);
    let endpoint = Arc::new(Blocking(Endpoint {
        ctx: context(chain.docs()),
        chain,
        handler: SyncFn::<_, (Authed<String>,)>(hello_sync, PhantomData),
        status: Some(201),
    }));
    let (req, payload) = TestRequest::get()
        .insert_header(("x-a", "grace"))
        .to_http_parts();
    let (status, body) = text(endpoint.serve(&req, payload).await).await;
    // `status = 201` turns the handler's 200 into the declared status
    assert_eq!((status, body.as_str()), (201, r#""hello grace""#));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn an_empty_chain_describes_no_auth() {
    let chain = ();
    assert!(chain.docs().is_empty());
    assert!(context(Vec::new()).docs().is_empty());
    assert!(!DefaultErrorModel::render_bytes(&crate::error::ErrorItem::new("x")).is_empty());
}

/// [`Who`] behind an await: it cannot answer at once, so the chain goes on in the boxed
/// rest of the pipeline from its position.
struct Later(Who);

impl Auth for Later {
    type Identity = String;
    fn scheme_name(&self) -> &str {
        self.0.scheme
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        Vec::new()
    }
}

impl crate::auth::AsyncAuth for Later {
    async fn authenticate(&self, req: &AuthRequest<'_>) -> AuthResult<String> {
        actix_rt::task::yield_now().await;
        self.0.authenticate_inline(req)
    }
}

#[actix_rt::test]
async fn an_auth_that_awaits_resumes_the_chain_at_its_position_and_nothing_runs_twice() {
    let (a, a_calls) = Who::new("a");
    let (b, b_calls) = Who::new("b");
    let (c, c_calls) = Who::new("c");
    let chain = (
        AsyncLink(Arc::new(a)),
        AsyncLink(Arc::new(Later(b))),
        AsyncLink(Arc::new(c)),
    );
    let endpoint = Arc::new(Endpoint {
        ctx: context(chain.docs()),
        chain,
        handler: AsyncFn::<_, (Authed<String>,)>(hello, PhantomData),
        status: None,
    });
    let calls = || [&a_calls, &b_calls, &c_calls].map(|n| n.load(Ordering::SeqCst));

    let get = async |headers: &[(&'static str, &'static str)]| {
        let mut req = TestRequest::get();
        for &header in headers {
            req = req.insert_header(header);
        }
        let (req, payload) = req.to_http_parts();
        text(endpoint.serve(&req, payload).await).await
    };

    // `a` skips at once, `b` is awaited and skips, `c` answers after it
    let (status, body) = get(&[("x-c", "ada")]).await;
    assert_eq!((status, body.as_str()), (200, r#""hello ada""#));
    assert_eq!(calls(), [1, 1, 1]);

    // `a` answers at once: nothing after it runs
    let (status, body) = get(&[("x-a", "grace"), ("x-c", "ada")]).await;
    assert_eq!((status, body.as_str()), (200, r#""hello grace""#));
    assert_eq!(calls(), [2, 1, 1]);

    // the awaited `b` refuses: `c` never runs
    assert_eq!(get(&[("x-b", "nobody"), ("x-c", "ada")]).await.0, 401);
    assert_eq!(calls(), [3, 2, 1]);

    // all skip, the last after an await: 401
    assert_eq!(get(&[]).await.0, 401);
    assert_eq!(calls(), [4, 3, 2]);
}
