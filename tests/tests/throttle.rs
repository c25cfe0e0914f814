//! Throttles through real servers: the two stages around auth, every layer joined, `none`,
//! the 429 body and headers, window reset, bounded memory under a flood of addresses.

use std::time::Duration;

use actix_web::http::StatusCode;
use dmr_runtime::backends::basic::{BasicUser, HttpBasic, basic_auth};
use dmr_runtime::error::{ErrorItem, ErrorModel};
use dmr_runtime::prelude::*;
use dmr_runtime::throttle::{Key, MemoryStore, Rate, RateLimitHeaders, Throttle};
use dmr_tests::{NOT_AUTHENTICATED, get, serve};

const TOO_MANY: &str = r#"{"detail":[{"msg":"Too many requests","type":"ratelimit"}]}"#;

fn check(user: &str, pass: &str) -> bool {
    pass == "pass" && !user.is_empty()
}

struct Guarded;

#[controller(path = "/guarded", auth = [HttpBasic::new(check)], throttle = [Throttle::per_minute(1)])]
impl Guarded {
    /// Before auth: one request per minute per address.
    #[endpoint(get, path = "/")]
    async fn one(user: Authed<BasicUser>) -> String {
        user.username.clone()
    }

    /// After auth: two per minute per user, nothing else (`throttle = none`).
    #[endpoint(get, path = "/per-user", throttle = none)]
    async fn per_user() -> &'static str {
        "ok"
    }
}

struct PerUser;

#[controller(path = "/per-user", auth = [HttpBasic::new(check)])]
impl PerUser {
    #[endpoint(get, path = "/", throttle = [Throttle::per_minute(2).key(Key::identity())])]
    async fn get(user: Authed<BasicUser>) -> String {
        user.username.clone()
    }
}

fn basic(user: &str) -> String {
    basic_auth(user, "pass")
}

#[actix_rt::test]
async fn a_before_auth_throttle_answers_429_to_the_second_anonymous_request() {
    let srv = serve(Api::new().controller::<Guarded>().build().unwrap());
    let first = get(&srv, "/guarded/", &[]).await;
    assert_eq!(first.status, StatusCode::UNAUTHORIZED);
    assert_eq!(first.text(), NOT_AUTHENTICATED);
    let second = get(&srv, "/guarded/", &[("authorization", &basic("ann"))]).await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(second.text(), TOO_MANY);
    assert_eq!(second.header("content-type"), Some("application/json"));
    assert_eq!(second.header("x-ratelimit-limit"), Some("1"));
    assert_eq!(second.header("x-ratelimit-remaining"), Some("0"));
    let retry: u64 = second.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(
        second.header("x-ratelimit-reset"),
        second.header("retry-after")
    );
    assert_eq!(second.header("ratelimit"), None);
    // 429 comes before content negotiation (406) too
    let third = get(&srv, "/guarded/", &[("accept", "text/html")]).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    // `throttle = none` on the other endpoint turns the controller's throttle off
    for _ in 0..3 {
        let off = get(
            &srv,
            "/guarded/per-user",
            &[("authorization", &basic("ann"))],
        )
        .await;
        assert_eq!(off.status, StatusCode::OK);
    }
}

#[actix_rt::test]
async fn an_identity_throttle_never_refuses_unauthenticated_requests() {
    let srv = serve(Api::new().controller::<PerUser>().build().unwrap());
    for _ in 0..5 {
        let anon = get(&srv, "/per-user/", &[]).await;
        assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
        let wrong = get(
            &srv,
            "/per-user/",
            &[("authorization", &basic_auth("ann", "no"))],
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    let ann = [("authorization", basic("ann"))];
    let ann: Vec<(&str, &str)> = ann.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(get(&srv, "/per-user/", &ann).await.status, StatusCode::OK);
    assert_eq!(get(&srv, "/per-user/", &ann).await.status, StatusCode::OK);
    let third = get(&srv, "/per-user/", &ann).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.text(), TOO_MANY);
    // another user from the same address has a budget of their own
    let bob = get(&srv, "/per-user/", &[("authorization", &basic("bob"))]).await;
    assert_eq!(bob.status, StatusCode::OK);
}

struct Layers;

#[controller(path = "/layers", auth = none, throttle = [Throttle::per_minute(100)])]
impl Layers {
    #[endpoint(get, path = "/tight", throttle = [Throttle::per_minute(2)])]
    async fn tight() -> &'static str {
        "ok"
    }

    #[endpoint(get, path = "/loose")]
    async fn loose() -> &'static str {
        "ok"
    }

    #[endpoint(get, path = "/free", throttle = none)]
    async fn free() -> &'static str {
        "ok"
    }
}

struct Sync;

#[controller(path = "/sync", auth = none, throttle = [Throttle::per_minute(1).headers(RateLimitHeaders::IETF)])]
impl Sync {
    #[endpoint(get, path = "/")]
    fn get() -> &'static str {
        "ok"
    }
}

#[actix_rt::test]
async fn every_layer_joins_and_every_throttle_must_pass() {
    let api = Api::new()
        .settings(Settings::new().throttle(Throttle::per_minute(3)))
        .controller::<Layers>()
        .scope("/s", |s| s.controller::<Sync>())
        .build()
        .unwrap();
    let kinds: Vec<(String, usize)> = api
        .endpoints()
        .map(|e| (e.path().to_owned(), e.throttles().len()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("/layers/tight".to_owned(), 3),
            ("/layers/loose".to_owned(), 2),
            ("/layers/free".to_owned(), 0),
            ("/s/sync/".to_owned(), 2)
        ]
    );
    let srv = serve(api);
    // endpoint 2/min is the tightest
    for expected in [200, 200, 429] {
        assert_eq!(
            get(&srv, "/layers/tight", &[]).await.status.as_u16(),
            expected
        );
    }
    // the settings' 3/min is the tightest here
    for expected in [200, 200, 200, 429] {
        assert_eq!(
            get(&srv, "/layers/loose", &[]).await.status.as_u16(),
            expected
        );
    }
    for _ in 0..5 {
        assert_eq!(get(&srv, "/layers/free", &[]).await.status, StatusCode::OK);
    }
    // a sync endpoint, IETF draft headers
    assert_eq!(get(&srv, "/s/sync/", &[]).await.status, StatusCode::OK);
    let refused = get(&srv, "/s/sync/", &[]).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        refused.header("ratelimit-policy"),
        Some("1;w=60;name=\"ip\"")
    );
    let ratelimit = refused.header("ratelimit").unwrap();
    assert!(ratelimit.starts_with("\"ip\";r=0;t="), "{ratelimit}");
    assert!(refused.header("retry-after").is_some());
    assert_eq!(refused.header("x-ratelimit-limit"), None);
}

struct Windowed;

#[controller(path = "/window", auth = none, throttle = [|r: &Rate| Throttle::new(*r)])]
impl Windowed {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "ok"
    }
}

#[actix_rt::test]
async fn the_window_resets() {
    let api = Api::new()
        .state(Rate::new(2, Duration::from_secs(1)).unwrap())
        .controller::<Windowed>()
        .build()
        .unwrap();
    let srv = serve(api);
    // start right after a window boundary as the server sees it: wait out the first refusal
    let mut statuses = Vec::new();
    loop {
        let s = get(&srv, "/window/", &[]).await;
        if s.status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(s.header("retry-after"), Some("1"));
            break;
        }
        statuses.push(s.status);
        assert!(statuses.len() <= 2, "the limit is 2 per window");
    }
    actix_rt::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(get(&srv, "/window/", &[]).await.status, StatusCode::OK);
}

struct Flat;

impl ErrorModel for Flat {
    fn render(item: &ErrorItem<'_>) -> serde_json::Value {
        serde_json::json!({"error": item.msg})
    }
}

struct Modelled;

#[controller(path = "/modelled", auth = none, error_model = Flat,
             throttle = [Throttle::per_minute(1).smooth()])]
impl Modelled {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "ok"
    }
}

#[actix_rt::test]
async fn the_429_uses_the_controllers_error_model() {
    let srv = serve(Api::new().controller::<Modelled>().build().unwrap());
    assert_eq!(get(&srv, "/modelled/", &[]).await.status, StatusCode::OK);
    let refused = get(&srv, "/modelled/", &[]).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.text(), r#"{"error":"Too many requests"}"#);
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((50..=60).contains(&retry), "{retry}");
}

struct Proxied;

#[controller(path = "/proxied", auth = none, throttle = [|s: &MemoryStore| {
    Throttle::per_minute(1).store(s.clone()).key(Key::client_addr().trust_forwarded_headers(true))
}])]
impl Proxied {
    #[endpoint(get, path = "/")]
    async fn get() -> &'static str {
        "ok"
    }
}

#[actix_rt::test]
async fn a_flood_of_distinct_addresses_keeps_the_store_bounded() {
    let store = MemoryStore::new(500);
    let api = Api::new()
        .state(store.clone())
        .controller::<Proxied>()
        .build()
        .unwrap();
    let srv = serve(api);
    for i in 0..2_000u32 {
        let addr = format!("198.18.{}.{}", i / 256, i % 256);
        let seen = get(&srv, "/proxied/", &[("x-forwarded-for", &addr)]).await;
        assert_eq!(seen.status, StatusCode::OK, "{addr}");
        assert!(store.len() <= store.capacity(), "{} keys", store.len());
    }
    assert!(store.capacity() <= 500);
    assert!(!store.is_empty());
    // the most recent address is still limited
    let again = get(&srv, "/proxied/", &[("x-forwarded-for", "198.18.7.207")]).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
}

#[actix_rt::test]
async fn openapi_documents_the_429_and_its_headers_on_throttled_operations() {
    let api = Api::new()
        .controller::<Layers>()
        .scope("/s", |s| s.controller::<Sync>())
        .build()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(api.openapi_json()).unwrap();
    let responses = |path: &str| doc["paths"][path]["get"]["responses"].clone();
    let tight = responses("/layers/tight");
    assert_eq!(
        tight["429"]["description"],
        "Raised when the request was throttled"
    );
    assert_eq!(
        tight["429"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorModel"
    );
    let headers: Vec<&str> = tight["429"]["headers"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        headers,
        [
            "Retry-After",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset"
        ]
    );
    assert_eq!(
        tight["429"]["headers"]["Retry-After"]["schema"]["type"],
        "integer"
    );
    assert!(tight.get("503").is_none(), "a memory store never fails");
    let ietf = responses("/s/sync/");
    let headers: Vec<&str> = ietf["429"]["headers"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(headers, ["RateLimit", "RateLimit-Policy", "Retry-After"]);
    // not throttled: no 429
    assert!(responses("/layers/free").get("429").is_none());
}
