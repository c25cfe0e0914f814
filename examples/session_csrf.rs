//! Session login and logout with CSRF protection; the session configuration (its user
//! store) is application state, read by the controllers' auth and by the login views.
//!
//! ```sh
//! cargo run -p dmr-examples --example session_csrf
//! curl -c jar -H 'content-type: application/json' \
//!      -d '{"username":"ann","password":"ann-password"}' http://127.0.0.1:8080/api/auth/login/
//! curl -b jar http://127.0.0.1:8080/api/notes/                                   # notes of 1
//! curl -b jar -X POST http://127.0.0.1:8080/api/notes/                           # 403: CSRF token missing
//! curl -b jar -X POST -H "X-CSRFToken: $(awk '/csrftoken/ {print $7}' jar)" http://127.0.0.1:8080/api/notes/
//! ```

use std::process::ExitCode;

use actix_web::cookie::Key;
use actix_web::{App, HttpServer};
use dmr_runtime::backends::session::{
    MemorySessionStore, SessionConfig, SessionLogin, SessionLogout, SessionUser,
    session_key_from_base64,
};
use dmr_runtime::backends::users::MemoryUsers;
use dmr_runtime::prelude::*;

pub struct Notes;

#[controller(path = "/api/notes", auth = [|sessions: &SessionConfig| sessions.auth()])]
impl Notes {
    /// The notes of the logged-in user.
    #[endpoint(get, path = "/")]
    async fn list(user: Authed<SessionUser>) -> String {
        format!("notes of {}", user.id)
    }

    /// Adds a note: an unsafe method, so the session must come with the CSRF token.
    #[endpoint(post, path = "/")]
    async fn add(user: Authed<SessionUser>) -> String {
        format!("note added by {}", user.id)
    }
}

fn api(sessions: SessionConfig) -> Result<Api, ApiError> {
    Api::new()
        .state(sessions) // read by `Notes` and, as `Data<SessionConfig>`, by the login views
        .scope("/api/auth", |s| {
            s.controller::<SessionLogin>().controller::<SessionLogout>()
        })
        .controller::<Notes>()
        .build()
}

fn sessions(users: MemoryUsers, secure_cookies: bool) -> SessionConfig {
    SessionConfig::new(users).secure(secure_cookies)
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("session_csrf: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let users = MemoryUsers::new();
    let password = std::env::var("ANN_PASSWORD").unwrap_or_else(|_| "ann-password".into());
    users.add("1", "ann", &password)?;
    // Plain HTTP on localhost here; behind TLS keep the default `secure(true)`.
    let config = sessions(users, false);
    let api = api(config.clone())?;
    // Sessions live in the process's memory (logout ends them); the cookie holds the session
    // id, encrypted with this key: give it in `SESSION_KEY` (`openssl rand -base64 64`).
    let key = match std::env::var("SESSION_KEY") {
        Ok(value) => session_key_from_base64(&value)?,
        Err(_) => {
            println!("SESSION_KEY is not set: a new key, so a restart ends every session");
            Key::generate()
        }
    };
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || {
        App::new()
            // the process's store: the same sessions for every worker
            .wrap(config.middleware(MemorySessionStore::default(), key.clone()))
            .configure(|c| api.configure(c))
    })
    .bind(&addr)
    .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("session_csrf example on http://{addr}/api/notes/ (log in at /api/auth/login/)");
    server.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::test::{TestRequest, call_service, init_service, read_body};
    use dmr_runtime::backends::users::Argon2Params;
    use dmr_runtime::testing::login;

    use super::*;

    fn config() -> SessionConfig {
        // the cheapest Argon2 costs: these tests exercise the flow, not the hash
        let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
        let users = MemoryUsers::with_params(cheap);
        users.add("1", "ann", "pw").unwrap();
        sessions(users, false)
    }

    #[actix_web::test]
    async fn a_logged_in_user_posts_with_the_csrf_token_and_only_with_it() {
        let config = config();
        let api = api(config.clone()).unwrap();
        let app = init_service(
            App::new()
                .wrap(config.middleware(MemorySessionStore::new(), Key::generate()))
                .configure(|c| api.configure(c)),
        )
        .await;
        let ann = login(&app, "/api/auth/login/", "ann", "pw").await;

        let resp = call_service(
            &app,
            ann.apply(TestRequest::post().uri("/api/notes/"))
                .to_request(),
        )
        .await;
        assert_eq!(resp.status(), 200);
        assert_eq!(read_body(resp).await, "note added by 1");

        let mut no_token = TestRequest::post().uri("/api/notes/");
        for cookie in ann.cookies() {
            no_token = no_token.cookie(cookie.clone());
        }
        let resp = call_service(&app, no_token.to_request()).await;
        assert_eq!(resp.status(), 403);
        assert_eq!(
            read_body(resp).await,
            r#"{"detail":[{"msg":"CSRF Failed: CSRF token missing."}]}"#
        );

        let anonymous =
            call_service(&app, TestRequest::get().uri("/api/notes/").to_request()).await;
        assert_eq!(anonymous.status(), 401);
    }
}
