//! PostgreSQL round trips per request, counted by a proxy between the stores' pools and the
//! real PostgreSQL (127.0.0.1:5432, database `test`, each test in its own schema): the
//! messages that end a round trip (`S` Sync, `Q` simple query) the frontend sends, read before
//! and after each real HTTP request. Exact counts: a change either way fails.
//!
//! The token store (`PgTokens`) and the user store (`PgUsers`) each get a pool of one
//! connection through a proxy of their own, so every count is one store's. Schemas, users and
//! tokens are made over a direct pool, which is not counted. The first request on a pooled
//! connection prepares each statement it runs (Parse + Describe + Sync: one more round trip
//! per statement, the per-connection statement cache filling); each test sends it first,
//! asserts its cost, then the steady state.
//!
//! Skipped with a printed reason when no server answers, unless `DMR_REQUIRE_POSTGRES=1`.

mod pg_wire_proxy;
mod postgres_support;
mod tokens_support;

use std::time::Duration;

use dmr_runtime::backends::postgres::{Pool, pg_pool};
use dmr_runtime::backends::tokens::{ApiTokens, Expiry, PgTokens, TokenHasher};
use dmr_runtime::backends::users::PgUsers;
use dmr_tests::Seen;
use pg_wire_proxy::{Frontend, Malformed, WireProxy};
use postgres_support::{postgres_up, unique_schema};
use tokens_support::*;

const UPSTREAM: &str = postgres_support::POSTGRES;
const MAIN: &str = "host=127.0.0.1 port=5432 user=postgres dbname=test";
const SECRET: &str = "pg-round-trips-secret";

/// A schema with `admin` (id 1) and `inactive` (id 3), stores reached directly and through
/// one counting proxy each.
struct Rig {
    schema: String,
    /// The stores over the direct pool: setup and issuing, not counted.
    direct: (PgTokens, PgUsers),
    /// The stores the server uses, each over a pool of one connection through its proxy.
    counted: (PgTokens, PgUsers),
    tokens: WireProxy,
    users: WireProxy,
}

impl Rig {
    async fn new() -> Option<Self> {
        if !postgres_up("postgres_round_trips") {
            return None;
        }
        let schema = unique_schema();
        let direct = pg_pool(&format!("{MAIN} application_name={schema}"), 2).unwrap();
        let tokens = PgTokens::new(direct.clone()).schema(&schema).unwrap();
        tokens.migrate().await.unwrap();
        let users = PgUsers::new(direct)
            .schema(&schema)
            .unwrap()
            .params(cheap());
        users.migrate().await.unwrap();
        users.add("1", "admin", PASS).await.unwrap();
        users.add("3", "inactive", PASS).await.unwrap();
        users.set_active("inactive", false).await.unwrap();

        let (tokens_proxy, users_proxy) = (WireProxy::start(UPSTREAM), WireProxy::start(UPSTREAM));
        let counted = (
            PgTokens::new(proxied_pool(&tokens_proxy, &schema))
                .schema(&schema)
                .unwrap(),
            PgUsers::new(proxied_pool(&users_proxy, &schema))
                .schema(&schema)
                .unwrap()
                .params(cheap()),
        );
        Some(Self {
            schema,
            direct: (tokens, users),
            counted,
            tokens: tokens_proxy,
            users: users_proxy,
        })
    }

    /// The server's tokens: the counted stores, users looked up without the blocking pool
    /// on async endpoints, no login throttles, no last-used tracking (the default).
    fn api_tokens(&self, hasher: TokenHasher) -> ApiTokens {
        let (tokens, users) = self.counted.clone();
        ApiTokens::new(tokens, users.clone(), hasher)
            .async_users(users)
            .login_throttle(None)
            .username_throttle(None)
    }

    /// A raw token of `admin`, hashed by `hasher`, stored over the direct pool.
    async fn issue(&self, hasher: TokenHasher) -> String {
        let (tokens, users) = self.direct.clone();
        let config = ApiTokens::new(tokens, users, hasher);
        config.issue("1", None, Expiry::Never).await.unwrap().1
    }

    /// `req`'s status and its round trips through the token store's proxy and the user
    /// store's.
    async fn cost(&self, req: impl Future<Output = Seen>) -> (u16, u64, u64) {
        let (tokens, users) = (self.tokens.round_trips(), self.users.round_trips());
        let seen = req.await;
        (
            seen.status.as_u16(),
            self.tokens.round_trips() - tokens,
            self.users.round_trips() - users,
        )
    }

    /// Each store used its one connection throughout (no reconnect, no statement prepared
    /// again); stops the servers, closes the proxies, drops the schema.
    async fn finish(self, servers: Vec<dmr_tests::TestServer>) {
        assert_eq!(
            (self.tokens.connections(), self.users.connections()),
            (1, 1)
        );
        for srv in servers {
            srv.stop().await;
        }
        self.tokens.close();
        self.users.close();
        if let Ok(c) = self.direct.0.pool().get().await {
            let schema = &self.schema;
            let _ = c
                .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .await;
        }
    }
}

/// A pool of one connection through `proxy`.
fn proxied_pool(proxy: &WireProxy, schema: &str) -> Pool {
    let config = format!(
        "host=127.0.0.1 port={} user=postgres dbname=test application_name={schema}",
        proxy.port()
    );
    pg_pool(&config, 1).unwrap()
}

/// `GET /t/async/` with `X-API-Token: raw`.
async fn token_get(srv: &dmr_tests::TestServer, raw: &str) -> Seen {
    with_token(srv, "GET", "/t/async/", raw).await
}

#[test]
fn the_proxy_counts_sync_and_query_across_chunks() {
    let mut f = Frontend::default();
    // SSLRequest, then the startup packet (no type byte: its `S`, `Q` bytes do not count)
    let mut stream = vec![0, 0, 0, 8, 4, 210, 22, 47];
    stream.extend([0, 0, 0, 14, 0, 3, 0, 0, b'S', b'Q', b'S', b'Q', 0, 0]);
    // Parse (with an `S` and a `Q` in its body), Describe, Sync; Query; Terminate
    stream.extend([b'P', 0, 0, 0, 8, b'S', b'Q', 0, 0]);
    stream.extend([b'D', 0, 0, 0, 6, b'S', 0, b'S', 0, 0, 0, 4]);
    stream.extend([b'Q', 0, 0, 0, 6, b'Q', 0, b'X', 0, 0, 0, 4]);
    for size in 1..=stream.len() {
        let mut f = Frontend::default();
        let ended: u64 = stream.chunks(size).map(|c| f.feed(c).unwrap()).sum();
        assert_eq!(ended, 2, "chunks of {size}");
    }
    assert_eq!(f.feed(&[0, 0, 0, 3, 0, 0, 0, 0]), Err(Malformed));
}

/// Token auth (last-used tracking off, the default): one look-up in the token store and, for a
/// token found, one in the user store; a request it lets in costs 2 round trips in all (on
/// one connection when the two stores share a pool), one per store.
#[actix_rt::test]
async fn a_token_check_is_one_round_trip_per_store() {
    let Some(rig) = Rig::new().await else {
        return;
    };
    let srv = server(rig.api_tokens(TokenHasher::new(SECRET)));
    let raw = rig.issue(TokenHasher::new(SECRET)).await;

    // the first request prepares the token look-up and the user look-up: 2 round trips each
    assert_eq!(rig.cost(token_get(&srv, &raw)).await, (200, 2, 2), "first");
    for round in 0..3 {
        assert_eq!(
            rig.cost(token_get(&srv, &raw)).await,
            (200, 1, 1),
            "{round}"
        );
    }
    // an unknown token: the token look-up only
    assert_eq!(rig.cost(token_get(&srv, "unknown")).await, (401, 1, 0));
    // no token: nothing looked up
    let none = dmr_tests::get(&srv, "/t/async/", &[]);
    assert_eq!(rig.cost(none).await, (401, 0, 0));
    // a sync endpoint (the blocking look-ups, the same cached statements)
    assert_eq!(
        rig.cost(with_token(&srv, "GET", "/s/sync/", &raw)).await,
        (200, 1, 1)
    );
    assert_eq!(
        rig.cost(with_token(&srv, "GET", "/s/sync/", "unknown"))
            .await,
        (401, 1, 0)
    );
    rig.finish(vec![srv]).await;
}

/// Last-used tracking on: one more round trip (the conditional UPDATE) on the requests where
/// the write is due (a token never used, or last used an interval ago or more), none on the
/// others.
#[actix_rt::test]
async fn last_used_tracking_costs_one_write_when_due() {
    let Some(rig) = Rig::new().await else {
        return;
    };
    let hourly = server(
        rig.api_tokens(TokenHasher::new(SECRET))
            .track_last_used(Some(Duration::from_secs(3600))),
    );
    let [first, second] = [
        rig.issue(TokenHasher::new(SECRET)).await,
        rig.issue(TokenHasher::new(SECRET)).await,
    ];

    // first request: the look-up prepared and run (2), the last-used UPDATE prepared and run (2)
    assert_eq!(
        rig.cost(token_get(&hourly, &first)).await,
        (200, 4, 2),
        "first"
    );
    // a token never used: look-up and write
    assert_eq!(rig.cost(token_get(&hourly, &second)).await, (200, 2, 1));
    // used within the interval: no write
    for raw in [&first, &second, &second] {
        assert_eq!(rig.cost(token_get(&hourly, raw)).await, (200, 1, 1));
    }
    // a zero interval (the same connections): a write on every request
    let always = server(
        rig.api_tokens(TokenHasher::new(SECRET))
            .track_last_used(Some(Duration::ZERO)),
    );
    for raw in [&first, &first, &second] {
        assert_eq!(rig.cost(token_get(&always, raw)).await, (200, 2, 1));
    }
    rig.finish(vec![hourly, always]).await;
}

/// Rotation costs no round trip: with fallback secrets a token is looked up by all its
/// hashes in one statement (`token_hash = ANY($1)`, under one 2 s bound), whichever secret
/// hashed it, and an unknown token costs one round trip too. The first request with
/// fallbacks prepares that statement (one more round trip).
#[actix_rt::test]
async fn a_fallback_secret_costs_no_round_trip() {
    let Some(rig) = Rig::new().await else {
        return;
    };
    let rotated = || TokenHasher::new("current").fallback_secrets(["older", "oldest"]);
    let srv = server(rig.api_tokens(rotated()));
    let current = rig.issue(rotated()).await;
    let older = rig.issue(TokenHasher::new("older")).await;
    let oldest = rig.issue(TokenHasher::new("oldest")).await;

    assert_eq!(
        rig.cost(token_get(&srv, &current)).await,
        (200, 2, 2),
        "first"
    );
    assert_eq!(rig.cost(token_get(&srv, &current)).await, (200, 1, 1));
    assert_eq!(rig.cost(token_get(&srv, &older)).await, (200, 1, 1));
    assert_eq!(rig.cost(token_get(&srv, &oldest)).await, (200, 1, 1));
    assert_eq!(rig.cost(token_get(&srv, &current)).await, (200, 1, 1));
    assert_eq!(rig.cost(token_get(&srv, "unknown")).await, (401, 1, 0));
    assert_eq!(
        rig.cost(dmr_tests::get(&srv, "/t/async/", &[])).await,
        (401, 0, 0)
    );
    rig.finish(vec![srv]).await;
}

/// The login view (`POST /api/tokens/`) over the PostgreSQL users: one user look-up per
/// attempt, whatever its outcome, and the new token's INSERT when it succeeds.
#[actix_rt::test]
async fn a_login_is_one_user_store_round_trip() {
    let Some(rig) = Rig::new().await else {
        return;
    };
    let srv = server(rig.api_tokens(TokenHasher::new(SECRET)));

    // first request: the user look-up and the INSERT prepared and run
    assert_eq!(
        rig.cost(obtain(&srv, "admin", PASS)).await,
        (200, 2, 2),
        "first"
    );
    assert_eq!(rig.cost(obtain(&srv, "admin", PASS)).await, (200, 1, 1));
    for (user, pass) in [("admin", "wrong"), ("nobody", PASS), ("inactive", PASS)] {
        assert_eq!(
            rig.cost(obtain(&srv, user, pass)).await,
            (401, 0, 1),
            "{user}"
        );
    }
    rig.finish(vec![srv]).await;
}
