//! Session auth under pressure: concurrent logins, tampered and oversized cookies, and
//! chains where the session skips (Basic decides) or CSRF stops everything.

mod session_support;

use dmr_runtime::backends::basic::basic_auth;
use session_support::*;

#[actix_rt::test]
async fn concurrent_logins_of_one_user_get_independent_sessions() {
    let srv = server(&config(users()));
    let logins = (0..8).map(|_| async {
        let mut jar = Jar::default();
        let seen = login(&srv, &mut jar, "admin", PASS).await;
        assert_eq!(seen.status, 200);
        jar
    });
    let mut jars = futures_util::future::join_all(logins).await;
    let mut ids: Vec<String> = jars
        .iter()
        .map(|j| j.get("sessionid").unwrap().to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 8);
    let mut tokens: Vec<String> = jars
        .iter()
        .map(|j| j.get("csrftoken").unwrap().to_owned())
        .collect();
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 8, "every login rotates the CSRF secret");
    for jar in &mut jars {
        let token = jar.get("csrftoken").unwrap().to_owned();
        let seen = call(&srv, jar, "POST", "/p/", &[("x-csrftoken", &token)], None).await;
        assert_eq!(seen.text(), "session:admin|");
    }
}
#[actix_rt::test]
async fn tampered_and_oversized_cookies_skip_never_500() {
    let srv = server(&config(users()));
    let jar = logged_in(&srv, "admin").await;
    let good = jar.get("sessionid").unwrap().to_owned();
    let mut flipped = good.clone().into_bytes();
    let mid = flipped.len() / 2;
    flipped[mid] = if flipped[mid] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let cases = [
        format!("sessionid={flipped}"),
        format!("sessionid={}", &good[..good.len() / 2]),
        format!("sessionid={}", "A".repeat(8 * 1024)),
        "sessionid=".to_owned(),
        "sessionid=\"unterminated; =;;; broken; sessionid".to_owned(),
        format!("sessionid={good}x"),
    ];
    let mut cases: Vec<Vec<u8>> = cases.into_iter().map(String::into_bytes).collect();
    cases.push(b"sessionid=\xff\xfe\x80; csrftoken=\xff".to_vec());
    for cookie in cases {
        let shown = String::from_utf8_lossy(&cookie)
            .chars()
            .take(60)
            .collect::<String>();
        for path in ["/p/", "/sync/"] {
            let seen = dmr_tests::send(&srv, "GET", path, &[("cookie", &cookie)], None).await;
            assert_eq!(seen.status, 401, "{path} {shown}: {}", seen.text());
        }
        let seen =
            dmr_tests::send(&srv, "POST", "/auth/logout/", &[("cookie", &cookie)], None).await;
        assert_eq!(seen.status, 204, "{shown}");
    }
    // a tampered cookie next to valid Basic credentials: session skips, Basic lets it in
    let seen = dmr_tests::send(
        &srv,
        "POST",
        "/p/",
        &[
            ("cookie", format!("sessionid={flipped}").as_bytes()),
            ("authorization", basic_auth("basic", "basicpass").as_bytes()),
        ],
        None,
    )
    .await;
    assert_eq!(seen.text(), "basic:basic|");
}
#[actix_rt::test]
async fn session_skip_falls_through_and_csrf_failure_stops_the_chain() {
    let srv = server(&config(users()));
    let basic = basic_auth("basic", "basicpass");
    // no session: Basic decides, and no CSRF is asked for
    let seen = call(
        &srv,
        &mut Jar::default(),
        "POST",
        "/p/",
        &[("authorization", &basic)],
        None,
    )
    .await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (200, "basic:basic|".to_owned())
    );
    // a logged-in session without a token: 403 although Basic would have succeeded
    let mut jar = logged_in(&srv, "admin").await;
    let seen = call(
        &srv,
        &mut jar,
        "POST",
        "/p/",
        &[("authorization", &basic)],
        None,
    )
    .await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (403, csrf_body("CSRF token missing."))
    );
    assert_eq!(seen.header("content-type"), Some("application/json"));
    let seen = call(
        &srv,
        &mut jar,
        "POST",
        "/sync/",
        &[("authorization", &basic)],
        None,
    )
    .await;
    assert_eq!(
        (seen.status.as_u16(), seen.text()),
        (403, csrf_body("CSRF token missing."))
    );
    // safe methods never ask for it
    let seen = call(
        &srv,
        &mut jar,
        "GET",
        "/p/",
        &[("authorization", &basic)],
        None,
    )
    .await;
    assert_eq!(seen.text(), "session:admin");
}
