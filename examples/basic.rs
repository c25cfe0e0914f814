//! HTTP Basic against a user table read from the configuration at startup.
//!
//! ```sh
//! cargo run -p dmr-examples --example basic
//! curl -u ann:ann-password http://127.0.0.1:8080/api/me/     # ann
//! curl -i http://127.0.0.1:8080/api/me/                      # 401, WWW-Authenticate: Basic realm="example"
//! ```

use std::collections::HashMap;
use std::process::ExitCode;

use actix_web::{App, HttpServer};
use dmr_runtime::auth::InlineAuth;
use dmr_runtime::backends::basic::{BasicUser, HttpBasic, constant_time_eq};
use dmr_runtime::prelude::*;

/// The users this service knows, loaded once (from a file, the environment, ..).
pub struct Users(HashMap<String, String>);

impl Users {
    fn from_env() -> Self {
        let password = std::env::var("ANN_PASSWORD").unwrap_or_else(|_| "ann-password".into());
        Self(HashMap::from([("ann".to_owned(), password)]))
    }

    /// A Basic auth that checks this table (the comparison is constant-time).
    fn basic(&self) -> impl InlineAuth<Identity = BasicUser> + use<> {
        let users = self.0.clone();
        HttpBasic::new(move |user, pass| users.get(user).is_some_and(|p| constant_time_eq(pass, p)))
            .realm("example")
    }
}

pub struct Me;

#[controller(path = "/api/me", auth = [|users: &Users| users.basic()])]
impl Me {
    /// Who is asking.
    #[endpoint(get, path = "/")]
    async fn me(user: Authed<BasicUser>) -> String {
        user.username.clone()
    }
}

fn api(users: Users) -> Result<Api, ApiError> {
    Api::new().state(users).controller::<Me>().build()
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("basic: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let api = api(Users::from_env())?;
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || App::new().configure(|c| api.configure(c)))
        .bind(&addr)
        .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("basic example on http://{addr}/api/me/");
    server.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::test::{TestRequest, call_service, init_service, read_body};
    use dmr_runtime::backends::basic::basic_auth;

    use super::*;

    fn users() -> Users {
        Users(HashMap::from([("ann".to_owned(), "pw".to_owned())]))
    }

    #[actix_web::test]
    async fn the_right_password_gets_in_and_others_get_a_challenge() {
        let api = api(users()).unwrap();
        let app = init_service(App::new().configure(|c| api.configure(c))).await;

        let req = TestRequest::get()
            .uri("/api/me/")
            .insert_header(("authorization", basic_auth("ann", "pw")));
        let resp = call_service(&app, req.to_request()).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(read_body(resp).await, "ann");

        let req = TestRequest::get()
            .uri("/api/me/")
            .insert_header(("authorization", basic_auth("ann", "wrong")));
        let resp = call_service(&app, req.to_request()).await;
        assert_eq!(resp.status(), 401);
        assert_eq!(
            resp.headers().get("www-authenticate").unwrap(),
            "Basic realm=\"example\""
        );
        assert_eq!(
            read_body(resp).await,
            r#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#
        );
    }

    #[actix_web::test]
    async fn the_handler_can_be_called_directly() {
        let ann = Authed::new(BasicUser {
            username: "ann".into(),
        });
        assert_eq!(Me::me(ann).await, "ann");
    }
}
