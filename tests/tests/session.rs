//! Session auth through a real server with the cookie session store: login, calls with the
//! session on async and sync endpoints, inactive users, logout.

mod session_support;

use dmr_runtime::backends::basic::basic_auth;
use dmr_runtime::backends::session::SessionConfig;
use dmr_tests::NOT_AUTHENTICATED;
use session_support::*;

#[actix_rt::test]
async fn login_sets_session_and_csrf_cookies() {
    let srv = server(&config(users()));
    let mut jar = Jar::default();
    let seen = login(&srv, &mut jar, "admin", PASS).await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.text(), r#"{"user_id":"1"}"#);
    let cookies = set_cookies(&seen);
    let mut names: Vec<&str> = cookies.iter().map(|c| c.name()).collect();
    names.sort_unstable();
    assert_eq!(names, ["csrftoken", "sessionid"]);
    let session = cookies.iter().find(|c| c.name() == "sessionid").unwrap();
    assert_eq!(session.http_only(), Some(true));
    assert_eq!(session.same_site(), Some(actix_web::cookie::SameSite::Lax));
    assert_eq!(session.secure(), None);
    assert_eq!(session.path(), Some("/"));
    let csrf = cookies.iter().find(|c| c.name() == "csrftoken").unwrap();
    assert_eq!(csrf.value().len(), 32);
    assert!(csrf.value().bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_ne!(
        csrf.http_only(),
        Some(true),
        "scripts must read the CSRF cookie"
    );
    assert_eq!(csrf.same_site(), Some(actix_web::cookie::SameSite::Lax));
    assert_eq!(
        csrf.max_age(),
        Some(actix_web::cookie::time::Duration::seconds(31_449_600))
    );
    // the password never comes back
    assert!(!seen.text().contains(PASS));
}
#[actix_rt::test]
async fn secure_cookies_when_configured() {
    let srv = server(&SessionConfig::new(users()));
    let seen = login(&srv, &mut Jar::default(), "admin", PASS).await;
    let cookies = set_cookies(&seen);
    assert_eq!(cookies.len(), 2);
    assert!(
        cookies.iter().all(|c| c.secure() == Some(true)),
        "{cookies:?}"
    );
}
#[actix_rt::test]
async fn bad_credentials_are_the_standard_401_without_cookies() {
    let srv = server(&config(users()));
    // longer than any real password (4096 bytes) but within the 8 KiB body limit: not hashed
    let huge = "p".repeat(5000);
    for (user, pass) in [
        ("admin", "wrong"),
        ("nobody", PASS),
        ("inactive", PASS),
        ("", ""),
        ("admin", huge.as_str()),
    ] {
        let seen = login(&srv, &mut Jar::default(), user, pass).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned()),
            "{user}"
        );
        assert_eq!(seen.header("content-type"), Some("application/json"));
        assert!(set_cookies(&seen).is_empty(), "{user}: {:?}", seen.headers);
    }
}
#[actix_rt::test]
async fn malformed_login_bodies_are_400_and_never_echo_the_password() {
    let srv = server(&config(users()));
    let json = [("content-type", "application/json")];
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&json, r#"{"username":"admin"}"#),
        (&json, r#"{"username":"admin","password":918273645}"#),
        (
            &json,
            r#"{"username":["admin"],"password":"s3cr3t-918273645"}"#,
        ),
        (
            &json,
            r#"{"username":"admin","password":"s3cr3t-918273645""#,
        ),
        (
            &[("content-type", "text/plain")],
            r#"{"username":"admin","password":"s3cr3t-918273645"}"#,
        ),
    ];
    for (headers, body) in cases {
        let seen = call(
            &srv,
            &mut Jar::default(),
            "POST",
            "/auth/login/",
            headers,
            Some(body),
        )
        .await;
        // content that is not JSON is refused unread: 415; JSON of the wrong shape: 400
        let want = if headers[0].1 == "text/plain" {
            415
        } else {
            400
        };
        assert_eq!(seen.status, want, "{body}: {}", seen.text());
        assert!(!seen.text().contains("918273645"), "{}", seen.text());
        assert!(set_cookies(&seen).is_empty());
    }
    let seen = call(
        &srv,
        &mut Jar::default(),
        "POST",
        "/auth/login/",
        &json,
        Some(r#"{"username":"admin"}"#),
    )
    .await;
    assert_eq!(
        seen.text(),
        r#"{"detail":[{"msg":"Field required","loc":["parsed_body","password"],"type":"value_error"}]}"#
    );
}
#[actix_rt::test]
async fn session_authenticates_async_and_sync_endpoints() {
    let srv = server(&config(users()));
    let mut jar = logged_in(&srv, "admin").await;
    let seen = call(&srv, &mut jar, "GET", "/p/", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "session:admin".to_owned())
    );
    let seen = call(&srv, &mut jar, "GET", "/sync/", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "sync:admin".to_owned())
    );
    // unsafe methods with the token
    let token = jar.get("csrftoken").unwrap().to_owned();
    for (method, path) in [
        ("POST", "/p/"),
        ("PUT", "/p/"),
        ("DELETE", "/p/"),
        ("POST", "/sync/"),
    ] {
        let seen = call(
            &srv,
            &mut jar,
            method,
            path,
            &[("x-csrftoken", &token)],
            None,
        )
        .await;
        assert_eq!(seen.status, 200, "{method} {path}: {}", seen.text());
    }
    // no session at all: the chain ends with the standard 401
    let seen = call(&srv, &mut Jar::default(), "GET", "/p/", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
    let seen = call(&srv, &mut Jar::default(), "GET", "/sync/", &[], None).await;
    assert_eq!(seen.status, 401);
}
#[actix_rt::test]
async fn deactivated_or_repassworded_users_are_skipped() {
    let users = users();
    let srv = server(&config(users.clone()));
    let mut jar = logged_in(&srv, "bob").await;
    assert_eq!(
        call(&srv, &mut jar, "GET", "/p/", &[], None).await.status,
        200
    );
    users.set_active("bob", false);
    let seen = call(&srv, &mut jar, "GET", "/p/", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
    assert_eq!(
        call(&srv, &mut jar, "GET", "/sync/", &[], None)
            .await
            .status,
        401
    );
    // an inactive session user falls through to the next auth of the chain
    let seen = call(
        &srv,
        &mut jar,
        "GET",
        "/p/",
        &[("authorization", &basic_auth("basic", "basicpass"))],
        None,
    )
    .await;
    assert_eq!(seen.text(), "basic:basic");
    users.set_active("bob", true);
    assert_eq!(
        call(&srv, &mut jar, "GET", "/p/", &[], None).await.status,
        200
    );
    users.set_password("bob", "new-password").unwrap();
    assert_eq!(
        call(&srv, &mut jar, "GET", "/p/", &[], None).await.status,
        401,
        "a password change ends sessions"
    );
    users.remove("bob");
    assert_eq!(
        call(&srv, &mut jar, "GET", "/p/", &[], None).await.status,
        401
    );
}
#[actix_rt::test]
async fn logout_ends_the_session_and_clears_cookies() {
    let srv = server(&config(users()));
    let mut jar = logged_in(&srv, "admin").await;
    let token = jar.get("csrftoken").unwrap().to_owned();
    // logout of a logged-in session is CSRF-protected
    let seen = call(&srv, &mut jar, "POST", "/auth/logout/", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (403, csrf_body("CSRF token missing."))
    );
    let seen = call(
        &srv,
        &mut jar,
        "POST",
        "/auth/logout/",
        &[("x-csrftoken", &token)],
        None,
    )
    .await;
    assert_eq!(seen.status, 204);
    let removed: Vec<_> = set_cookies(&seen)
        .into_iter()
        .map(|c| (c.name().to_owned(), c.value().to_owned()))
        .collect();
    assert!(
        removed.contains(&("sessionid".to_owned(), String::new())),
        "{removed:?}"
    );
    assert!(
        removed.contains(&("csrftoken".to_owned(), String::new())),
        "{removed:?}"
    );
    assert!(jar.0.is_empty(), "{jar:?}");
    assert_eq!(
        call(&srv, &mut jar, "GET", "/p/", &[], None).await.status,
        401
    );
    // anonymous logout just answers 204
    assert_eq!(
        call(
            &srv,
            &mut Jar::default(),
            "POST",
            "/auth/logout/",
            &[],
            None
        )
        .await
        .status,
        204
    );
}
#[actix_rt::test]
async fn relogin_switches_user_and_rotates_the_csrf_secret() {
    let srv = server(&config(users()));
    let mut jar = logged_in(&srv, "admin").await;
    let first = (
        jar.get("sessionid").unwrap().to_owned(),
        jar.get("csrftoken").unwrap().to_owned(),
    );
    let seen = login(&srv, &mut jar, "bob", PASS).await;
    assert_eq!(seen.text(), r#"{"user_id":"3"}"#);
    assert_ne!(jar.get("sessionid").unwrap(), first.0);
    assert_ne!(jar.get("csrftoken").unwrap(), first.1);
    assert_eq!(
        call(&srv, &mut jar, "GET", "/p/", &[], None).await.text(),
        "session:bob"
    );
    // the old CSRF secret no longer matches the new cookie
    let seen = call(
        &srv,
        &mut jar,
        "POST",
        "/p/",
        &[("x-csrftoken", &first.1)],
        None,
    )
    .await;
    assert_eq!(
        seen.text(),
        csrf_body("CSRF token from the 'X-Csrftoken' HTTP header incorrect.")
    );
}
