//! A session cookie that gives no session (garbage, tampered, or signed by another server's
//! key) is answered as before (401 where auth is needed) and cleared by the response, with the
//! session cookie's own attributes, so that the browser stops sending it; a response that
//! sets a new session cookie (a login) does not clear it.

mod session_support;

use actix_web::cookie::SameSite;
use dmr_tests::NOT_AUTHENTICATED;
use session_support::*;

/// The `Set-Cookie` headers of `seen` for `name`.
fn cookies_named(seen: &dmr_tests::Seen, name: &str) -> Vec<actix_web::cookie::Cookie<'static>> {
    set_cookies(seen)
        .into_iter()
        .filter(|c| c.name() == name)
        .collect()
}

/// `seen` clears `name` once, with these attributes.
fn assert_cleared(seen: &dmr_tests::Seen, name: &str, path: &str, secure: bool) {
    let cookies = cookies_named(seen, name);
    assert_eq!(cookies.len(), 1, "one removal: {:?}", seen.headers);
    let c = &cookies[0];
    assert_eq!(c.value(), "");
    assert_eq!(c.max_age(), Some(actix_web::cookie::time::Duration::ZERO));
    assert_eq!(c.path(), Some(path));
    assert_eq!(c.http_only(), Some(true));
    assert_eq!(c.same_site(), Some(SameSite::Lax));
    assert_eq!(c.secure(), secure.then_some(true));
}

#[actix_rt::test]
async fn an_undecodable_session_cookie_is_cleared_by_the_401() {
    let srv = server(&config(users()));
    for value in ["garbage", "a%20b", "dGVzdA==", &"x".repeat(200)] {
        let mut jar = Jar::default();
        jar.set("sessionid", value);
        let seen = call(&srv, &mut jar, "GET", "/p/", &[], None).await;
        assert_eq!(seen.status, 401, "{value}");
        assert_eq!(seen.text(), NOT_AUTHENTICATED);
        assert_cleared(&seen, "sessionid", "/", false);
        // the browser dropped it: the next request sends none and gets no removal
        assert_eq!(jar.get("sessionid"), None);
        let next = call(&srv, &mut jar, "GET", "/p/", &[], None).await;
        assert_eq!(next.status, 401);
        assert!(cookies_named(&next, "sessionid").is_empty());
    }
}

#[actix_rt::test]
async fn the_removal_carries_the_session_cookies_attributes() {
    let cfg = config(users())
        .cookie_name("sid")
        .cookie_path("/")
        .cookie_domain("localhost.test")
        .secure(true);
    let srv = server(&cfg);
    let mut jar = Jar::default();
    jar.set("sid", "tampered");
    let seen = call(&srv, &mut jar, "GET", "/p/", &[], None).await;
    assert_eq!(seen.status, 401);
    assert_cleared(&seen, "sid", "/", true);
    let c = &cookies_named(&seen, "sid")[0];
    assert_eq!(c.domain(), Some("localhost.test"));
}

#[actix_rt::test]
async fn another_servers_session_cookie_is_cleared() {
    let cfg = config(users());
    let a = server(&cfg);
    let b = server(&cfg); // another cookie key
    let mut jar = logged_in(&a, "admin").await;
    let seen = call(&b, &mut jar, "GET", "/p/", &[], None).await;
    assert_eq!(seen.status, 401, "{}", seen.text());
    assert_cleared(&seen, "sessionid", "/", false);
}

#[actix_rt::test]
async fn a_good_session_or_none_gets_no_removal_and_a_login_replaces_a_bad_cookie() {
    let srv = server(&config(users()));
    let mut jar = logged_in(&srv, "admin").await;
    let seen = call(&srv, &mut jar, "GET", "/p/", &[], None).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    assert!(cookies_named(&seen, "sessionid").is_empty());

    let mut empty = Jar::default();
    let seen = call(&srv, &mut empty, "GET", "/p/", &[], None).await;
    assert_eq!(seen.status, 401);
    assert!(cookies_named(&seen, "sessionid").is_empty());

    let mut bad = Jar::default();
    bad.set("sessionid", "garbage");
    let seen = login(&srv, &mut bad, "admin", PASS).await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let set = cookies_named(&seen, "sessionid");
    assert_eq!(set.len(), 1, "only the new session: {:?}", seen.headers);
    assert!(!set[0].value().is_empty());
    let me = call(&srv, &mut bad, "GET", "/p/", &[], None).await;
    assert_eq!(me.text(), "session:admin");
}
