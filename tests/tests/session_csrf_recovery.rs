//! A malformed CSRF cookie (wrong length, characters outside the alphabet) makes the session
//! middleware send a fresh one, as Django's CSRF middleware does: the unsafe request is still
//! refused with the same 403, and the next one, with the new cookie and its value in
//! `X-CSRFToken`, passes, so a browser recovers by itself.

mod session_support;

use actix_web::cookie::SameSite;
use dmr_runtime::backends::csrf::{CsrfConfig, check_token_format};
use session_support::*;

fn csrf_cookies(seen: &dmr_tests::Seen) -> Vec<actix_web::cookie::Cookie<'static>> {
    set_cookies(seen)
        .into_iter()
        .filter(|c| c.name() == "csrftoken")
        .collect()
}

#[actix_rt::test]
async fn a_malformed_csrf_cookie_is_replaced_and_the_next_request_passes() {
    let srv = server(&config(users()));
    for (bad, reason) in [
        ("short", "CSRF cookie has incorrect length."),
        (
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
            "CSRF cookie has invalid characters.",
        ),
    ] {
        let mut jar = logged_in(&srv, "admin").await;
        jar.set("csrftoken", bad);
        let refused = call(&srv, &mut jar, "POST", "/p/", &[("x-csrftoken", bad)], None).await;
        assert_eq!(refused.status, 403, "{bad}");
        assert_eq!(refused.text(), csrf_body(reason));
        let fresh = csrf_cookies(&refused);
        assert_eq!(fresh.len(), 1, "{:?}", refused.headers);
        let fresh = &fresh[0];
        assert!(check_token_format(fresh.value()).is_ok(), "{fresh}");
        assert_eq!(fresh.path(), Some("/"));
        assert_eq!(fresh.same_site(), Some(SameSite::Lax));
        assert_eq!(fresh.http_only(), None, "scripts read it");
        assert!(fresh.max_age().is_some_and(|a| a.whole_days() >= 364));
        // the browser keeps the new cookie and sends its value back
        let secret = jar.get("csrftoken").unwrap().to_owned();
        assert_eq!(secret, fresh.value());
        let passed = call(
            &srv,
            &mut jar,
            "POST",
            "/p/",
            &[("x-csrftoken", &secret)],
            None,
        )
        .await;
        assert_eq!(passed.status, 200, "{}", passed.text());
        assert_eq!(passed.text(), "session:admin|");
        assert!(csrf_cookies(&passed).is_empty());
    }
}

#[actix_rt::test]
async fn a_good_or_missing_csrf_cookie_is_left_alone() {
    let srv = server(&config(users()));
    let mut jar = logged_in(&srv, "admin").await;
    let secret = jar.get("csrftoken").unwrap().to_owned();
    let ok = call(
        &srv,
        &mut jar,
        "POST",
        "/p/",
        &[("x-csrftoken", &secret)],
        None,
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert!(csrf_cookies(&ok).is_empty());
    let wrong = call(&srv, &mut jar, "POST", "/p/", &[("x-csrftoken", "x")], None).await;
    assert_eq!(wrong.status, 403);
    assert!(csrf_cookies(&wrong).is_empty(), "the cookie was fine");
    jar.0.remove("csrftoken");
    let missing = call(&srv, &mut jar, "POST", "/p/", &[], None).await;
    assert_eq!(missing.status, 403);
    assert_eq!(missing.text(), csrf_body("CSRF cookie not set."));
    assert!(csrf_cookies(&missing).is_empty());
}

#[actix_rt::test]
async fn with_the_secret_in_the_session_no_cookie_is_sent() {
    let cfg = config(users()).csrf(CsrfConfig::new().use_sessions(true));
    let srv = server(&cfg);
    let mut jar = logged_in(&srv, "admin").await;
    jar.set("csrftoken", "short");
    let seen = call(
        &srv,
        &mut jar,
        "POST",
        "/p/",
        &[("x-csrftoken", "short")],
        None,
    )
    .await;
    assert_eq!(seen.status, 403);
    assert!(csrf_cookies(&seen).is_empty());
}
