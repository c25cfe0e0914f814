//! Sessions in Redis, for several servers behind a load balancer: a logout on one server
//! ends the session on all of them. The Redis URL and the session key come from the
//! configuration: every server must be given the same `SESSION_KEY` (a key generated at
//! startup would make each server refuse the others' cookies), and read its users from one
//! store (a SQLite file here, `USERS_DB`; PostgreSQL in `multi_server`).
//!
//! ```sh
//! export SESSION_KEY=$(openssl rand -base64 64 | tr -d '\n') REDIS_URL=redis://127.0.0.1:6379
//! DMR_EXAMPLE_ADDR=127.0.0.1:8080 cargo run -p dmr-examples --example redis_session &
//! DMR_EXAMPLE_ADDR=127.0.0.1:8081 cargo run -p dmr-examples --example redis_session &
//! curl -c jar -H 'content-type: application/json' \
//!      -d '{"username":"ann","password":"ann-password"}' http://127.0.0.1:8080/api/auth/login/
//! curl -b jar http://127.0.0.1:8081/api/account/     # account 1: the other server knows it
//! ```
//!
//! The test runs against the Redis on 127.0.0.1:6379 and skips, saying why, when none
//! answers (`DMR_REQUIRE_REDIS=1` makes that a failure).

use std::process::ExitCode;

use actix_web::{App, HttpServer};
use dmr_runtime::backends::session::{
    RedisSessionStore, SessionConfig, SessionLogin, SessionLogout, SessionUser,
    session_key_from_base64,
};
use dmr_runtime::backends::users::{SqliteUsers, UserStore};
use dmr_runtime::prelude::*;

pub struct Account;

#[controller(path = "/api/account", auth = [|sessions: &SessionConfig| sessions.auth()])]
impl Account {
    #[endpoint(get, path = "/")]
    async fn me(user: Authed<SessionUser>) -> String {
        format!("account {}", user.id)
    }
}

fn api(sessions: SessionConfig) -> Result<Api, ApiError> {
    Api::new()
        .state(sessions)
        .scope("/api/auth", |s| {
            s.controller::<SessionLogin>().controller::<SessionLogout>()
        })
        .controller::<Account>()
        .build()
}

async fn store(url: &str, prefix: &str) -> std::io::Result<RedisSessionStore> {
    let prefix = prefix.to_owned();
    RedisSessionStore::builder(url)
        .cache_keygen(move |key| format!("{prefix}{key}"))
        .build()
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("redis_session: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    // One user store for every server: a session remembers a digest of its user's password
    // hash, so a user hashed anew by each server would be a stranger on the others.
    let path = std::env::var("USERS_DB").map_or_else(
        |_| std::env::temp_dir().join("dmr-redis-session-users.sqlite3"),
        Into::into,
    );
    let users = SqliteUsers::open(&path)?;
    if users.find_by_username("ann")?.is_none() {
        users.add("1", "ann", "ann-password")?;
    }
    let config = SessionConfig::new(users).secure(false);
    let store = store(&url, "session:").await?;
    let api = api(config.clone())?;
    // every server must be given the same key
    let key = std::env::var("SESSION_KEY")
        .map_err(|_| "set SESSION_KEY, the same on every server (`openssl rand -base64 64`)")?;
    let key = session_key_from_base64(&key)?;
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || {
        App::new()
            .wrap(config.middleware(store.clone(), key.clone()))
            .configure(|c| api.configure(c))
    })
    .bind(&addr)
    .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("redis_session example on http://{addr}/api/account/ (sessions in {url})");
    server.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::cookie::Key;
    use actix_web::test::{TestRequest, call_service, init_service};
    use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
    use dmr_runtime::testing::login;

    use super::*;

    const REDIS: &str = "127.0.0.1:6379";
    /// What every server's `SESSION_KEY` says.
    const SESSION_KEY: &str =
        "Zm9yIHRlc3RzIG9ubHk6IGEga2V5IG9mIHNpeHR5LWZvdXIgYnl0ZXMgb3IgbW9yZSwgZnJvbSB0aGUgY29uZmln";

    fn redis_answers() -> bool {
        let up = std::net::TcpStream::connect(REDIS).is_ok();
        if !up {
            let why = format!("no Redis on {REDIS}");
            dmr_runtime::testing::unavailable("redis_session", &why, "DMR_REQUIRE_REDIS");
        }
        up
    }

    #[actix_web::test]
    async fn a_logout_on_one_server_ends_the_session_on_the_other() {
        if !redis_answers() {
            return;
        }
        let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
        let users = MemoryUsers::with_params(cheap);
        users.add("1", "ann", "pw").unwrap();
        let config = SessionConfig::new(users).secure(false);
        let prefix = format!("dmr-example-{}:", std::process::id());
        let store = store(&format!("redis://{REDIS}"), &prefix).await.unwrap();
        let api = api(config.clone()).unwrap();
        // each server reads the key from its own configuration: the same value, parsed apart
        let server = |key| {
            init_service(
                App::new()
                    .wrap(config.middleware(store.clone(), key))
                    .configure(|c| api.configure(c)),
            )
        };
        let one = server(session_key_from_base64(SESSION_KEY).unwrap()).await;
        let two = server(session_key_from_base64(SESSION_KEY).unwrap()).await;
        // a server that made its own key at startup knows nobody else's sessions
        let alone = server(Key::generate()).await;

        let ann = login(&one, "/api/auth/login/", "ann", "pw").await;
        let me = || {
            ann.apply(TestRequest::get().uri("/api/account/"))
                .to_request()
        };
        assert_eq!(call_service(&two, me()).await.status(), 200);
        assert_eq!(call_service(&alone, me()).await.status(), 401);
        let logout = ann
            .apply(TestRequest::post().uri("/api/auth/logout/"))
            .to_request();
        assert_eq!(call_service(&one, logout).await.status(), 204);
        assert_eq!(call_service(&two, me()).await.status(), 401);
    }
}
