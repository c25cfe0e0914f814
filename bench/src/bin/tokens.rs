//! Opaque API tokens against header JWT, in one run (issue 10):
//!
//! 1. per request, in process (actix's test service, no network): mean, p50 and p99 of the
//!    wall time of one `GET` with `Authorization: Bearer <jwt>` or `X-API-Token: <raw>`, on
//!    SQLite and on PostgreSQL, with last-used tracking off, on every request (interval 0, the
//!    reference's behaviour) and at most once a minute;
//! 2. over loopback: a real server (2 workers) per case, `wrk -t1 -c32 -d<secs>s --latency`:
//!    req/s, p50, p99.
//!
//! `cargo run --release --bin tokens -- [requests per case (20000)] [wrk seconds (5)]`.
//! PostgreSQL: 127.0.0.1:5432, database `test` (each run in its own schema, dropped after);
//! its rows are skipped when no server answers.

use std::time::{Duration, Instant};

use actix_web::http::header::{AUTHORIZATION, HeaderName, HeaderValue};
use actix_web::{App, HttpServer, test};
use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
use dmr_runtime::backends::postgres::{Pool, pg_pool};
use dmr_runtime::backends::tokens::{
    ApiTokens, Expiry, PgTokens, SqliteTokens, TokenHasher, TokenUser,
};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers, PgUsers, UserStore};
use dmr_runtime::prelude::*;

const PG: &str = "host=127.0.0.1 port=5432 user=postgres dbname=test application_name=dmr_bench";

struct JwtX;

#[controller(path = "/x", auth = [JwtAuth::hs256(dmr_bench::SECRET).expect("secret")])]
impl JwtX {
    #[endpoint(get, path = "")]
    async fn get(token: Authed<JwtToken>) -> String {
        token.sub.clone()
    }
}

struct TokenX;

#[controller(path = "/x", auth = [|t: &ApiTokens| t.header()])]
impl TokenX {
    #[endpoint(get, path = "")]
    async fn get(user: Authed<TokenUser>) -> String {
        user.username.clone()
    }
}

/// One case: a label, the API, the credential header.
struct Case {
    label: String,
    api: Api,
    header: (HeaderName, HeaderValue),
}

fn cheap_users() -> MemoryUsers {
    let params = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).expect("costs");
    let users = MemoryUsers::with_params(params);
    users.add("1", "admin", "pass").expect("hash");
    users
}

async fn token_case(label: &str, tokens: ApiTokens) -> Case {
    let (_, raw) = tokens.issue("1", None, Expiry::Never).await.expect("issue");
    let api = Api::new()
        .state(tokens)
        .controller::<TokenX>()
        .build()
        .expect("api");
    Case {
        label: label.to_owned(),
        api,
        header: (
            HeaderName::from_static("x-api-token"),
            HeaderValue::from_str(&raw).expect("ascii"),
        ),
    }
}

async fn cases(schema: &str, pg: Option<&Pool>) -> Vec<Case> {
    let hasher = || TokenHasher::new("bench-token-secret");
    let mut out = vec![Case {
        label: "JWT (HS256) header".into(),
        api: Api::new().controller::<JwtX>().build().expect("api"),
        header: (
            AUTHORIZATION,
            HeaderValue::from_str(&dmr_bench::bearer()).expect("ascii"),
        ),
    }];
    let dir = std::env::temp_dir().join(format!("dmr-bench-tokens-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let minute = Some(Duration::from_secs(60));
    for (i, (name, track)) in [
        ("off", None),
        ("every request", Some(Duration::ZERO)),
        ("once a minute", minute),
    ]
    .into_iter()
    .enumerate()
    {
        let store = SqliteTokens::open(dir.join(format!("t{i}.sqlite3"))).expect("sqlite");
        let tokens = ApiTokens::new(store, cheap_users(), hasher()).track_last_used(track);
        out.push(token_case(&format!("token, SQLite file, last-used {name}"), tokens).await);
    }
    if let Some(pool) = pg {
        let store = PgTokens::new(pool.clone()).schema(schema).expect("schema");
        store.migrate().await.expect("migrate");
        let users = PgUsers::new(pool.clone()).schema(schema).expect("schema");
        users.migrate().await.expect("migrate");
        users.add("1", "admin", "pass").await.expect("user");
        for (name, track) in [
            ("off", None),
            ("every request", Some(Duration::ZERO)),
            ("once a minute", minute),
        ] {
            let tokens =
                ApiTokens::new(store.clone(), cheap_users(), hasher()).track_last_used(track);
            out.push(token_case(&format!("token, PostgreSQL, last-used {name}"), tokens).await);
        }
        let tokens = ApiTokens::new(store.clone(), users.clone(), hasher());
        assert!(UserStore::is_blocking(&*tokens.users().clone()));
        out.push(
            token_case(
                "token + user, PostgreSQL (PgUsers through the blocking pool), last-used off",
                tokens,
            )
            .await,
        );
        let tokens = ApiTokens::new(store.clone(), users.clone(), hasher()).async_users(users);
        out.push(
            token_case(
                "token + user, PostgreSQL (PgUsers awaited: async_users), last-used off",
                tokens,
            )
            .await,
        );
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn us(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

async fn per_request(case: &Case, n: usize) -> (Duration, Duration, Duration) {
    let api = case.api.clone();
    let app = test::init_service(App::new().configure(move |c| api.configure(c))).await;
    let mut times = Vec::with_capacity(n);
    for i in 0..(n + n / 10) {
        let req = test::TestRequest::get()
            .uri("/x")
            .insert_header(case.header.clone())
            .to_request();
        let t = Instant::now();
        let res = test::call_service(&app, req).await;
        let dt = t.elapsed();
        assert!(
            res.status().is_success(),
            "{}: {}",
            case.label,
            res.status()
        );
        if i >= n / 10 {
            times.push(dt); // the first tenth warms up
        }
    }
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    times.sort_unstable();
    (mean, percentile(&times, 0.5), percentile(&times, 0.99))
}

/// Serves `case` on a free port with 2 workers and runs wrk against it.
fn load(case: &Case, secs: u64) -> Option<(String, String, String)> {
    let api = case.api.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_rt::System::new().block_on(async move {
            let srv = HttpServer::new(move || {
                let api = api.clone();
                App::new().configure(move |c| api.configure(c))
            })
            .workers(2)
            .disable_signals()
            .listen(listener)
            .expect("listen")
            .run();
            tx.send(srv.handle()).expect("send handle");
            srv.await.expect("server");
        });
    });
    let handle = rx.recv().expect("server handle");
    let header = format!(
        "{}: {}",
        case.header.0,
        case.header.1.to_str().expect("ascii")
    );
    let out = std::process::Command::new("wrk")
        .args([
            "-t1",
            "-c32",
            &format!("-d{secs}s"),
            "--latency",
            "-H",
            &header,
        ])
        .arg(format!("http://127.0.0.1:{port}/x"))
        .output();
    actix_rt::System::new().block_on(handle.stop(true));
    let text = String::from_utf8_lossy(&out.ok()?.stdout).into_owned();
    let find = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("?")
            .to_owned()
    };
    if text.contains("Non-2xx") {
        eprintln!("{}: wrk saw errors:\n{text}", case.label);
    }
    Some((find("Requests/sec:"), find("50%"), find("99%")))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let secs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let schema = format!("dmr_bench_{}", std::process::id());
    let sys = actix_rt::System::new();
    let pg = sys.block_on(async {
        let pool = pg_pool(PG, 8).ok()?;
        drop(pool.get().await.ok()?);
        Some(pool)
    });
    if pg.is_none() {
        eprintln!("no PostgreSQL on 127.0.0.1:5432: its rows are skipped");
    }
    let cases = sys.block_on(cases(&schema, pg.as_ref()));
    println!(
        "## Per request, in process ({n} requests per case after {} warm-up)\n",
        n / 10
    );
    println!("| case | mean µs | p50 µs | p99 µs |\n| --- | --- | --- | --- |");
    for case in &cases {
        let (mean, p50, p99) = sys.block_on(per_request(case, n));
        println!(
            "| {} | {} | {} | {} |",
            case.label,
            us(mean),
            us(p50),
            us(p99)
        );
    }
    println!("\n## Loopback load (server: 2 workers; wrk -t1 -c32 -d{secs}s, same machine)\n");
    println!("| case | req/s | p50 | p99 |\n| --- | --- | --- | --- |");
    for case in &cases {
        // wrk runs on a blocking thread so that this runtime keeps driving the PostgreSQL
        // connections opened on it above (a connection is driven by the runtime that opened it)
        let owned = Case {
            label: case.label.clone(),
            api: case.api.clone(),
            header: case.header.clone(),
        };
        let result = sys.block_on(async move {
            actix_web::rt::task::spawn_blocking(move || load(&owned, secs))
                .await
                .ok()
                .flatten()
        });
        match result {
            Some((rps, p50, p99)) => println!("| {} | {rps} | {p50} | {p99} |", case.label),
            None => println!("| {} | wrk missing | | |", case.label),
        }
    }
    if let Some(pool) = pg {
        sys.block_on(async {
            if let Ok(c) = pool.get().await {
                let _ = c
                    .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .await;
            }
        });
    }
}
