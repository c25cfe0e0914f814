//! Several servers behind one load balancer: users and API tokens in PostgreSQL; sessions,
//! revoked JWTs and the login throttles in Redis; every secret from the configuration. Each
//! server is started with the same configuration, and a client may reach any of them:
//!
//! - a session made on one server is recognised on the others, and a logout on one ends it
//!   on all (sessions live in Redis; the cookie is signed with the shared `SESSION_KEY`);
//! - a JWT obtained on one verifies on the others (shared `JWT_SECRET`), and its logout on
//!   one revokes it on all (the blocklist is in Redis);
//! - an API token obtained on one works on the others, and revoking it on one revokes it on
//!   all (tokens are in PostgreSQL, hashed with the shared `TOKEN_SECRET`);
//! - one account and one address have one password-guess budget across all servers (the
//!   login throttles count in Redis).
//!
//! ```sh
//! export DATABASE_URL='host=127.0.0.1 user=postgres dbname=test' REDIS_URL=redis://127.0.0.1:6379
//! export SESSION_KEY=$(openssl rand -base64 64 | tr -d '\n') \
//!        JWT_SECRET=$(openssl rand -base64 32) TOKEN_SECRET=$(openssl rand -base64 32)
//! DMR_EXAMPLE_ADDR=127.0.0.1:8080 cargo run -p dmr-examples --example multi_server &
//! DMR_EXAMPLE_ADDR=127.0.0.1:8081 cargo run -p dmr-examples --example multi_server &
//! curl -c jar -H 'content-type: application/json' \
//!      -d '{"username":"ann","password":"ann-password"}' http://127.0.0.1:8080/api/auth/login/
//! curl -b jar http://127.0.0.1:8081/api/me/           # ann: the other server knows the session
//! ```
//!
//! Its test starts three servers from one configuration against the PostgreSQL and Redis on
//! this machine, and skips, saying why, when either does not answer (`DMR_REQUIRE_POSTGRES=1`
//! and `DMR_REQUIRE_REDIS=1` make that a failure).

use std::process::ExitCode;

use actix_web::cookie::Key;
use actix_web::{App, HttpServer};
use dmr_runtime::backends::credentials::PasswordLogin;
use dmr_runtime::backends::jwt::blocklist::{Blocklist, RedisBlocklist};
use dmr_runtime::backends::jwt::{JwtIssuer, JwtLogout, JwtObtain, JwtToken};
use dmr_runtime::backends::postgres::pg_pool;
use dmr_runtime::backends::session::{
    RedisSessionStore, SessionConfig, SessionLogin, SessionLogout, SessionUser,
    session_key_from_base64,
};
use dmr_runtime::backends::tokens::{
    ApiTokens, PgTokens, TokenHasher, TokenManage, TokenObtain, TokenUser,
};
use dmr_runtime::backends::users::PgUsers;
use dmr_runtime::prelude::*;
use dmr_runtime::throttle::RedisStore;

/// What every server is given, the same on each (from the environment here; a secrets store
/// in production).
pub struct Config {
    /// PostgreSQL (`DATABASE_URL`, libpq key-value or URL form): users and API tokens.
    pub database_url: String,
    /// Redis (`REDIS_URL`): sessions, revoked JWTs, login throttles.
    pub redis_url: String,
    /// The session cookie's key (`SESSION_KEY`, 64 bytes or more in base64).
    pub session_key: String,
    /// The HS256 secret of the JWTs (`JWT_SECRET`, 32 bytes or more).
    pub jwt_secret: String,
    /// The HMAC secret of stored API tokens (`TOKEN_SECRET`).
    pub token_secret: String,
    /// The PostgreSQL schema of the tables, and the prefix of the Redis keys.
    pub namespace: String,
}

impl Config {
    /// Reads the configuration through `var` (`std::env::var` in `main`); a missing value is
    /// an error that names it.
    pub fn read(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let need =
            |name: &str| var(name).ok_or_else(|| format!("set {name} (see the example's docs)"));
        Ok(Self {
            database_url: need("DATABASE_URL")?,
            redis_url: need("REDIS_URL")?,
            session_key: need("SESSION_KEY")?,
            jwt_secret: need("JWT_SECRET")?,
            token_secret: need("TOKEN_SECRET")?,
            namespace: var("DMR_NAMESPACE").unwrap_or_else(|| "shop".into()),
        })
    }
}

/// One server's parts, built from the configuration alone: nothing here is shared with the
/// other servers but the stores and the secrets.
pub struct Server {
    /// The routes.
    pub api: Api,
    /// The session configuration (its middleware wraps the app).
    pub sessions: SessionConfig,
    /// Where sessions live.
    pub store: RedisSessionStore,
    /// The session cookie's key.
    pub key: Key,
}

/// Who is asking, by whichever credential it sent.
pub struct Me;

#[controller(path = "/api/me", auth = [
    |s: &SessionConfig| s.auth(),
    // the issuer's rules, and the revoked tokens (the verifier alone does not read them)
    |i: &JwtIssuer, b: &Blocklist| i.verifier().clone().blocklist(b.clone()),
    |t: &ApiTokens| t.header(),
])]
impl Me {
    /// The user's name (session or token) or id (JWT).
    #[endpoint(get, path = "/")]
    async fn me(
        session: Option<Authed<SessionUser>>,
        jwt: Option<Authed<JwtToken>>,
        token: Option<Authed<TokenUser>>,
    ) -> String {
        match (session, jwt, token) {
            (Some(user), _, _) => user.username.clone(),
            (_, Some(token), _) => token.sub.clone(),
            (_, _, Some(user)) => user.username.clone(),
            _ => unreachable!("the chain admits only these three"),
        }
    }
}

impl Server {
    /// Connects to the stores (creating the tables if missing) and builds the API.
    pub async fn build(config: &Config) -> Result<Self, Box<dyn std::error::Error>> {
        let pool = pg_pool(&config.database_url, 16)?;
        let users = PgUsers::new(pool.clone()).schema(&config.namespace)?;
        users.migrate().await?;
        let tokens = PgTokens::new(pool).schema(&config.namespace)?;
        tokens.migrate().await?;
        let prefix = |what: &str| format!("{}:{what}:", config.namespace);

        // one guess budget per account and address, counted in Redis by every server
        let throttles = RedisStore::new(&config.redis_url)?.prefix(prefix("throttle"));
        let login = PasswordLogin::new(users.clone()).throttle_store(throttles);
        let sessions = SessionConfig::new(users.clone()).password_login(login.clone());
        let blocklist =
            Blocklist::new(RedisBlocklist::new(&config.redis_url)?.prefix(prefix("jwt")));
        let issuer = JwtIssuer::hs256(&config.jwt_secret, users.clone())?
            .password_login(login.clone())
            .blocklist(blocklist.clone());
        let tokens = ApiTokens::new(
            tokens,
            users.clone(),
            TokenHasher::new(&config.token_secret),
        )
        .async_users(users)
        .password_login(login);
        let store_prefix = prefix("session");
        let store = RedisSessionStore::builder(&config.redis_url)
            .cache_keygen(move |key| format!("{store_prefix}{key}"))
            .build()
            .await?;
        let api = Api::new()
            .state(sessions.clone())
            .state(issuer)
            .state(blocklist)
            .state(tokens)
            .scope("/api/auth", |s| {
                s.controller::<SessionLogin>().controller::<SessionLogout>()
            })
            .scope("/api/jwt", |s| {
                s.controller::<JwtObtain>().controller::<JwtLogout>()
            })
            .scope("/api/tokens", |s| {
                s.controller::<TokenObtain>().controller::<TokenManage>()
            })
            .controller::<Me>()
            .build()?;
        Ok(Self {
            api,
            sessions,
            store,
            key: session_key_from_base64(&config.session_key)?,
        })
    }
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("multi_server: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::read(|name| std::env::var(name).ok())?;
    let Server {
        api,
        sessions,
        store,
        key,
    } = Server::build(&config).await?;
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || {
        App::new()
            .wrap(sessions.middleware(store.clone(), key.clone()))
            .configure(|c| api.configure(c))
    })
    .bind(&addr)
    .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("multi_server example on http://{addr}/api/me/");
    server.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::test::{TestRequest, call_service, init_service, read_body};
    use dmr_runtime::testing::login;
    use serde_json::{Value, json};

    use super::*;

    const PASSWORD: &str = "ann-password";

    /// Whether `what` answers at `addr`; when it does not, says so, and fails if `require`
    /// is set to 1.
    fn answers(addr: &str, what: &str, require: &str) -> bool {
        let up = std::net::TcpStream::connect(addr).is_ok();
        if !up {
            let why = format!("no {what} on {addr}");
            dmr_runtime::testing::unavailable("multi_server", &why, require);
        }
        up
    }

    /// `req` with the JSON `body`.
    fn json(req: TestRequest, body: Value) -> actix_http::Request {
        req.set_json(body).to_request()
    }

    #[actix_web::test]
    async fn three_servers_share_sessions_revocations_tokens_and_one_guess_budget() {
        let postgres = answers("127.0.0.1:5432", "PostgreSQL", "DMR_REQUIRE_POSTGRES");
        if !(answers("127.0.0.1:6379", "Redis", "DMR_REQUIRE_REDIS") && postgres) {
            return;
        }
        let nanos = std::time::UNIX_EPOCH.elapsed().unwrap().as_nanos();
        let namespace = format!("dmr_multi_{}_{nanos}", std::process::id());
        let env = [
            ("DATABASE_URL", "host=127.0.0.1 user=postgres dbname=test"),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
            (
                "SESSION_KEY",
                "Zm9yIHRlc3RzIG9ubHk6IGEga2V5IG9mIHNpeHR5LWZvdXIgYnl0ZXMgb3IgbW9yZSwgZnJvbSB0aGUgY29uZmln",
            ),
            (
                "JWT_SECRET",
                "the shared HS256 secret of every server, 32+ bytes",
            ),
            ("TOKEN_SECRET", "the shared HMAC secret of stored tokens"),
            ("DMR_NAMESPACE", &namespace),
        ];
        let config = Config::read(|name| {
            env.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .unwrap();

        // three servers, each built from the configuration alone
        let mut servers = Vec::new();
        for _ in 0..3 {
            let server = Server::build(&config).await.unwrap();
            let Server {
                api,
                sessions,
                store,
                key,
            } = server;
            servers.push(
                init_service(
                    App::new()
                        .wrap(sessions.middleware(store, key))
                        .configure(move |c| api.configure(c)),
                )
                .await,
            );
        }
        let pool = pg_pool(&config.database_url, 2).unwrap();
        let users = PgUsers::new(pool.clone()).schema(&namespace).unwrap();
        users.add("1", "ann", PASSWORD).await.unwrap();
        let [one, two, three] = &servers[..] else {
            unreachable!()
        };
        let me = |req: TestRequest| req.uri("/api/me/").to_request();

        // a session made on one server, known on the others, ended on all by one logout
        let ann = login(one, "/api/auth/login/", "ann", PASSWORD).await;
        for srv in [two, three] {
            let resp = call_service(srv, me(ann.apply(TestRequest::get()))).await;
            assert_eq!(resp.status(), 200);
            assert_eq!(read_body(resp).await, "ann");
        }
        let logout = ann.apply(TestRequest::post().uri("/api/auth/logout/"));
        assert_eq!(call_service(two, logout.to_request()).await.status(), 204);
        for srv in [one, three] {
            let resp = call_service(srv, me(ann.apply(TestRequest::get()))).await;
            assert_eq!(resp.status(), 401);
        }

        // a JWT obtained on one verifies on the others; its logout on one revokes it on all
        let credentials = json!({"username": "ann", "password": PASSWORD});
        let obtain = json(
            TestRequest::post().uri("/api/jwt/obtain/"),
            credentials.clone(),
        );
        let tokens: Value = actix_web::test::call_and_read_body_json(one, obtain).await;
        let access = tokens["access_token"].as_str().unwrap();
        let bearer = ("authorization", format!("Bearer {access}"));
        let resp = call_service(two, me(TestRequest::get().insert_header(bearer.clone()))).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(read_body(resp).await, "1");
        let refresh = json!({"refresh_token": tokens["refresh_token"]});
        let logout = TestRequest::post()
            .uri("/api/jwt/logout/")
            .insert_header(bearer.clone());
        assert_eq!(
            call_service(three, json(logout, refresh)).await.status(),
            204
        );
        for srv in [one, two] {
            let resp =
                call_service(srv, me(TestRequest::get().insert_header(bearer.clone()))).await;
            assert_eq!(resp.status(), 401);
        }

        // an API token obtained on one works on the others; revoked on one, refused on all
        let obtain = json(TestRequest::post().uri("/api/tokens/"), credentials);
        let issued: Value = actix_web::test::call_and_read_body_json(two, obtain).await;
        let header = ("x-api-token", issued["token"].as_str().unwrap().to_owned());
        let resp = call_service(three, me(TestRequest::get().insert_header(header.clone()))).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(read_body(resp).await, "ann");
        let revoke = TestRequest::delete()
            .uri("/api/tokens/current/")
            .insert_header(header.clone());
        assert_eq!(call_service(one, revoke.to_request()).await.status(), 204);
        let resp = call_service(two, me(TestRequest::get().insert_header(header))).await;
        assert_eq!(resp.status(), 401);

        // one guess budget for the account across the servers and the three login endpoints:
        // 10 attempts a minute, 3 of them the logins above
        let logins = ["/api/auth/login/", "/api/jwt/obtain/", "/api/tokens/"];
        for i in 0..7 {
            let wrong = json!({"username": "ann", "password": "wrong"});
            let req = json(TestRequest::post().uri(logins[i % 3]), wrong);
            assert_eq!(
                call_service(&servers[i % 3], req).await.status(),
                401,
                "guess {}",
                i + 1
            );
        }
        for (srv, path) in servers.iter().zip(logins) {
            let right = json!({"username": "ann", "password": PASSWORD});
            let resp = call_service(srv, json(TestRequest::post().uri(path), right)).await;
            assert_eq!(resp.status(), 429, "{path}");
        }

        let db = pool.get().await.unwrap();
        db.batch_execute(&format!("DROP SCHEMA {namespace} CASCADE"))
            .await
            .unwrap();
    }
}
