//! Sync endpoints run with their sync chain on the blocking pool; async endpoints on the
//! workers. A blocking auth on a sync endpoint must not stall async endpoints.

use std::thread;
use std::time::{Duration, Instant};

use dmr_runtime::auth::{Auth, AuthRequest, AuthResult, SchemeDoc, SyncAuth};
use dmr_runtime::backends::basic::{BasicUser, HttpBasic, basic_auth};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, get, serve};

/// A sync-only auth that blocks its thread for 200 ms, then lets `X-Slow: ok` in.
struct SlowAuth;

impl Auth for SlowAuth {
    type Identity = std::thread::ThreadId;
    fn scheme_name(&self) -> &str {
        "slow"
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        vec![SchemeDoc::api_key_header("slow", "X-Slow", "blocks")]
    }
}

impl SyncAuth for SlowAuth {
    fn authenticate_sync(&self, req: &AuthRequest<'_>) -> AuthResult<std::thread::ThreadId> {
        thread::sleep(Duration::from_millis(200));
        Ok((req.header_str("x-slow") == Some("ok")).then(|| thread::current().id()))
    }
}

struct Reports;

#[controller(path = "/sync", auth = [SlowAuth])]
impl Reports {
    /// The auth's thread and the handler's thread are both off the async workers.
    #[endpoint(get, path = "/")]
    fn report(auth_thread: Authed<std::thread::ThreadId>) -> String {
        let name = thread::current().name().unwrap_or("").to_owned();
        format!(
            "{}|{:?}",
            name.starts_with("actix-server worker"),
            *auth_thread == thread::current().id()
        )
    }

    #[endpoint(get, path = "/basic", auth = [HttpBasic::blocking(|u, p| u == "admin" && p == "pass")])]
    fn basic(user: Authed<BasicUser>) -> String {
        user.username.clone()
    }
}

struct Fast;

#[controller(path = "/fast", auth = none)]
impl Fast {
    #[endpoint(get, path = "/")]
    async fn fast() -> &'static str {
        "fast"
    }
}

fn api() -> Api {
    Api::new()
        .controller::<Reports>()
        .controller::<Fast>()
        .build()
        .unwrap()
}

#[actix_rt::test]
async fn sync_chain_and_handler_run_off_the_workers() {
    let srv = serve(api());
    let seen = get(&srv, "/sync/", &[("x-slow", "ok")]).await;
    assert_eq!(seen.status, 200);
    // not a worker thread; the handler may or may not share the auth's pool thread
    assert!(seen.text().starts_with("false|"), "{}", seen.text());
    let seen = get(&srv, "/sync/", &[]).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
}

#[actix_rt::test]
async fn sync_endpoint_takes_sync_basic() {
    let srv = serve(api());
    let seen = get(
        &srv,
        "/sync/basic",
        &[("authorization", &basic_auth("admin", "pass"))],
    )
    .await;
    assert_eq!(seen.text(), "admin");
}

#[actix_rt::test]
async fn blocking_auth_does_not_delay_async_endpoints() {
    let srv = serve(api());
    let started = Instant::now();
    let slow = (0..8).map(|_| async {
        let seen = get(&srv, "/sync/", &[("x-slow", "ok")]).await;
        (seen.status.as_u16(), Instant::now())
    });
    let slow = futures_util::future::join_all(slow);
    let fast = async {
        // let the slow requests reach the blocking pool first
        actix_rt::time::sleep(Duration::from_millis(50)).await;
        let seen = get(&srv, "/fast/", &[]).await;
        (seen.status.as_u16(), Instant::now())
    };
    let (slow, (fast_status, fast_done)) = futures_util::future::join(slow, fast).await;
    assert!(slow.iter().all(|(status, _)| *status == 200));
    assert_eq!(fast_status, 200);
    // Each slow request blocks for 200 ms in its auth. Had any of them run on a worker, the
    // async endpoint would have waited behind it; it must finish before the first slow one.
    let first_slow = slow.iter().map(|(_, t)| *t).min().unwrap();
    assert!(
        fast_done < first_slow,
        "the async endpoint waited for a blocking auth"
    );
    // The eight blocking checks ran side by side: serialized they would take 1.6 s.
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "slow batch took {:?}",
        started.elapsed()
    );
}
