//! JWT in the `Authorization` header, verified with a key from the configuration; the test
//! mints tokens with the same key and replaces the auth with a fixed identity.
//!
//! The tokens come from whoever holds the same secret (your login service); for a try,
//! `-- token <sub>` prints one, valid for an hour, signed with `JWT_SECRET`:
//!
//! ```sh
//! export JWT_SECRET=$(head -c 32 /dev/urandom | base64)
//! cargo run -p dmr-examples --example jwt_header &
//! TOKEN=$(cargo run -q -p dmr-examples --example jwt_header -- token 42)
//! curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/articles/   # ["first article of 42"]
//! ```

use std::process::ExitCode;

use actix_web::web::Json;
use actix_web::{App, HttpServer};
use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError, JwtToken};
use dmr_runtime::prelude::*;

/// Keys read from the configuration at startup.
pub struct Keys {
    jwt_secret: String,
}

impl Keys {
    fn from_env() -> Result<Self, String> {
        let jwt_secret =
            std::env::var("JWT_SECRET").map_err(|_| "set JWT_SECRET (32 bytes or more)")?;
        Ok(Self { jwt_secret })
    }

    /// The verifier: HS256 with this secret, five seconds of leeway for clock skew.
    fn jwt(&self) -> Result<JwtAuth, JwtConfigError> {
        Ok(JwtAuth::hs256(self.jwt_secret.as_bytes())?.leeway(5))
    }
}

pub struct Articles;

#[controller(path = "/api/articles", auth = [|keys: &Keys| keys.jwt()])]
impl Articles {
    /// The articles of the token's subject.
    #[endpoint(get, path = "/")]
    async fn list(token: Authed<JwtToken>) -> Json<Vec<String>> {
        Json(vec![format!("first article of {}", token.sub)])
    }
}

fn api(keys: Keys) -> ApiBuilder {
    Api::new().state(keys).controller::<Articles>()
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("jwt_header: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let keys = Keys::from_env()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [command, sub] = &args[..]
        && command == "token"
    {
        let hour = std::time::Duration::from_secs(3600);
        println!(
            "{}",
            JwtToken::new(sub, hour).encode_hs256(&keys.jwt_secret)?
        );
        return Ok(());
    }
    let api = api(keys).build()?; // a short secret stops here
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || App::new().configure(|c| api.configure(c)))
        .bind(&addr)
        .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("jwt_header example on http://{addr}/api/articles/");
    server.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use actix_web::test::{TestRequest, call_and_read_body, call_service, init_service};
    use dmr_runtime::testing::{AuthOverride, JwtMinter};

    use super::*;

    const SECRET: &str = "a test secret of thirty-two bytes or more";

    fn keys() -> Keys {
        Keys {
            jwt_secret: SECRET.into(),
        }
    }

    #[actix_web::test]
    async fn a_token_signed_with_the_apis_key_gets_in() {
        let api = api(keys()).build().unwrap();
        let app = init_service(App::new().configure(|c| api.configure(c))).await;
        let minter = JwtMinter::hs256(SECRET).unwrap();

        let req = TestRequest::get()
            .uri("/api/articles/")
            .insert_header(minter.bearer("ann").unwrap());
        assert_eq!(
            call_and_read_body(&app, req.to_request()).await,
            r#"["first article of ann"]"#
        );

        let other = JwtMinter::hs256("another secret, thirty-two bytes or more").unwrap();
        let req = TestRequest::get()
            .uri("/api/articles/")
            .insert_header(other.bearer("ann").unwrap());
        assert_eq!(call_service(&app, req.to_request()).await.status(), 401);
    }

    #[actix_web::test]
    async fn the_auth_can_be_replaced_by_a_fixed_identity() {
        let claims = JwtToken::new("fixed", Duration::from_secs(60));
        let api = api(keys())
            .override_auth::<Articles>(AuthOverride::identity("jwt", claims))
            .build()
            .unwrap();
        let app = init_service(App::new().configure(|c| api.configure(c))).await;
        let req = TestRequest::get().uri("/api/articles/");
        assert_eq!(
            call_and_read_body(&app, req.to_request()).await,
            r#"["first article of fixed"]"#
        );
    }

    #[test]
    fn a_short_secret_stops_the_build() {
        let err = api(Keys {
            jwt_secret: "short".into(),
        })
        .build()
        .err()
        .unwrap();
        assert!(
            err.to_string().starts_with(
                "auth `JwtAuth` in `auth = [..]` of controller `Articles` cannot be built"
            ),
            "{err}"
        );
    }
}
