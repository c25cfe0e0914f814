//! JWT cookie mode with `JwtCookies::csrf_renewal`: a malformed CSRF cookie gets a fresh one
//! with the response (the 403 stays as it is), and the next request with the new cookie and
//! its value in `X-CSRFToken` passes: on a cookie-JWT endpoint and on the refresh view.

use actix_web::cookie::{Cookie, SameSite};
use dmr_runtime::backends::csrf::check_token_format;
use dmr_runtime::backends::jwt::{JwtAuth, JwtCookies, JwtIssuer, JwtObtain, JwtRefresh, JwtToken};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;
use dmr_tests::{Seen, TestServer, send, serve_with};
use serde_json::json;

const SECRET: &str = "jwt-cookie-csrf-recovery-0123456789abcdef";

struct Guarded;

#[controller(path = "/g", auth = [JwtAuth::hs256(SECRET).unwrap().from_cookie().scheme_name("jwt_cookie")])]
impl Guarded {
    #[endpoint(post, path = "/")]
    async fn write(token: Authed<JwtToken>) -> String {
        format!("written by {}", token.sub)
    }
}

fn server() -> TestServer {
    let api = Api::new()
        .controller::<Guarded>()
        .scope("/c", |s| {
            s.controller::<JwtObtain>().controller::<JwtRefresh>()
        })
        .build()
        .expect("api builds");
    let users =
        MemoryUsers::with_params(Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap());
    users.add("1", "admin", "pw").unwrap();
    let cookies = JwtCookies::new("/c/refresh/")
        .secure(false)
        .same_site(SameSite::Lax);
    let issuer = JwtIssuer::hs256(SECRET, users)
        .unwrap()
        .cookies(cookies.clone());
    serve_with(api, move || {
        actix_web::App::new()
            .wrap(cookies.csrf_renewal())
            .app_data(issuer.app_data())
    })
}

fn set_cookies(seen: &Seen) -> Vec<Cookie<'static>> {
    seen.headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| Cookie::parse(v.to_owned()).ok())
        .collect()
}

fn cookie(seen: &Seen, name: &str) -> Option<Cookie<'static>> {
    set_cookies(seen).into_iter().find(|c| c.name() == name)
}

async fn post(srv: &TestServer, path: &str, cookies: &[(&str, &str)], csrf: &str) -> Seen {
    let jar: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let jar = jar.join("; ");
    let headers: [(&str, &[u8]); 3] = [
        ("cookie", jar.as_bytes()),
        ("x-csrftoken", csrf.as_bytes()),
        ("content-type", b"application/json"),
    ];
    send(srv, "POST", path, &headers, Some(b"{}")).await
}

fn csrf_failed(reason: &str) -> String {
    json!({"detail": [{"msg": format!("CSRF Failed: {reason}")}]}).to_string()
}

#[actix_rt::test]
async fn a_malformed_csrf_cookie_is_renewed_and_the_retry_passes() {
    let srv = server();
    let body = json!({"username": "admin", "password": "pw"}).to_string();
    let obtained = send(
        &srv,
        "POST",
        "/c/obtain/",
        &[("content-type", b"application/json")],
        Some(body.as_bytes()),
    )
    .await;
    assert_eq!(obtained.status, 200, "{}", obtained.text());
    let access = cookie(&obtained, "access_token").unwrap();
    let refresh = cookie(&obtained, "refresh_token").unwrap();

    for path in ["/g/", "/c/refresh/"] {
        let token = if path == "/g/" { &access } else { &refresh };
        let jar = [(token.name(), token.value()), ("csrftoken", "short")];
        let refused = post(&srv, path, &jar, "short").await;
        assert_eq!(refused.status, 403, "{path}");
        assert_eq!(
            refused.text(),
            csrf_failed("CSRF cookie has incorrect length."),
            "{path}"
        );
        let fresh = cookie(&refused, "csrftoken").expect("a fresh CSRF cookie");
        assert!(check_token_format(fresh.value()).is_ok(), "{fresh}");
        assert_eq!(fresh.same_site(), Some(SameSite::Lax));
        assert_eq!(fresh.path(), Some("/"));
        assert_eq!(fresh.http_only(), None, "scripts read it");

        let jar = [(token.name(), token.value()), ("csrftoken", fresh.value())];
        let passed = post(&srv, path, &jar, fresh.value()).await;
        assert_eq!(passed.status, 200, "{path}: {}", passed.text());
        if path == "/g/" {
            assert_eq!(passed.text(), "written by 1");
            assert!(cookie(&passed, "csrftoken").is_none());
        }
    }
}

#[actix_rt::test]
async fn a_well_formed_csrf_cookie_is_not_renewed() {
    let srv = server();
    let secret = "a".repeat(32);
    let seen = post(&srv, "/g/", &[("csrftoken", &secret)], &secret).await;
    assert_eq!(seen.status, 401, "no token: {}", seen.text());
    assert!(cookie(&seen, "csrftoken").is_none());
}
