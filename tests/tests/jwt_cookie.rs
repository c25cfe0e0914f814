//! The cookie transport: the cookie JWT auth (CSRF before decoding, only when the cookie is
//! there) on async and sync endpoints, and the cookie mode of the credential views.

mod jwt_support;

use actix_web::cookie::{Cookie, SameSite};
use dmr_runtime::backends::csrf::new_secret;
use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist};
use dmr_runtime::backends::jwt::{
    JwtAuth, JwtCookies, JwtIssuer, JwtLogout, JwtLogoutSync, JwtObtain, JwtObtainSync, JwtRefresh,
    JwtRefreshSync, JwtToken, JwtUser,
};
use dmr_runtime::backends::users::{Argon2Params, MemoryUsers};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, Seen, TestServer, send, serve_with};
use jwt_support::*;
use serde_json::{Value, json};

struct Guarded;

#[controller(path = "/g")]
impl Guarded {
    #[endpoint(get, path = "/")]
    async fn read(info: AuthInfo) -> String {
        who(&info)
    }

    #[endpoint(post, path = "/")]
    async fn write(info: AuthInfo) -> String {
        who(&info)
    }
}

struct SyncGuarded;

#[controller(path = "/sync")]
impl SyncGuarded {
    #[endpoint(get, path = "/")]
    fn read(info: AuthInfo) -> String {
        who(&info)
    }

    #[endpoint(post, path = "/")]
    fn write(info: AuthInfo) -> String {
        who(&info)
    }
}

fn who(info: &AuthInfo) -> String {
    let sub = info
        .identity::<JwtToken>()
        .map(|t| t.sub.clone())
        .or_else(|| info.identity::<JwtUser<String>>().map(|u| u.user.clone()))
        .unwrap_or_default();
    format!("{}:{sub}", info.scheme())
}

/// A sync controller whose cookie auth loads a user (a blocking loader).
struct Loaded;

#[controller(path = "/loaded", auth = [loaded_auth()])]
impl Loaded {
    #[endpoint(get, path = "/")]
    fn read(user: Authed<JwtUser<String>>) -> String {
        user.user.clone()
    }
}

type LoadFn = fn(&JwtToken) -> Result<Option<String>, dmr_runtime::auth::AuthError>;

fn load(token: &JwtToken) -> Result<Option<String>, dmr_runtime::auth::AuthError> {
    Ok((token.sub == "1").then(|| "admin".to_owned()))
}

fn loaded_auth() -> JwtAuth<dmr_runtime::backends::jwt::SyncLoader<LoadFn>> {
    JwtAuth::hs256(SECRET)
        .unwrap()
        .cookie_name("session_jwt")
        .scheme_name("jwt_cookie_loaded")
        .with_user_loader(load as LoadFn)
}

fn cookie_auth(blocklist: &Blocklist) -> JwtAuth<dmr_runtime::backends::jwt::NoLoader, Blocklist> {
    JwtAuth::hs256(SECRET)
        .unwrap()
        .from_cookie()
        .scheme_name("jwt_cookie")
        .blocklist(blocklist.clone())
}

fn users() -> MemoryUsers {
    let cheap = Argon2Params::new(Argon2Params::MIN_M_COST, 1, 1, None).unwrap();
    let users = MemoryUsers::with_params(cheap);
    users.add("1", "admin", "pw").unwrap();
    users
}

/// Cookie auth then header auth on `/g` and `/sync`; cookie-mode views under `/c` (async)
/// and `/cs` (sync).
fn server(blocklist: &Blocklist) -> TestServer {
    let header = JwtAuth::hs256(SECRET).unwrap().blocklist(blocklist.clone());
    let cookie = cookie_auth(blocklist);
    let api = Api::new()
        .scope("", |s| {
            s.auth(cookie)
                .auth(header)
                .controller::<Guarded>()
                .controller::<SyncGuarded>()
        })
        .scope("/c", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtLogout>()
        })
        .scope("/cs", |s| {
            s.controller::<JwtObtainSync>()
                .controller::<JwtRefreshSync>()
                .controller::<JwtLogoutSync>()
        })
        .controller::<Loaded>()
        .build()
        .expect("api builds");
    let issuer = JwtIssuer::hs256(SECRET, users())
        .unwrap()
        .blocklist(blocklist.clone())
        .rotate_refresh_tokens(true)
        .unwrap()
        .cookies(
            JwtCookies::new("/c/refresh/")
                .secure(false)
                .same_site(SameSite::Lax),
        );
    serve_with(api, move || {
        actix_web::App::new().app_data(issuer.app_data())
    })
}

fn token(sub: &str, jti: &str) -> String {
    access(sub, jti)
}

async fn call(
    srv: &TestServer,
    method: &str,
    path: &str,
    cookies: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> (u16, String) {
    let seen = call_seen(srv, method, path, cookies, headers, None).await;
    (seen.status.as_u16(), seen.text())
}

async fn call_seen(
    srv: &TestServer,
    method: &str,
    path: &str,
    cookies: &[(&str, &str)],
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Seen {
    let jar: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let jar = jar.join("; ");
    let mut h: Vec<(&str, &[u8])> = headers.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
    if !cookies.is_empty() {
        h.push(("Cookie", jar.as_bytes()));
    }
    if body.is_some() {
        h.push(("Content-Type", b"application/json"));
    }
    send(srv, method, path, &h, body.map(str::as_bytes)).await
}

fn csrf_failed(reason: &str) -> String {
    json!({"detail": [{"msg": format!("CSRF Failed: {reason}")}]}).to_string()
}

#[actix_rt::test]
async fn the_cookie_auth_checks_csrf_first_and_only_when_the_cookie_is_there() {
    let blocklist = Blocklist::new(MemoryBlocklist::new(100));
    let srv = server(&blocklist);
    let jwt = token("1", "c-1");
    let secret = new_secret();
    for path in ["/g/", "/sync/"] {
        // safe methods need no CSRF
        let cookie = [("access_token", jwt.as_str())];
        assert_eq!(
            call(&srv, "GET", path, &cookie, &[]).await,
            (200, "jwt_cookie:1".into())
        );
        // unsafe: CSRF before anything else
        assert_eq!(
            call(&srv, "POST", path, &cookie, &[]).await,
            (403, csrf_failed("CSRF cookie not set."))
        );
        let garbage = [("access_token", "garbage")];
        assert_eq!(
            call(&srv, "POST", path, &garbage, &[]).await,
            (403, csrf_failed("CSRF cookie not set.")),
            "a garbage cookie without CSRF is a 403, never a decode error"
        );
        let with_csrf = [
            ("access_token", jwt.as_str()),
            ("csrftoken", secret.as_str()),
        ];
        assert_eq!(
            call(&srv, "POST", path, &with_csrf, &[]).await,
            (403, csrf_failed("CSRF token missing."))
        );
        let csrf_header = [("X-CSRFToken", secret.as_str())];
        assert_eq!(
            call(&srv, "POST", path, &with_csrf, &csrf_header).await,
            (200, "jwt_cookie:1".into())
        );
        // after CSRF passed, a bad token is a 401
        let bad = [("access_token", "garbage"), ("csrftoken", secret.as_str())];
        assert_eq!(
            call(&srv, "POST", path, &bad, &csrf_header).await,
            (401, NOT_AUTHENTICATED.into())
        );
        assert_eq!(
            call(&srv, "GET", path, &garbage, &[]).await,
            (401, NOT_AUTHENTICATED.into())
        );
        // the raw token only: `Bearer <token>` in the cookie is not a token
        let prefixed = format!("Bearer {jwt}");
        let prefixed = [("access_token", prefixed.as_str())];
        assert_eq!(call(&srv, "GET", path, &prefixed, &[]).await.0, 401);

        // no cookie, or an empty one: skip, so the header auth after it runs (no CSRF)
        let h = bearer(&jwt);
        let auth = [("Authorization", h.as_str())];
        assert_eq!(
            call(&srv, "POST", path, &[], &auth).await,
            (200, "jwt:1".into())
        );
        let empty = [("access_token", "")];
        assert_eq!(
            call(&srv, "POST", path, &empty, &auth).await,
            (200, "jwt:1".into())
        );
        assert_eq!(
            call(&srv, "POST", path, &[], &[]).await,
            (401, NOT_AUTHENTICATED.into())
        );
    }
    // revoked through the shared blocklist: refused from the cookie too
    use dmr_runtime::backends::jwt::blocklist::Entry;
    blocklist
        .store()
        .insert(Entry::Token("c-1"), now() + 300)
        .unwrap();
    let cookie = [("access_token", jwt.as_str())];
    assert_eq!(call(&srv, "GET", "/g/", &cookie, &[]).await.0, 401);
    assert_eq!(call(&srv, "GET", "/sync/", &cookie, &[]).await.0, 401);
}

#[actix_rt::test]
async fn cookie_name_scheme_name_and_user_loaders_work_as_for_the_header() {
    let srv = server(&Blocklist::new(MemoryBlocklist::new(10)));
    let jwt = token("1", "l-1");
    let named = [("session_jwt", jwt.as_str())];
    assert_eq!(
        call(&srv, "GET", "/loaded/", &named, &[]).await,
        (200, "admin".into())
    );
    let other = [("access_token", jwt.as_str())];
    assert_eq!(call(&srv, "GET", "/loaded/", &other, &[]).await.0, 401);
    let stranger = token("2", "l-2");
    let stranger = [("session_jwt", stranger.as_str())];
    assert_eq!(call(&srv, "GET", "/loaded/", &stranger, &[]).await.0, 401);
}

#[actix_rt::test]
async fn openapi_documents_the_cookie_scheme_as_the_reference() {
    let api = Api::new()
        .scope("", |s| {
            s.auth(JwtAuth::hs256(SECRET).unwrap().from_cookie())
                .controller::<Guarded>()
        })
        .build()
        .unwrap();
    let doc: Value = serde_json::from_str(api.openapi_json()).unwrap();
    // the reference's scheme object, under the cookie's own default name (`jwt_cookie`, so
    // that a header JWT in the same chain keeps `jwt`)
    assert_eq!(
        doc["components"]["securitySchemes"]["jwt_cookie"],
        json!({"type":"apiKey","description":"JWT token auth via cookie","name":"access_token","in":"cookie"})
    );
    let op = &doc["paths"]["/g/"]["post"];
    assert_eq!(op["security"], json!([{"jwt_cookie": []}]));
    assert_eq!(
        op["responses"]["403"]["description"],
        "Raised when CSRF check failed: send the value of the CSRF cookie (`csrftoken` by \
         default) in the `X-CSRFToken` header"
    );
    assert_eq!(
        op["responses"]["401"]["description"],
        "Raised when auth was not successful"
    );
    // a GET is never CSRF-checked: no 403 to document
    let get = &doc["paths"]["/g/"]["get"];
    assert_eq!(get["security"], json!([{"jwt_cookie": []}]));
    assert_eq!(get["responses"]["403"], Value::Null);
    assert!(get["responses"]["401"].is_object());
}

fn set_cookies(seen: &Seen) -> Vec<Cookie<'static>> {
    seen.headers
        .get_all("set-cookie")
        .map(|v| Cookie::parse(v.to_str().unwrap().to_owned()).unwrap())
        .collect()
}

fn find<'a>(cookies: &'a [Cookie<'static>], name: &str) -> &'a Cookie<'static> {
    cookies
        .iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("no {name} cookie in {cookies:?}"))
}

#[actix_rt::test]
async fn cookie_mode_sets_rotates_and_clears_the_cookies() {
    let srv = server(&Blocklist::new(MemoryBlocklist::new(100)));
    for scope in ["/c", "/cs"] {
        let login = json!({"username": "admin", "password": "pw"}).to_string();
        let seen = call_seen(
            &srv,
            "POST",
            &format!("{scope}/obtain/"),
            &[],
            &[],
            Some(&login),
        )
        .await;
        assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());
        let body = seen.json();
        let cookies = set_cookies(&seen);
        let access = find(&cookies, "access_token");
        assert_eq!(access.value(), body["access_token"].as_str().unwrap());
        assert_eq!(
            (
                access.http_only(),
                access.path(),
                access.same_site(),
                access.secure()
            ),
            (Some(true), Some("/"), Some(SameSite::Lax), None)
        );
        assert_eq!(
            access.max_age(),
            Some(actix_web::cookie::time::Duration::days(1))
        );
        let refresh = find(&cookies, "refresh_token");
        assert_eq!(refresh.value(), body["refresh_token"].as_str().unwrap());
        assert_eq!(
            (refresh.http_only(), refresh.path()),
            (Some(true), Some("/c/refresh/"))
        );
        let csrf = find(&cookies, "csrftoken");
        assert_eq!((csrf.http_only(), csrf.value().len()), (None, 32));
        let (access, refresh, csrf) = (
            access.value().to_owned(),
            refresh.value().to_owned(),
            csrf.value().to_owned(),
        );

        // the access cookie works on the cookie-guarded endpoints
        let jar = [
            ("access_token", access.as_str()),
            ("csrftoken", csrf.as_str()),
        ];
        let h = [("X-CSRFToken", csrf.as_str())];
        assert_eq!(
            call(&srv, "POST", "/g/", &jar, &h).await,
            (200, "jwt_cookie:1".into())
        );

        // refresh from the cookie alone (no body): CSRF required
        let refresh_jar = [
            ("refresh_token", refresh.as_str()),
            ("csrftoken", csrf.as_str()),
        ];
        let path = format!("{scope}/refresh/");
        let no_csrf = call_seen(&srv, "POST", &path, &refresh_jar, &[], None).await;
        assert_eq!(
            (no_csrf.status.as_u16(), no_csrf.text()),
            (403, csrf_failed("CSRF token missing."))
        );
        let seen = call_seen(&srv, "POST", &path, &refresh_jar, &h, None).await;
        assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());
        let rotated = set_cookies(&seen);
        let new_access = find(&rotated, "access_token").value().to_owned();
        let new_refresh = find(&rotated, "refresh_token").value().to_owned();
        assert_ne!(new_refresh, refresh);
        assert_eq!(seen.json()["refresh_token"], new_refresh.as_str());
        assert!(
            rotated.iter().all(|c| c.name() != "csrftoken"),
            "the CSRF secret stays"
        );

        // logout from the cookie: CSRF, then 204 and three removal cookies
        let jar = [
            ("access_token", new_access.as_str()),
            ("csrftoken", csrf.as_str()),
        ];
        let logout = format!("{scope}/logout/");
        let refused = call_seen(&srv, "POST", &logout, &jar, &[], None).await;
        assert_eq!(refused.status.as_u16(), 403);
        let seen = call_seen(&srv, "POST", &logout, &jar, &h, None).await;
        assert_eq!(seen.status.as_u16(), 204, "{}", seen.text());
        let cleared = set_cookies(&seen);
        for name in ["access_token", "refresh_token", "csrftoken"] {
            let c = find(&cleared, name);
            assert_eq!(c.value(), "");
            assert_eq!(c.max_age(), Some(actix_web::cookie::time::Duration::ZERO));
        }
        assert_eq!(find(&cleared, "refresh_token").path(), Some("/c/refresh/"));
        // the access token and its whole login are revoked
        assert_eq!(
            call(
                &srv,
                "GET",
                "/g/",
                &[("access_token", new_access.as_str())],
                &[]
            )
            .await
            .0,
            401
        );
        let again = call_seen(
            &srv,
            "POST",
            &path,
            &[
                ("refresh_token", new_refresh.as_str()),
                ("csrftoken", csrf.as_str()),
            ],
            &h,
            None,
        )
        .await;
        assert_eq!(again.status.as_u16(), 401);
    }
}

#[actix_rt::test]
async fn secure_is_the_default_of_cookie_mode() {
    let cookies = JwtCookies::new("/r/");
    let issuer = JwtIssuer::hs256(SECRET, users()).unwrap().cookies(cookies);
    let api = Api::new()
        .scope("", |s| s.controller::<JwtObtain>())
        .build()
        .unwrap();
    let srv = serve_with(api, move || {
        actix_web::App::new().app_data(issuer.app_data())
    });
    let login = json!({"username": "admin", "password": "pw"}).to_string();
    let seen = call_seen(&srv, "POST", "/obtain/", &[], &[], Some(&login)).await;
    let cookies = set_cookies(&seen);
    for name in ["access_token", "refresh_token", "csrftoken"] {
        let c = find(&cookies, name);
        assert_eq!(
            (c.secure(), c.same_site()),
            (Some(true), Some(SameSite::Strict)),
            "{name}"
        );
    }
}

#[actix_rt::test]
async fn logout_reads_the_refresh_cookie_when_it_reaches_it() {
    let srv = server(&Blocklist::new(MemoryBlocklist::new(100)));
    let login = json!({"username": "admin", "password": "pw"}).to_string();
    let seen = call_seen(&srv, "POST", "/c/obtain/", &[], &[], Some(&login)).await;
    let cookies = set_cookies(&seen);
    let refresh = find(&cookies, "refresh_token").value().to_owned();
    let csrf = find(&cookies, "csrftoken").value().to_owned();
    let jar = [
        ("refresh_token", refresh.as_str()),
        ("csrftoken", csrf.as_str()),
    ];
    let h = [("X-CSRFToken", csrf.as_str())];
    // a refresh cookie is a browser-sent credential: CSRF first
    let refused = call_seen(&srv, "POST", "/c/logout/", &jar, &[], None).await;
    assert_eq!(
        (refused.status.as_u16(), refused.text()),
        (403, csrf_failed("CSRF token missing."))
    );
    let out = call_seen(&srv, "POST", "/cs/logout/", &jar, &h, None).await;
    assert_eq!(out.status.as_u16(), 204, "{}", out.text());
    let again = call_seen(&srv, "POST", "/c/refresh/", &jar, &h, None).await;
    assert_eq!(again.status.as_u16(), 401);
}
