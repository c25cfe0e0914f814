//! Rotating the session key: a session cookie sealed with key A still logs in on a server
//! whose key is B with A as a fallback, new sessions there are sealed with B, and once A is
//! dropped its cookies are refused (and cleared). Real servers, the cookie session store (the
//! whole session, encrypted, in the cookie: nothing else is shared between the servers).

mod session_support;

use actix_web::cookie::Key;
use dmr_runtime::backends::csrf::CsrfFormToken;
use dmr_runtime::backends::session::CookieSessionStore;
use dmr_runtime::backends::users::MemoryUsers;
use dmr_tests::{NOT_AUTHENTICATED, TestServer, serve_with};
use session_support::*;

/// A server of `users` sealing sessions with `key`, opening those of `fallbacks` too.
fn server_with(users: &MemoryUsers, key: &Key, fallbacks: &[Key]) -> TestServer {
    let cfg = config(users.clone()).fallback_keys(fallbacks.to_vec());
    let key = key.clone();
    serve_with(api(&cfg), move || {
        actix_web::App::new()
            .wrap(CsrfFormToken::new())
            .wrap(cfg.middleware(CookieSessionStore::default(), key.clone()))
            .app_data(cfg.app_data())
    })
}

async fn read(srv: &TestServer, jar: &Jar) -> (u16, String) {
    let mut jar = jar.clone();
    let seen = call(srv, &mut jar, "GET", "/p/", &[], None).await;
    (seen.status.as_u16(), seen.text())
}

#[actix_rt::test]
async fn a_fallback_key_opens_old_sessions_until_it_is_dropped() {
    // one user store: a session also holds a fingerprint of the user's password hash
    let users = users();
    let (a, b) = (Key::generate(), Key::generate());
    let old = logged_in(&server_with(&users, &a, &[]), "admin").await;
    let session = |jar: &Jar| jar.get("sessionid").unwrap().to_owned();

    let rotated = server_with(&users, &b, std::slice::from_ref(&a));
    assert_eq!(read(&rotated, &old).await, (200, "session:admin".into()));
    let new = logged_in(&rotated, "bob").await;
    assert_ne!(session(&new), session(&old));
    assert_eq!(read(&rotated, &new).await, (200, "session:bob".into()));

    // a key that was never a fallback opens nothing
    let stranger = server_with(&users, &Key::generate(), std::slice::from_ref(&a));
    assert_eq!(read(&stranger, &new).await, (401, NOT_AUTHENTICATED.into()));

    let dropped = server_with(&users, &b, &[]);
    assert_eq!(read(&dropped, &new).await, (200, "session:bob".into()));
    assert_eq!(read(&dropped, &old).await, (401, NOT_AUTHENTICATED.into()));
    let mut jar = old.clone();
    call(&dropped, &mut jar, "GET", "/p/", &[], None).await;
    assert_eq!(jar.get("sessionid"), None, "the refused cookie is cleared");
}
