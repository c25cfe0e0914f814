//! The demo, as started by `cargo run -p dmr-demo` (default configuration), ends a session on
//! logout: a copy of the session cookie taken before the logout is refused afterwards, on
//! whichever worker it lands, and so is the cookie of a session a new login replaced.

mod support;

use support::{example_statuses, log_in, request, start};

#[test]
fn logout_ends_the_session_a_copied_cookie_gets_401() {
    let demo = start(&[]);
    let browser = log_in(&demo.1);
    let copy = browser.cookie.clone();
    assert_eq!(example_statuses(&demo.1, &copy), [200; 4]);
    let headers = [browser.cookie, format!("X-CSRFToken: {}", browser.csrf)];
    let logout = request(&demo.1, "POST", "/api/auth/logout/", &headers, "");
    assert_eq!(logout.status, 204, "{}", logout.body);
    assert_eq!(
        logout.cookie("sessionid"),
        Some(""),
        "the cookie is cleared"
    );
    assert_eq!(example_statuses(&demo.1, &copy), [401; 4]);
}

#[test]
fn a_new_login_ends_the_session_it_replaces() {
    let demo = start(&[]);
    let first = log_in(&demo.1);
    // the same browser logs in again, sending its session cookie
    let body = r#"{"username":"admin","password":"pass"}"#;
    let again = request(
        &demo.1,
        "POST",
        "/api/auth/login/",
        std::slice::from_ref(&first.cookie),
        body,
    );
    assert_eq!(again.status, 200, "{}", again.body);
    let renewed = again.cookie("sessionid").expect("a new session cookie");
    assert_eq!(
        example_statuses(&demo.1, &format!("Cookie: sessionid={renewed}")),
        [200; 4]
    );
    assert_eq!(example_statuses(&demo.1, &first.cookie), [401; 4]);
}
