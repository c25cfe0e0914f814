//! Session configurations: CSRF secret in the session, custom cookie and header names, the
//! SQLite user store, the test-only CSRF switch, and what OpenAPI is told.

mod session_support;

use dmr_runtime::backends::csrf::CsrfConfig;
use dmr_runtime::backends::session::SessionConfig;
use dmr_runtime::backends::users::{SqliteUsers, UserStore as _};
use session_support::*;

#[actix_rt::test]
async fn csrf_in_the_session_sets_only_the_session_cookie() {
    let cfg = config(users()).csrf(CsrfConfig::new().use_sessions(true));
    let srv = server(&cfg);
    let mut jar = Jar::default();
    let seen = login(&srv, &mut jar, "admin", PASS).await;
    let names: Vec<String> = set_cookies(&seen)
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(names, ["sessionid"]);
    let seen = call(&srv, &mut jar, "POST", "/p/", &[], None).await;
    assert_eq!(seen.text(), csrf_body("CSRF token missing."));
    let token = call(&srv, &mut jar, "GET", "/csrf-token/", &[], None)
        .await
        .text();
    assert_eq!(token.len(), 64);
    for path in ["/p/", "/sync/"] {
        let seen = call(
            &srv,
            &mut jar,
            "POST",
            path,
            &[("x-csrftoken", &token)],
            None,
        )
        .await;
        assert_eq!(seen.status, 200, "{path}: {}", seen.text());
    }
    // a cookie is not where the secret lives: sending one changes nothing
    let other = dmr_runtime::backends::csrf::new_secret();
    jar.set("csrftoken", &other);
    let seen = call(
        &srv,
        &mut jar,
        "POST",
        "/p/",
        &[("x-csrftoken", &other)],
        None,
    )
    .await;
    assert_eq!(
        seen.text(),
        csrf_body("CSRF token from the 'X-Csrftoken' HTTP header incorrect.")
    );
}
#[actix_rt::test]
async fn custom_cookie_and_header_names() {
    let cfg = config(users()).cookie_name("custom_session_id").csrf(
        CsrfConfig::new()
            .cookie_name("custom_csrf_token")
            .header_name("X-My-CSRF"),
    );
    let srv = server(&cfg);
    let mut jar = Jar::default();
    let seen = login(&srv, &mut jar, "admin", PASS).await;
    let mut names: Vec<String> = set_cookies(&seen)
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["custom_csrf_token", "custom_session_id"]);
    let seen = call(
        &srv,
        &mut jar,
        "POST",
        "/p/",
        &[("x-my-csrf", "short")],
        None,
    )
    .await;
    assert_eq!(
        seen.text(),
        csrf_body("CSRF token from the 'X-My-Csrf' HTTP header has incorrect length.")
    );
    let token = jar.get("custom_csrf_token").unwrap().to_owned();
    assert_eq!(
        call(
            &srv,
            &mut jar,
            "POST",
            "/p/",
            &[("x-my-csrf", &token)],
            None
        )
        .await
        .status,
        200
    );
}
#[actix_rt::test]
async fn sqlite_users_work_for_login_and_both_endpoint_kinds() {
    let users = SqliteUsers::open_in_memory().unwrap().params(cheap());
    users.add("42", "sql", PASS).unwrap();
    assert!(users.is_blocking());
    let cfg = SessionConfig::new(users).secure(false);
    let srv = server(&cfg);
    let mut jar = Jar::default();
    assert_eq!(
        login(&srv, &mut jar, "sql", PASS).await.text(),
        r#"{"user_id":"42"}"#
    );
    assert_eq!(
        login(&srv, &mut Jar::default(), "sql", "nope").await.status,
        401
    );
    assert_eq!(
        call(&srv, &mut jar, "GET", "/p/", &[], None).await.text(),
        "session:sql"
    );
    assert_eq!(
        call(&srv, &mut jar, "GET", "/sync/", &[], None)
            .await
            .text(),
        "sync:sql"
    );
}
#[actix_rt::test]
async fn test_switch_turns_csrf_enforcement_off() {
    let srv = server(&config(users()).csrf(CsrfConfig::new().enforce(false)));
    let mut jar = logged_in(&srv, "admin").await;
    assert!(jar.get("csrftoken").is_some(), "cookies are still set");
    let seen = call(
        &srv,
        &mut jar,
        "POST",
        "/p/",
        &[("origin", "https://evil.example")],
        None,
    )
    .await;
    assert_eq!(seen.text(), "session:admin|");
}
#[test]
fn openapi_schemes_follow_the_configuration() {
    use dmr_runtime::auth::{Auth, AuthResponses};
    let auth = config(users()).auth();
    let schemes: Vec<String> = auth
        .schemes()
        .iter()
        .map(|s| format!("{}={}", s.name, serde_json::to_string(&s.scheme).unwrap()))
        .collect();
    assert_eq!(
        schemes,
        [
            r#"django_session={"type":"apiKey","description":"Reusing standard Django auth flow for API","name":"sessionid","in":"cookie"}"#,
            r#"csrf={"type":"apiKey","description":"CSRF protection","name":"csrftoken","in":"cookie"}"#,
        ]
    );
    assert_eq!(auth.requirement(), ["django_session", "csrf"]);
    assert_eq!(
        auth.responses(),
        AuthResponses::UNAUTHORIZED | AuthResponses::CSRF_FORBIDDEN
    );
    assert_eq!(auth.challenge(), None);

    let auth = config(users())
        .cookie_name("custom_session_id")
        .csrf(CsrfConfig::new().use_sessions(true))
        .auth();
    assert_eq!(auth.requirement(), ["django_session"]);
    assert_eq!(
        auth.schemes()[0].scheme.name.as_deref(),
        Some("custom_session_id")
    );

    let auth = config(users())
        .csrf(CsrfConfig::new().cookie_name("custom_csrf_token"))
        .auth();
    assert_eq!(
        auth.schemes()[1].scheme.name.as_deref(),
        Some("custom_csrf_token")
    );
}

#[test]
fn openapi_document_of_session_endpoints() {
    let doc: serde_json::Value =
        serde_json::from_str(api(&config(users())).openapi_json()).unwrap();
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(
        schemes["django_session"],
        serde_json::json!({"type": "apiKey", "description": "Reusing standard Django auth flow for API", "name": "sessionid", "in": "cookie"})
    );
    assert_eq!(
        schemes["csrf"],
        serde_json::json!({"type": "apiKey", "description": "CSRF protection", "name": "csrftoken", "in": "cookie"})
    );
    let get = &doc["paths"]["/p/"]["get"];
    assert_eq!(
        get["security"],
        serde_json::json!([{"django_session": [], "csrf": []}, {"http_basic": []}])
    );
    assert_eq!(
        get["responses"]["401"]["description"],
        "Raised when auth was not successful"
    );
    // a GET is never CSRF-checked: no 403
    assert_eq!(get["responses"]["403"], serde_json::Value::Null);
    // login: no auth, the reference's body models, both cookies and the 401
    let login = &doc["paths"]["/auth/login/"]["post"];
    assert!(login.get("security").is_none(), "{login}");
    let ok = &login["responses"]["200"];
    assert_eq!(
        ok["headers"]["Set-Cookie: sessionid"],
        serde_json::json!({"schema": {"type": "string", "example": "sessionid=123"}, "required": true})
    );
    assert_eq!(
        ok["headers"]["Set-Cookie: csrftoken"],
        serde_json::json!({"schema": {"type": "string", "example": "csrftoken=123"}, "description": "CSRF protection.", "required": true})
    );
    assert_eq!(login["responses"]["401"]["description"], "Unauthorized");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["DjangoSessionPayload"]["required"],
        serde_json::json!(["username", "password"])
    );
    assert_eq!(
        schemas["DjangoSessionResponse"]["required"],
        serde_json::json!(["user_id"])
    );
    let logout = &doc["paths"]["/auth/logout/"]["post"];
    assert!(
        logout["responses"]["204"].is_object() && logout["responses"]["403"].is_object(),
        "{logout}"
    );
}
