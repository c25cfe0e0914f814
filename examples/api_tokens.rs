//! Opaque API tokens on SQLite: a client exchanges its credentials for a token once (only a
//! salted HMAC of it is stored), then sends it in `X-API-Token`; tokens can be listed and
//! revoked. The token configuration is application state.
//!
//! ```sh
//! TOKEN_SECRET=$(head -c 32 /dev/urandom | base64) cargo run -p dmr-examples --example api_tokens
//! TOKEN=$(curl -s -H 'content-type: application/json' \
//!      -d '{"username":"ann","password":"ann-password"}' http://127.0.0.1:8080/api/tokens/ | jq -r .token)
//! curl -H "X-API-Token: $TOKEN" http://127.0.0.1:8080/api/me/          # ann
//! curl -X DELETE -H "X-API-Token: $TOKEN" http://127.0.0.1:8080/api/tokens/current/   # 204
//! ```

use std::process::ExitCode;

use actix_web::{App, HttpServer};
use dmr_runtime::backends::tokens::{
    ApiTokens, SqliteTokens, TokenHasher, TokenManage, TokenObtain, TokenUser,
};
use dmr_runtime::backends::users::MemoryUsers;
use dmr_runtime::prelude::*;

pub struct Me;

#[controller(path = "/api/me", auth = [|tokens: &ApiTokens| tokens.header()])]
impl Me {
    #[endpoint(get, path = "/")]
    async fn me(user: Authed<TokenUser>) -> String {
        user.username.clone()
    }
}

fn api(tokens: ApiTokens) -> Result<Api, ApiError> {
    Api::new()
        .state(tokens) // read by `Me` and by the token controllers
        .scope("/api/tokens", |s| {
            s.controller::<TokenObtain>().controller::<TokenManage>()
        })
        .controller::<Me>()
        .build()
}

fn tokens(secret: &str, users: MemoryUsers) -> Result<ApiTokens, Box<dyn std::error::Error>> {
    let store = SqliteTokens::open_in_memory()?; // `SqliteTokens::open(path)` for a file
    Ok(ApiTokens::new(store, users, TokenHasher::new(secret)))
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("api_tokens: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("TOKEN_SECRET")
        .map_err(|_| "set TOKEN_SECRET, the HMAC secret of stored tokens")?;
    let users = MemoryUsers::new();
    users.add("1", "ann", "ann-password")?;
    let tokens = tokens(&secret, users)?;
    let api = api(tokens)?;
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || App::new().configure(|c| api.configure(c)))
        .bind(&addr)
        .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("api_tokens example on http://{addr}/api/me/ (tokens at /api/tokens/)");
    server.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::test::{
        TestRequest, call_and_read_body_json, call_service, init_service, read_body,
    };
    use dmr_runtime::backends::users::Argon2Params;

    use super::*;

    #[actix_web::test]
    async fn a_token_is_issued_once_used_and_revoked() {
        let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
        let users = MemoryUsers::with_params(cheap);
        users.add("1", "ann", "pw").unwrap();
        let api = api(tokens("a test secret", users).unwrap()).unwrap();
        let app = init_service(App::new().configure(|c| api.configure(c))).await;

        let obtain = TestRequest::post()
            .uri("/api/tokens/")
            .set_json(serde_json::json!({"username": "ann", "password": "pw"}));
        let body: serde_json::Value = call_and_read_body_json(&app, obtain.to_request()).await;
        let token = body["token"]
            .as_str()
            .expect("the raw token, shown once")
            .to_owned();

        let me = || {
            TestRequest::get()
                .uri("/api/me/")
                .insert_header(("X-API-Token", token.clone()))
        };
        let resp = call_service(&app, me().to_request()).await;
        assert_eq!(read_body(resp).await, "ann");

        let revoke = TestRequest::delete()
            .uri("/api/tokens/current/")
            .insert_header(("X-API-Token", token.clone()));
        assert_eq!(call_service(&app, revoke.to_request()).await.status(), 204);
        assert_eq!(call_service(&app, me().to_request()).await.status(), 401);
    }
}
