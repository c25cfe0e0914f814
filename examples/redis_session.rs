//! Sessions in Redis, for several servers behind a load balancer: a logout on one server
//! ends the session on all of them. The Redis URL comes from the configuration.
//!
//! ```sh
//! REDIS_URL=redis://127.0.0.1:6379 cargo run -p dmr-examples --example redis_session
//! ```
//!
//! The test runs against the Redis on 127.0.0.1:6379 and skips, saying why, when none
//! answers (`DMR_REQUIRE_REDIS=1` makes that a failure).

use actix_web::cookie::Key;
use actix_web::{App, HttpServer};
use dmr_runtime::backends::session::{
    RedisSessionStore, SessionConfig, SessionLogin, SessionLogout, SessionUser,
};
use dmr_runtime::backends::users::MemoryUsers;
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
async fn main() -> std::io::Result<()> {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let users = MemoryUsers::new();
    users
        .add("1", "ann", "ann-password")
        .map_err(std::io::Error::other)?;
    let config = SessionConfig::new(users).secure(false);
    let store = store(&url, "session:").await?;
    let api = api(config.clone()).map_err(std::io::Error::other)?;
    // Every server must share this key: take it from the configuration in production.
    let key = Key::generate();
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || {
        App::new()
            .wrap(config.middleware(store.clone(), key.clone()))
            .configure(|c| api.configure(c))
    })
    .bind(&addr)?;
    println!("redis_session example on http://{addr}/api/account/ (sessions in {url})");
    server.run().await
}

#[cfg(test)]
mod tests {
    use actix_web::test::{TestRequest, call_service, init_service};
    use dmr_runtime::backends::users::Argon2Params;
    use dmr_runtime::testing::login;

    use super::*;

    const REDIS: &str = "127.0.0.1:6379";

    fn redis_answers() -> bool {
        let up = std::net::TcpStream::connect(REDIS).is_ok();
        let required = std::env::var("DMR_REQUIRE_REDIS").is_ok_and(|v| v == "1");
        assert!(
            up || !required,
            "Redis is required (DMR_REQUIRE_REDIS=1) but nothing listens on {REDIS}"
        );
        if !up {
            eprintln!(
                "skipping: no Redis on {REDIS} (set DMR_REQUIRE_REDIS=1 to make this a failure)"
            );
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
        let key = Key::generate();
        let api = api(config.clone()).unwrap();
        let one = init_service(
            App::new()
                .wrap(config.middleware(store.clone(), key.clone()))
                .configure(|c| api.configure(c)),
        )
        .await;
        let two = init_service(
            App::new()
                .wrap(config.middleware(store.clone(), key.clone()))
                .configure(|c| api.configure(c)),
        )
        .await;

        let ann = login(&one, "/api/auth/login/", "ann", "pw").await;
        let me = || {
            ann.apply(TestRequest::get().uri("/api/account/"))
                .to_request()
        };
        assert_eq!(call_service(&two, me()).await.status(), 200);
        let logout = ann
            .apply(TestRequest::post().uri("/api/auth/logout/"))
            .to_request();
        assert_eq!(call_service(&one, logout).await.status(), 204);
        assert_eq!(call_service(&two, me()).await.status(), 401);
    }
}
