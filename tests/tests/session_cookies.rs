//! Cookie handling as Django does it: of two cookies of one name the last wins (session and
//! CSRF), and the session and CSRF cookies have separate `Secure`, `SameSite`, `Path` and
//! `Domain` settings.

mod session_support;

use actix_web::cookie::SameSite;
use dmr_runtime::backends::csrf::CsrfConfig;
use dmr_tests::{NOT_AUTHENTICATED, send};
use session_support::*;

#[actix_rt::test]
async fn of_two_session_cookies_the_last_wins() {
    let srv = server(&config(users()));
    let jar = logged_in(&srv, "admin").await;
    let good = jar.get("sessionid").unwrap().to_owned();
    let stale = "stale-or-planted-value";
    for (cookie, expected) in [
        (
            format!("sessionid={stale}; sessionid={good}"),
            "session:admin",
        ),
        (
            format!("sessionid={good}; other=1; sessionid={good}"),
            "session:admin",
        ),
        (
            format!("sessionid={good}; sessionid={stale}"),
            NOT_AUTHENTICATED,
        ),
    ] {
        let seen = send(&srv, "GET", "/p/", &[("cookie", cookie.as_bytes())], None).await;
        assert_eq!(seen.text(), expected, "{cookie}");
    }
    // two Cookie headers count as one list
    let seen = send(
        &srv,
        "GET",
        "/p/",
        &[
            ("cookie", format!("sessionid={stale}").as_bytes()),
            ("cookie", format!("sessionid={good}").as_bytes()),
        ],
        None,
    )
    .await;
    assert_eq!(seen.text(), "session:admin");
}

#[actix_rt::test]
async fn of_two_csrf_cookies_the_last_wins() {
    let srv = server(&config(users()));
    let jar = logged_in(&srv, "admin").await;
    let session = jar.get("sessionid").unwrap().to_owned();
    let token = jar.get("csrftoken").unwrap().to_owned();
    let other = "A".repeat(32);
    let post = |cookie: String| {
        let srv = &srv;
        let token = token.clone();
        async move {
            send(
                srv,
                "POST",
                "/p/",
                &[
                    ("cookie", cookie.as_bytes()),
                    ("x-csrftoken", token.as_bytes()),
                ],
                None,
            )
            .await
        }
    };
    let seen = post(format!(
        "sessionid={session}; csrftoken={other}; csrftoken={token}"
    ))
    .await;
    assert_eq!(seen.text(), "session:admin|");
    let seen = post(format!(
        "sessionid={session}; csrftoken={token}; csrftoken={other}"
    ))
    .await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (
            403,
            csrf_body("CSRF token from the 'X-Csrftoken' HTTP header incorrect.")
        )
    );
}

#[actix_rt::test]
async fn session_and_csrf_cookies_are_configured_separately() {
    let cfg = config(users())
        .same_site(SameSite::Strict)
        .cookie_path("/")
        .cookie_domain("localhost")
        .csrf(
            CsrfConfig::new()
                .cookie_secure(true)
                .cookie_same_site(SameSite::Lax)
                .cookie_path("/p")
                .cookie_domain("csrf.localhost"),
        );
    let srv = server(&cfg);
    let seen = login(&srv, &mut Jar::default(), "admin", PASS).await;
    assert_eq!(seen.status, 200);
    let cookies = set_cookies(&seen);
    let session = cookies.iter().find(|c| c.name() == "sessionid").unwrap();
    let csrf = cookies.iter().find(|c| c.name() == "csrftoken").unwrap();
    assert_eq!(
        (
            session.secure(),
            session.same_site(),
            session.path(),
            session.domain()
        ),
        (None, Some(SameSite::Strict), Some("/"), Some("localhost"))
    );
    assert_eq!(
        (csrf.secure(), csrf.same_site(), csrf.path(), csrf.domain()),
        (
            Some(true),
            Some(SameSite::Lax),
            Some("/p"),
            Some("csrf.localhost")
        )
    );
    // without its own settings the CSRF cookie follows the session's
    let srv = server(&config(users()).same_site(SameSite::Strict));
    let seen = login(&srv, &mut Jar::default(), "admin", PASS).await;
    let cookies = set_cookies(&seen);
    let csrf = cookies.iter().find(|c| c.name() == "csrftoken").unwrap();
    assert_eq!(
        (csrf.secure(), csrf.same_site(), csrf.path()),
        (None, Some(SameSite::Strict), Some("/"))
    );
}
