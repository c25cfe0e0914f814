//! Per-request cost of a throttle, in one run: the same public endpoint with no throttle, one
//! in-memory throttle (fixed window, then GCRA) and one Redis throttle (127.0.0.1:6379), each
//! through actix's test service, timed in interleaved rounds; prints the medians and their
//! ratios to the unthrottled endpoint as a Markdown table.
//!
//! `throttle [rounds] [n]` (default 7 rounds of 20 000 requests; the Redis case sends n / 10).
//! Without Redis its row says so.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use actix_web::test::{TestRequest, call_service, init_service};
use actix_web::{App, web::ServiceConfig};
use dmr_runtime::Controller;
use dmr_runtime::prelude::*;
use dmr_runtime::throttle::{MemoryStore, RedisStore};

/// Far above what the loop sends: every request passes and is counted.
const MAX: u32 = 1_000_000_000;

struct Stores {
    memory: MemoryStore,
    redis: RedisStore,
}

pub struct Plain;

#[controller(path = "/x", auth = none)]
impl Plain {
    #[endpoint(get, path = "")]
    async fn get() -> &'static str {
        "admin"
    }
}

pub struct InMemory;

#[controller(path = "/x", auth = none, throttle = [|s: &Stores| Throttle::per_second(MAX).store(s.memory.clone())])]
impl InMemory {
    #[endpoint(get, path = "")]
    async fn get() -> &'static str {
        "admin"
    }
}

pub struct InMemorySmooth;

#[controller(path = "/x", auth = none, throttle = [|s: &Stores| Throttle::per_second(MAX).smooth().store(s.memory.clone())])]
impl InMemorySmooth {
    #[endpoint(get, path = "")]
    async fn get() -> &'static str {
        "admin"
    }
}

pub struct InRedis;

#[controller(path = "/x", auth = none, throttle = [|s: &Stores| Throttle::per_second(MAX).store(s.redis.clone())])]
impl InRedis {
    #[endpoint(get, path = "")]
    async fn get() -> &'static str {
        "admin"
    }
}

fn stores() -> Stores {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    Stores {
        memory: MemoryStore::new(10_000),
        redis: RedisStore::new("redis://127.0.0.1:6379")
            .expect("url")
            .prefix(format!("dmr-bench:{nanos}:")),
    }
}

fn mount<C: Controller>(cfg: &mut ServiceConfig) {
    Api::new()
        .state(stores())
        .controller::<C>()
        .build()
        .expect("bench api")
        .configure(cfg);
}

type Timer = Box<dyn FnMut(u64) -> Option<Duration>>;

fn timer(id: &'static str, configure: fn(&mut ServiceConfig)) -> Timer {
    let sys = actix_rt::System::new();
    let app = sys.block_on(init_service(App::new().configure(configure)));
    let peer: SocketAddr = "192.0.2.1:40000".parse().expect("addr");
    let request = move || TestRequest::get().uri("/x").peer_addr(peer).to_request();
    let first = sys.block_on(async { call_service(&app, request()).await.status() });
    if !first.is_success() {
        eprintln!("{id}: first request got {first}, left out");
        return Box::new(|_| None);
    }
    Box::new(move |n| {
        Some(sys.block_on(async {
            let start = Instant::now();
            for _ in 0..n {
                let resp = call_service(&app, request()).await;
                std::hint::black_box(resp.status());
            }
            start.elapsed()
        }))
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let cases: Vec<(&str, u64, Timer)> = vec![
        ("no throttle", n, timer("none", mount::<Plain>)),
        ("memory, fixed window", n, timer("memory", mount::<InMemory>)),
        ("memory, smooth (GCRA)", n, timer("smooth", mount::<InMemorySmooth>)),
        ("Redis, fixed window", n / 10, timer("redis", mount::<InRedis>)),
    ];
    let mut cases: Vec<(&str, u64, Timer, Vec<f64>)> =
        cases.into_iter().map(|(l, n, t)| (l, n, t, Vec::new())).collect();
    for _ in 0..rounds {
        for (_, n, t, samples) in &mut cases {
            if let Some(d) = t(*n) {
                samples.push(d.as_nanos() as f64 / *n as f64);
            }
        }
    }
    let base = median(cases[0].3.clone());
    println!("| per request ({rounds} rounds, median) | ns | ratio to no throttle |");
    println!("| --- | --- | --- |");
    for (label, _, _, samples) in cases {
        if samples.is_empty() {
            println!("| {label} | (not run) | |");
            continue;
        }
        let m = median(samples);
        println!("| {label} | {m:.0} | {:.2} x |", m / base);
    }
}
