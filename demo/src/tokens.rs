//! Opaque API tokens: `POST /api/tokens/` (credentials -> `{"token": raw}`), `GET
//! /api/tokens/`, `DELETE /api/tokens/current/`, `DELETE /api/tokens/`, `GET /api/token/`
//! (`X-API-Token`), `GET /api/token-cookie/` (cookie `token`, CSRF on unsafe methods), and
//! the `tokens issue|list|revoke` command.
//!
//! Tokens live in the SQLite file `DMR_DEMO_TOKENS_DB` (default `dmr-demo.sqlite3`, created
//! if missing; users are the session users), or in PostgreSQL with the users when
//! `DMR_DEMO_DATABASE_URL` is set (schema `dmr_demo`, migrated and seeded at startup).

use std::io::Write as _;
use std::sync::Arc;

use actix_web::web::Json;
use dmr_runtime::backends::postgres::pg_pool;
use dmr_runtime::backends::tokens::{
    ApiTokens, Expiry, PgTokens, SqliteTokens, TokenHasher, TokenManage, TokenObtain, TokenUser,
};
use dmr_runtime::backends::users::{PgUsers, UserStore};
use dmr_runtime::prelude::*;
use serde_json::{Value, json};

use crate::config::DemoConfig;

/// The token configuration: SQLite by default, PostgreSQL with `DMR_DEMO_DATABASE_URL`.
pub async fn config() -> Result<ApiTokens, Box<dyn std::error::Error>> {
    let cfg = DemoConfig::get();
    let hasher = TokenHasher::new(&cfg.token_secret);
    if let Ok(url) = std::env::var("DMR_DEMO_DATABASE_URL") {
        let pool = pg_pool(&url, 16)?;
        let tokens = PgTokens::new(pool.clone()).schema("dmr_demo")?;
        tokens.migrate().await?;
        let users = PgUsers::new(pool).schema("dmr_demo")?;
        users.migrate().await?;
        if users.find_by_username_async(&cfg.user).await?.is_none() {
            users.add("1", &cfg.user, &cfg.password).await?;
        }
        // other users than the session's: a login of their own (the process's password gate)
        let tokens = ApiTokens::new(tokens, users.clone(), hasher).async_users(users);
        return Ok(with_counters(tokens));
    }
    let path = std::env::var("DMR_DEMO_TOKENS_DB").unwrap_or_else(|_| "dmr-demo.sqlite3".into());
    let users: Arc<dyn UserStore> = Arc::clone(crate::session::users_store());
    // the session login's users, gate and throttles: one guess budget per account
    let login = crate::session::password_login().clone();
    let tokens = ApiTokens::new(SqliteTokens::open(path)?, users, hasher).password_login(login);
    Ok(with_counters(tokens))
}

/// `tokens` with its throttles' counters in the demo's Redis, when it has one.
fn with_counters(tokens: ApiTokens) -> ApiTokens {
    match crate::stores::throttle_counters() {
        Some(counters) => tokens.throttle_store(counters),
        None => tokens,
    }
}

/// Mounts the token routes.
pub fn mount(api: ApiBuilder, tokens: ApiTokens) -> ApiBuilder {
    api.state(tokens)
        .scope("/api/tokens", |s| {
            s.controller::<TokenObtain>().controller::<TokenManage>()
        })
        .controller::<TokenHeader>()
        .controller::<TokenCookie>()
}

fn me(user: &TokenUser) -> Json<Value> {
    Json(json!({"user": user.username, "token": user.token.name}))
}

/// `X-API-Token`.
pub struct TokenHeader;

#[controller(path = "/api/token", auth = [|t: &ApiTokens| t.header()])]
impl TokenHeader {
    /// The token's user and name.
    #[endpoint(get, path = "/")]
    async fn get(user: Authed<TokenUser>) -> Json<Value> {
        me(&user)
    }
}

/// The `token` cookie.
pub struct TokenCookie;

#[controller(path = "/api/token-cookie", auth = [|t: &ApiTokens| t.cookie().scheme_name("token_cookie")])]
impl TokenCookie {
    /// The token's user and name.
    #[endpoint(get, path = "/")]
    async fn get(user: Authed<TokenUser>) -> Json<Value> {
        me(&user)
    }
}

/// `dmr-demo tokens issue|list|revoke ..`: prints to stdout; `Err` is the usage or failure.
pub async fn command(args: &[String]) -> Result<(), String> {
    let tokens = config().await.map_err(|e| e.to_string())?;
    let cfg = DemoConfig::get();
    let user_of = |name: Option<&String>| name.cloned().unwrap_or_else(|| cfg.user.clone());
    let user_id = |name: String| {
        let users = Arc::clone(tokens.users());
        async move {
            actix_web::web::block(move || users.find_by_username(&name))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?
                .map(|u| u.id)
                .ok_or_else(|| "no such user".to_owned())
        }
    };
    match args.first().map(String::as_str) {
        Some("issue") => {
            let id = user_id(user_of(args.get(1))).await?;
            let (_, raw) = tokens
                .issue(&id, None, Expiry::Default)
                .await
                .map_err(|e| e.to_string())?;
            println!("{raw}");
        }
        Some("list") => {
            let id = user_id(user_of(args.get(1))).await?;
            let mut out = std::io::stdout().lock();
            for t in tokens.list(&id).await.map_err(|e| e.to_string())? {
                let line = serde_json::to_string(&t).map_err(|e| e.to_string())?;
                // a reader that has read enough (`| head -1`) ends the listing, not a panic
                if writeln!(out, "{line}").is_err() {
                    break;
                }
            }
        }
        Some("revoke") => {
            let token: i64 = args
                .get(1)
                .and_then(|a| a.parse().ok())
                .ok_or("usage: dmr-demo tokens revoke <id> [user]")?;
            let id = user_id(user_of(args.get(2))).await?;
            if !tokens.revoke(token, &id).await.map_err(|e| e.to_string())? {
                return Err(format!("no token {token} for that user"));
            }
            println!("revoked {token}");
        }
        _ => {
            return Err(
                "usage: dmr-demo tokens issue [user] | list [user] | revoke <id> [user]".into(),
            );
        }
    }
    Ok(())
}
