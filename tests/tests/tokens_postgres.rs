//! Opaque tokens and users on the real PostgreSQL (127.0.0.1:5432, database `test`, each test
//! in its own schema): issue, authenticate, revoke on one server and refused on another,
//! expiry, inactive users, concurrent issuing, connections killed mid-run, and a PostgreSQL
//! of our own stopped mid-test (503, then service resumes).
//!
//! Skipped with a printed reason when no server answers, unless `DMR_REQUIRE_POSTGRES=1`.

mod postgres_support;
mod tokens_support;

use std::process::Command;
use std::time::{Duration, SystemTime};

use dmr_runtime::backends::postgres::{Pool, pg_pool};
use dmr_runtime::backends::tokens::{
    ApiTokens, Expiry, PgTokens, TOKEN_STORE_UNAVAILABLE, TokenHasher,
};
use dmr_runtime::backends::users::PgUsers;
use dmr_tests::NOT_AUTHENTICATED;
use postgres_support::{postgres_up, unique_schema};
use tokens_support::*;

const MAIN: &str = "host=127.0.0.1 port=5432 user=postgres dbname=test";

/// A pool on `base` whose connections carry `schema` as their application name.
fn pool(base: &str, schema: &str) -> Pool {
    pg_pool(&format!("{base} application_name={schema}"), 8).unwrap()
}

/// Token and user stores in `schema` over `pool`, migrated, with `admin`, `bob`, `inactive`.
async fn stores(pool: Pool, schema: &str) -> (PgTokens, PgUsers) {
    let tokens = PgTokens::new(pool.clone()).schema(schema).unwrap();
    tokens.migrate().await.unwrap();
    tokens.migrate().await.expect("migrations apply once");
    let users = PgUsers::new(pool).schema(schema).unwrap().params(cheap());
    users.migrate().await.unwrap();
    users.add("1", "admin", PASS).await.unwrap();
    users.add("2", "bob", PASS).await.unwrap();
    users.add("3", "inactive", PASS).await.unwrap();
    users.set_active("inactive", false).await.unwrap();
    (tokens, users)
}

/// Async endpoints look users up without the blocking pool.
fn api_tokens(tokens: PgTokens, users: PgUsers) -> ApiTokens {
    ApiTokens::new(tokens, users.clone(), TokenHasher::new("pg-test-secret")).async_users(users)
}

/// Async endpoints look users up through the blocking pool (the `UserStore` methods).
fn api_tokens_blocking_users(tokens: PgTokens, users: PgUsers) -> ApiTokens {
    ApiTokens::new(tokens, users, TokenHasher::new("pg-test-secret"))
}

/// Drops the test's schema (best effort).
async fn drop_schema(pool: &Pool, schema: &str) {
    if let Ok(c) = pool.get().await {
        let _ = c
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .await;
    }
}

#[actix_rt::test]
async fn revoked_on_one_server_is_refused_on_another() {
    if !postgres_up("tokens_postgres") {
        return;
    }
    let schema = unique_schema();
    let (ta, ua) = stores(pool(MAIN, &schema), &schema).await;
    let (tb, ub) = stores(pool(MAIN, &schema), &schema).await;
    let a = server(api_tokens(ta.clone(), ua));
    let b = server(api_tokens_blocking_users(tb, ub));

    let raw = token_of(&a, "admin").await;
    assert_eq!(raw.len(), 43);
    let seen = with_token(&b, "GET", "/t/async/", &raw).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    assert!(seen.text().starts_with("admin:"));
    assert_eq!(
        with_token(&b, "GET", "/s/sync/", &raw).await.text(),
        "sync admin"
    );
    let listed = with_token(&b, "GET", "/api/tokens/", &raw).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let seen = with_token(&a, "DELETE", "/api/tokens/current/", &raw).await;
    assert_eq!(seen.status, 204);
    for srv in [&a, &b] {
        let seen = with_token(srv, "GET", "/t/async/", &raw).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned())
        );
        assert_eq!(with_token(srv, "GET", "/s/sync/", &raw).await.status, 401);
    }
    // bad credentials against the PostgreSQL users
    for (user, pass) in [("admin", "wrong"), ("nobody", PASS), ("inactive", PASS)] {
        assert_eq!(obtain(&b, user, pass).await.status, 401, "{user}");
    }
    drop_schema(ta.pool(), &schema).await;
}

#[actix_rt::test]
async fn expired_tokens_and_inactive_users() {
    if !postgres_up("tokens_postgres") {
        return;
    }
    let schema = unique_schema();
    let (tokens, users) = stores(pool(MAIN, &schema), &schema).await;
    let config = api_tokens(tokens.clone(), users.clone());
    let past = SystemTime::now() - Duration::from_secs(1);
    let (_, expired) = config.issue("1", None, Expiry::At(past)).await.unwrap();
    let (_, bobs) = config.issue("2", None, Expiry::Never).await.unwrap();
    let (_, soon) = config
        .issue(
            "1",
            None,
            Expiry::At(SystemTime::now() + Duration::from_millis(300)),
        )
        .await
        .unwrap();
    let srv = server(config);
    assert_eq!(
        with_token(&srv, "GET", "/t/async/", &expired).await.status,
        401
    );
    assert_eq!(
        with_token(&srv, "GET", "/t/async/", &soon).await.status,
        200
    );
    assert_eq!(
        with_token(&srv, "GET", "/t/async/", &bobs).await.status,
        200
    );
    actix_rt::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        with_token(&srv, "GET", "/t/async/", &soon).await.status,
        401
    );
    users.set_active("bob", false).await.unwrap();
    assert_eq!(
        with_token(&srv, "GET", "/t/async/", &bobs).await.status,
        401
    );
    assert_eq!(with_token(&srv, "GET", "/s/sync/", &bobs).await.status, 401);
    drop_schema(tokens.pool(), &schema).await;
}

#[actix_rt::test]
async fn concurrent_issuing() {
    if !postgres_up("tokens_postgres") {
        return;
    }
    let schema = unique_schema();
    let (tokens, users) = stores(pool(MAIN, &schema), &schema).await;
    // 16 logins of one user from one address: over the default login throttles
    let srv = server(
        api_tokens(tokens.clone(), users)
            .track_last_used(Some(Duration::ZERO))
            .login_throttle(None)
            .username_throttle(None),
    );
    let raws: Vec<String> =
        futures_util::future::join_all((0..16).map(|_| token_of(&srv, "admin"))).await;
    let distinct: std::collections::HashSet<&String> = raws.iter().collect();
    assert_eq!(distinct.len(), 16);
    let seen = futures_util::future::join_all(
        raws.iter()
            .map(|raw| with_token(&srv, "GET", "/t/async/", raw)),
    )
    .await;
    assert!(seen.iter().all(|s| s.status == 200));
    let listed = with_token(&srv, "GET", "/api/tokens/", &raws[0])
        .await
        .json();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 16);
    assert!(listed.iter().all(|t| t["last_used_at"].is_string()));
    drop_schema(tokens.pool(), &schema).await;
}

#[actix_rt::test]
async fn killed_connections_are_replaced() {
    if !postgres_up("tokens_postgres") {
        return;
    }
    let schema = unique_schema();
    let (tokens, users) = stores(pool(MAIN, &schema), &schema).await;
    let srv = server(api_tokens(tokens.clone(), users));
    let raw = token_of(&srv, "admin").await;
    assert_eq!(with_token(&srv, "GET", "/t/async/", &raw).await.status, 200);

    let admin = pg_pool(MAIN, 1).unwrap();
    for _ in 0..3 {
        let killed = admin
            .get()
            .await
            .unwrap()
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                &[&schema],
            )
            .await
            .unwrap();
        assert!(killed > 0, "the pools had connections to kill");
        // every answer is 200 or the documented 503, never a 500 or a success without a
        // check; service resumes by itself
        let mut ok = false;
        for _ in 0..5 {
            let seen = with_token(&srv, "GET", "/t/async/", &raw).await;
            match seen.status.as_u16() {
                200 => {
                    ok = true;
                    break;
                }
                503 => assert!(seen.text().contains(TOKEN_STORE_UNAVAILABLE)),
                other => panic!("unexpected {other}: {}", seen.text()),
            }
        }
        assert!(ok, "the pool did not recover");
        assert_eq!(with_token(&srv, "GET", "/s/sync/", &raw).await.status, 200);
        assert_eq!(
            with_token(&srv, "GET", "/t/async/", "unknown").await.status,
            401
        );
    }
    drop_schema(tokens.pool(), &schema).await;
}

/// A PostgreSQL 15 cluster of our own on a spare port, stopped and started by the test.
struct OwnPostgres {
    dir: std::path::PathBuf,
    port: u16,
}

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// Runs a PostgreSQL binary, as the `postgres` user when we are root (it refuses root).
fn pg_command(bin: &str, args: &[&str]) -> std::process::Output {
    let path = format!("{PG_BIN}/{bin}");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", &path]);
        c
    } else {
        Command::new(&path)
    };
    cmd.args(args).output().expect("run a PostgreSQL binary")
}

impl OwnPostgres {
    fn start() -> Option<Self> {
        if !std::path::Path::new(PG_BIN).join("initdb").exists() {
            let why =
                format!("no PostgreSQL 15 binaries under {PG_BIN} to start a server of its own");
            dmr_runtime::testing::unavailable("tokens_postgres", &why, "DMR_REQUIRE_POSTGRES");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("dmr-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let _ = Command::new("chown")
            .args(["postgres:postgres", dir.to_str().unwrap()])
            .output();
        let data = dir.join("data");
        let out = pg_command(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ],
        );
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let pg = Self { dir, port };
        pg.ctl_start();
        Some(pg)
    }

    fn ctl_start(&self) {
        let data = self.dir.join("data");
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("log");
        let out = pg_command(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-o",
                &opts,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "start",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn ctl_stop(&self) {
        let data = self.dir.join("data");
        let out = pg_command(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn config(&self) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres dbname=postgres",
            self.port
        )
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = pg_command(
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[actix_rt::test]
async fn a_stopped_postgres_is_503_and_service_resumes() {
    let Some(pg) = OwnPostgres::start() else {
        return;
    };
    let schema = "dmr_outage";
    let (tokens, users) = stores(pool(&pg.config(), schema), schema).await;
    let srv = server(api_tokens(tokens, users));
    let raw = token_of(&srv, "admin").await;
    assert_eq!(with_token(&srv, "GET", "/t/async/", &raw).await.status, 200);

    pg.ctl_stop();
    for path in ["/t/async/", "/s/sync/", "/api/tokens/"] {
        let seen = with_token(&srv, "GET", path, &raw).await;
        assert_eq!(seen.status, 503, "{path}: {}", seen.text());
        assert_eq!(seen.header("retry-after"), Some("1"), "{path}");
        assert_eq!(
            seen.text(),
            format!(r#"{{"detail":[{{"msg":"{TOKEN_STORE_UNAVAILABLE}"}}]}}"#)
        );
    }
    // an unknown token cannot be told from a known one while the store is down: 503 too
    assert_eq!(
        with_token(&srv, "GET", "/t/async/", "unknown").await.status,
        503
    );
    let seen = obtain(&srv, "admin", PASS).await;
    assert_eq!(seen.status, 503);
    assert_eq!(seen.header("retry-after"), Some("1"));
    // no header: nothing to look up, the standard 401
    assert_eq!(dmr_tests::get(&srv, "/t/async/", &[]).await.status, 401);

    pg.ctl_start();
    let mut status = 0;
    for _ in 0..10 {
        status = with_token(&srv, "GET", "/t/async/", &raw)
            .await
            .status
            .as_u16();
        if status == 200 {
            break;
        }
        assert_eq!(status, 503);
        actix_rt::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(status, 200, "service did not resume");
    assert_eq!(with_token(&srv, "GET", "/s/sync/", &raw).await.status, 200);
}
