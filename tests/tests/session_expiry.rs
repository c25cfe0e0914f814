//! Sessions end on the server: a copied cookie replayed after the TTL is refused (with the
//! cookie store too, although the cookie itself still decrypts); what logout and a new login
//! can and cannot revoke with the cookie store (as documented in `backends::session`).

mod session_support;

use std::time::Duration;

use actix_web::cookie::time::Duration as CookieDuration;
use dmr_tests::NOT_AUTHENTICATED;
use session_support::*;

async fn pause(d: Duration) {
    actix_web::rt::time::sleep(d).await;
}

#[actix_rt::test]
async fn a_replayed_cookie_is_refused_after_the_ttl() {
    let cfg = config(users()).session_ttl(CookieDuration::seconds(1));
    for srv in [server(&cfg), cookie_server(&cfg)] {
        replayed_after_the_ttl(&srv).await;
    }
}

async fn replayed_after_the_ttl(srv: &dmr_tests::TestServer) {
    let jar = logged_in(srv, "admin").await;
    let seen = call(srv, &mut jar.clone(), "GET", "/p/", &[], None).await;
    assert_eq!(seen.text(), "session:admin");
    pause(Duration::from_millis(2100)).await;
    // the client ignores Max-Age and replays the saved cookie: refused by the server
    for path in ["/p/", "/sync/"] {
        let seen = call(srv, &mut jar.clone(), "GET", path, &[], None).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned()),
            "{path}"
        );
    }
    // unsafe methods too, and without asking for CSRF (the session does not count)
    let token = jar.get("csrftoken").unwrap().to_owned();
    let seen = call(
        srv,
        &mut jar.clone(),
        "POST",
        "/p/",
        &[("x-csrftoken", &token)],
        None,
    )
    .await;
    assert_eq!(seen.status, 401);
    // a new login works again
    let mut fresh = logged_in(srv, "admin").await;
    assert_eq!(
        call(srv, &mut fresh, "GET", "/p/", &[], None).await.text(),
        "session:admin"
    );
}

#[actix_rt::test]
async fn what_the_cookie_store_can_and_cannot_revoke() {
    let users = users();
    let srv = cookie_server(&config(users.clone()));
    let mut jar = logged_in(&srv, "admin").await;
    let copy = jar.clone();
    // a new login gives a new cookie; the old one, kept, still works until its TTL
    let seen = login(&srv, &mut jar, "admin", PASS).await;
    assert_eq!(seen.status, 200);
    assert_ne!(jar.get("sessionid"), copy.get("sessionid"));
    let seen = call(&srv, &mut copy.clone(), "GET", "/p/", &[], None).await;
    assert_eq!(seen.text(), "session:admin");
    // logout clears the client's cookie; a copy taken before still works until its TTL
    let token = jar.get("csrftoken").unwrap().to_owned();
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
    assert_eq!(jar.get("sessionid"), None);
    let seen = call(&srv, &mut copy.clone(), "GET", "/p/", &[], None).await;
    assert_eq!(seen.text(), "session:admin");
    // a password change ends every copy at once
    users.set_password("admin", "new-pass").unwrap();
    let seen = call(&srv, &mut copy.clone(), "GET", "/p/", &[], None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (401, NOT_AUTHENTICATED.to_owned())
    );
}
