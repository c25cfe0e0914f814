//! A Redis outage as an operator sees it: the test starts its own `redis-server` on a spare
//! port (never the machine's 6379), stops it under a JWT endpoint with a Redis blocklist and
//! starts it again: one `store.unavailable` event and the store metrics while it is down,
//! one `store.recovered` once it answers. Without `redis-server` it prints why and passes,
//! unless `DMR_REQUIRE_REDIS=1`.

// the guard that serializes the tests of this binary (the recorder is global) is held across
// awaits on purpose: each test runs on its own actix system
#![allow(clippy::await_holding_lock)]

mod jwt_support;
mod observe_support;
mod session_support;

use std::time::Duration;

use dmr_runtime::backends::jwt::JwtIssuer;
use dmr_runtime::backends::jwt::blocklist::Blocklist;
use dmr_runtime::observe::names;
use jwt_support::{SECRET, bearer};
use observe_support::*;

#[actix_rt::test]
async fn a_redis_outage_writes_unavailable_then_recovered() {
    let _serial = observed();
    let Some(mut redis) =
        jwt_support::OwnRedis::start("a_redis_outage_writes_unavailable_then_recovered")
    else {
        return;
    };
    let store = dmr_runtime::backends::jwt::blocklist::RedisBlocklist::new(&redis.url())
        .unwrap()
        .timeout(Duration::from_millis(300));
    let issuer = JwtIssuer::hs256(SECRET, users()).unwrap();
    let srv = jwt_server(issuer, Blocklist::new(store));
    let token = jwt_support::access("41", "outage-jti");
    let me = |id: &'static str| {
        let h = bearer(&token);
        let srv = &srv;
        async move {
            get_as(srv, "/me/", id, &[("authorization", &h)])
                .await
                .status
                .as_u16()
        }
    };
    let store_label = [("store", "redis.blocklist")];
    assert_eq!(me("r-up").await, 200);
    let timed = histogram_count(names::STORE_DURATION, &store_label);
    assert!(timed >= 1, "store latency recorded");
    // the chain awaited the store: the auth stages were timed
    assert!(histogram_count(names::AUTH_DURATION, &[("result", "ok")]) >= 1);
    let unavailable = ops("store.unavailable", "error");
    let recovered = ops("store.recovered", "ok");

    // an outage, not a loss: the server comes back with its data (see `restart` below)
    let epoch = redis.cli(&["GET", "dmr:jwt:epoch"]);
    redis.stop();
    assert_eq!(me("r-down-1").await, 503);
    assert_eq!(me("r-down-2").await, 503);
    // one event per outage, however many requests fail
    assert_eq!(ops("store.unavailable", "error"), unavailable + 1);
    let errors: u64 = ["error", "timeout", "waiting"]
        .iter()
        .map(|k| {
            counter(
                names::STORE_ERRORS,
                &[("store", "redis.blocklist"), ("kind", k)],
            )
        })
        .sum();
    assert!(
        errors >= 2,
        "{errors}: {}",
        everything()
            .lines()
            .filter(|l| l.starts_with("dmr_"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(gauge(names::STORE_DOWN, &store_label), Some(1.0));
    let events = observe_support::all_events("store.unavailable");
    let e = events.last().expect("a store.unavailable event");
    assert_eq!(
        (e.get("store"), e.level.as_str()),
        (Some("redis.blocklist"), "WARN")
    );

    redis.restart();
    // this server keeps no data across a restart: its epoch marker is put back as a persisted
    // one would be (a missing marker refuses the tokens issued before the new one, which would
    // make the answer depend on whether the restart fell in a later second than the token)
    redis.cli(&["SET", "dmr:jwt:epoch", &epoch]);
    let mut status = 0;
    for _ in 0..50 {
        status = me("r-back").await;
        if status == 200 {
            break;
        }
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200);
    assert_eq!(ops("store.recovered", "ok"), recovered + 1);
    assert_eq!(gauge(names::STORE_DOWN, &store_label), Some(0.0));
    assert!(!observe_support::all_events("store.recovered").is_empty());
    // the store's errors name no token and no key
    assert_unwritten(&[&token, SECRET], "");
}
