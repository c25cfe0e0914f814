//! JWT for a browser app: obtain and refresh set `HttpOnly` cookies (the refresh cookie only
//! reaches the refresh endpoint), the cookie JWT auth checks CSRF on unsafe methods, logout
//! revokes the login in the blocklist and clears the cookies. The issuer is application state.
//!
//! ```sh
//! JWT_SECRET=$(head -c 32 /dev/urandom | base64) cargo run -p dmr-examples --example jwt_cookie
//! curl -c jar -H 'content-type: application/json' \
//!      -d '{"username":"ann","password":"ann-password"}' http://127.0.0.1:8080/api/jwt/obtain/
//! curl -b jar http://127.0.0.1:8080/api/profile/                               # profile of 1
//! curl -b jar -X POST http://127.0.0.1:8080/api/profile/                       # 403: CSRF token missing
//! ```

use std::process::ExitCode;

use actix_web::{App, HttpServer};
use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist};
use dmr_runtime::backends::jwt::{
    JwtAuth, JwtCookies, JwtIssuer, JwtLogout, JwtObtain, JwtRefresh, JwtToken, NoLoader,
};
use dmr_runtime::backends::users::MemoryUsers;
use dmr_runtime::prelude::*;

/// The cookie variant of the issuer's own verifier, sharing its blocklist.
fn cookie_auth(issuer: &JwtIssuer, blocklist: &Blocklist) -> JwtAuth<NoLoader, Blocklist> {
    issuer
        .verifier()
        .clone()
        .from_cookie()
        .blocklist(blocklist.clone())
}

pub struct Profile;

#[controller(path = "/api/profile", auth = [|i: &JwtIssuer, b: &Blocklist| cookie_auth(i, b)])]
impl Profile {
    #[endpoint(get, path = "/")]
    async fn show(token: Authed<JwtToken>) -> String {
        format!("profile of {}", token.sub)
    }

    /// An unsafe method: the cookie must come with the CSRF token.
    #[endpoint(post, path = "/")]
    async fn update(token: Authed<JwtToken>) -> String {
        format!("profile of {} updated", token.sub)
    }
}

fn api(
    secret: &str,
    users: MemoryUsers,
    secure_cookies: bool,
) -> Result<Api, Box<dyn std::error::Error>> {
    let blocklist = Blocklist::new(MemoryBlocklist::default());
    let issuer = JwtIssuer::hs256(secret, users)?
        .blocklist(blocklist.clone())
        .rotate_refresh_tokens(true)?
        .cookies(JwtCookies::new("/api/jwt/refresh/").secure(secure_cookies));
    let api = Api::new()
        .state(issuer) // read by `Profile` and, as `Data<JwtIssuer>`, by the views
        .state(blocklist)
        .scope("/api/jwt", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtLogout>()
        })
        .controller::<Profile>()
        .build()?;
    Ok(api)
}

#[actix_web::main]
async fn main() -> ExitCode {
    // a configuration error is one line that says what to fix, and a non-zero exit status
    if let Err(err) = serve().await {
        eprintln!("jwt_cookie: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("JWT_SECRET").map_err(|_| "set JWT_SECRET (32 bytes or more)")?;
    let users = MemoryUsers::new();
    users.add("1", "ann", "ann-password")?;
    // Plain HTTP on localhost here; behind TLS keep `Secure` cookies (the default).
    let api = api(&secret, users, false)?;
    let addr = std::env::var("DMR_EXAMPLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let server = HttpServer::new(move || App::new().configure(|c| api.configure(c)))
        .bind(&addr)
        .map_err(|e| format!("cannot listen on {addr} (DMR_EXAMPLE_ADDR): {e}"))?;
    println!("jwt_cookie example on http://{addr}/api/profile/ (obtain at /api/jwt/obtain/)");
    server.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::cookie::Cookie;
    use actix_web::test::{TestRequest, call_service, init_service, read_body};
    use dmr_runtime::backends::users::Argon2Params;

    use super::*;

    const SECRET: &str = "a test secret of thirty-two bytes or more";

    #[actix_web::test]
    async fn cookies_carry_the_login_and_unsafe_methods_need_csrf() {
        let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
        let users = MemoryUsers::with_params(cheap);
        users.add("1", "ann", "pw").unwrap();
        let api = api(SECRET, users, false).unwrap();
        let app = init_service(App::new().configure(|c| api.configure(c))).await;

        let obtain = TestRequest::post()
            .uri("/api/jwt/obtain/")
            .set_json(serde_json::json!({"username": "ann", "password": "pw"}));
        let resp = call_service(&app, obtain.to_request()).await;
        assert_eq!(resp.status(), 200);
        let cookies: Vec<Cookie<'static>> =
            resp.response().cookies().map(|c| c.into_owned()).collect();
        let access = cookies
            .iter()
            .find(|c| c.name() == "access_token")
            .expect("access cookie");
        assert_eq!(access.http_only(), Some(true));
        let refresh = cookies
            .iter()
            .find(|c| c.name() == "refresh_token")
            .expect("refresh cookie");
        assert_eq!(refresh.path(), Some("/api/jwt/refresh/"));
        let csrf = cookies
            .iter()
            .find(|c| c.name() == "csrftoken")
            .expect("CSRF cookie");

        let with_cookies = |req: TestRequest| req.cookie(access.clone()).cookie(csrf.clone());
        let resp = call_service(
            &app,
            with_cookies(TestRequest::get().uri("/api/profile/")).to_request(),
        )
        .await;
        assert_eq!(read_body(resp).await, "profile of 1");

        let resp = call_service(
            &app,
            with_cookies(TestRequest::post().uri("/api/profile/")).to_request(),
        )
        .await;
        assert_eq!(resp.status(), 403);

        let post = with_cookies(TestRequest::post().uri("/api/profile/"))
            .insert_header(("X-CSRFToken", csrf.value().to_owned()));
        let resp = call_service(&app, post.to_request()).await;
        assert_eq!(read_body(resp).await, "profile of 1 updated");

        let anonymous =
            call_service(&app, TestRequest::get().uri("/api/profile/").to_request()).await;
        assert_eq!(anonymous.status(), 401);
    }
}
