//! CSRF through a real server: every reason string of the reference, origin and referer
//! checks, trusted origins, masked tokens, the `csrfmiddlewaretoken` form field, on async and
//! sync endpoints.

mod session_support;

use actix_web::test::TestRequest;
use dmr_runtime::auth::AuthRequest;
use dmr_runtime::backends::csrf::{CsrfConfig, mask_secret, new_secret};
use session_support::*;

const HOST: &str = "api.test";

fn trusted() -> CsrfConfig {
    CsrfConfig::new().trusted_origins(["https://app.trusted.test", "https://*.corp.test"])
}

/// [`trusted`] behind a TLS-ending proxy: `X-Forwarded-Proto: https` makes a request HTTPS
/// (the test servers speak plain HTTP).
fn proxied() -> CsrfConfig {
    trusted().trust_forwarded_headers(true)
}

/// A logged-in `admin` on a server with trusted origins; the jar holds both cookies.
async fn setup() -> (dmr_tests::TestServer, Jar, String) {
    setup_with(trusted()).await
}

/// [`setup`] with another CSRF configuration.
async fn setup_with(csrf: CsrfConfig) -> (dmr_tests::TestServer, Jar, String) {
    let srv = server(&config(users()).csrf(csrf));
    let jar = logged_in(&srv, "admin").await;
    let secret = jar.get("csrftoken").expect("csrf cookie").to_owned();
    (srv, jar, secret)
}

/// `POST path` as `admin` with `cookie` as the CSRF cookie (`None`: no cookie) and headers.
async fn post(
    srv: &dmr_tests::TestServer,
    jar: &Jar,
    path: &str,
    cookie: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> dmr_tests::Seen {
    let mut jar = jar.clone();
    match cookie {
        Some(c) => jar.set("csrftoken", c),
        None => {
            jar.0.remove("csrftoken");
        }
    }
    let mut all = vec![("host", HOST)];
    all.extend_from_slice(headers);
    call(srv, &mut jar, "POST", path, &all, body).await
}

#[actix_rt::test]
async fn every_cookie_and_token_reason() {
    let (srv, jar, secret) = setup().await;
    let bad_chars = format!("{}-", &secret[..31]);
    let masked = mask_secret(&secret).unwrap();
    let other_masked = mask_secret(&new_secret()).unwrap();
    let header = "CSRF token from the 'X-Csrftoken' HTTP header";
    let (bangs, accents, fresh) = ("!".repeat(32), "é".repeat(16), new_secret());
    let cases: Vec<(Option<&str>, Option<&str>, Option<String>)> = vec![
        (None, Some(&secret), Some("CSRF cookie not set.".into())),
        (
            Some("abc"),
            Some(&secret),
            Some("CSRF cookie has incorrect length.".into()),
        ),
        (
            Some(""),
            Some(&secret),
            Some("CSRF cookie has incorrect length.".into()),
        ),
        (
            Some(&bad_chars),
            Some(&secret),
            Some("CSRF cookie has invalid characters.".into()),
        ),
        (Some(&secret), None, Some("CSRF token missing.".into())),
        (
            Some(&secret),
            Some("abc"),
            Some(format!("{header} has incorrect length.")),
        ),
        (
            Some(&secret),
            Some(""),
            Some(format!("{header} has incorrect length.")),
        ),
        (
            Some(&secret),
            Some(&bangs),
            Some(format!("{header} has invalid characters.")),
        ),
        // 16 characters as UTF-8 are 32 bytes; headers are read as Latin-1, as WSGI does
        (
            Some(&secret),
            Some(&accents),
            Some(format!("{header} has invalid characters.")),
        ),
        (
            Some(&secret),
            Some(&bad_chars),
            Some(format!("{header} has invalid characters.")),
        ),
        (
            Some(&secret),
            Some(&fresh),
            Some(format!("{header} incorrect.")),
        ),
        (
            Some(&secret),
            Some(&other_masked),
            Some(format!("{header} incorrect.")),
        ),
        (Some(&secret), Some(&secret), None),
        (Some(&secret), Some(&masked), None),
        // a masked secret in the cookie (what Django before 4.1 stored) is unmasked
        (Some(&masked), Some(&secret), None),
    ];
    for path in ["/p/", "/sync/"] {
        for (cookie, token, reason) in &cases {
            let headers: Vec<(&str, &str)> = token.iter().map(|t| ("x-csrftoken", *t)).collect();
            let seen = post(&srv, &jar, path, *cookie, &headers, None).await;
            match reason {
                Some(reason) => {
                    assert_eq!(
                        (seen.status.as_u16(), seen.text()),
                        (403, csrf_body(reason)),
                        "{path} {cookie:?} {token:?}"
                    );
                    assert_eq!(seen.header("content-type"), Some("application/json"));
                }
                None => assert_eq!(
                    seen.status,
                    200,
                    "{path} {cookie:?} {token:?}: {}",
                    seen.text()
                ),
            }
        }
    }
}

#[actix_rt::test]
async fn safe_methods_never_check() {
    let (srv, mut jar, _) = setup().await;
    jar.0.remove("csrftoken");
    let seen = call(
        &srv,
        &mut jar,
        "GET",
        "/p/",
        &[("origin", "https://evil.test")],
        None,
    )
    .await;
    assert_eq!(seen.text(), "session:admin");
    let csrf = CsrfConfig::new();
    for method in ["GET", "HEAD", "OPTIONS", "TRACE"] {
        let req = TestRequest::default()
            .method(actix_web::http::Method::from_bytes(method.as_bytes()).unwrap())
            .insert_header(("origin", "https://evil.test"))
            .to_http_request();
        assert_eq!(csrf.check(&AuthRequest::live(&req)), Ok(()), "{method}");
    }
    for method in ["POST", "PUT", "PATCH", "DELETE", "PURGE"] {
        let req = TestRequest::default()
            .method(actix_web::http::Method::from_bytes(method.as_bytes()).unwrap())
            .to_http_request();
        assert!(csrf.check(&AuthRequest::live(&req)).is_err(), "{method}");
    }
}

#[actix_rt::test]
async fn origin_must_be_the_host_or_trusted() {
    let (srv, jar, secret) = setup().await;
    let token = [("x-csrftoken", secret.as_str())];
    let refused = |o: &str| {
        csrf_body(&format!(
            "Origin checking failed - {o} does not match any trusted origins."
        ))
    };
    for origin in [
        "http://evil.test",
        "null",
        "",
        "https://api.test",
        "http://api.test:80",
        "http://x.corp.test",
        "https://corp.test.evil",
    ] {
        for path in ["/p/", "/sync/"] {
            let seen = post(
                &srv,
                &jar,
                path,
                Some(&secret),
                &[("origin", origin), token[0]],
                None,
            )
            .await;
            assert_eq!(
                (seen.status.as_u16(), seen.text()),
                (403, refused(origin)),
                "{path} {origin}"
            );
        }
    }
    for origin in [
        "http://api.test",
        "https://app.trusted.test",
        "https://x.corp.test",
        "https://a.b.corp.test",
        "https://corp.test",
    ] {
        let seen = post(
            &srv,
            &jar,
            "/p/",
            Some(&secret),
            &[("origin", origin), token[0]],
            None,
        )
        .await;
        assert_eq!(seen.status, 200, "{origin}: {}", seen.text());
    }
    // the origin passes, the token still decides
    let seen = post(
        &srv,
        &jar,
        "/p/",
        Some(&secret),
        &[("origin", "http://api.test")],
        None,
    )
    .await;
    assert_eq!(seen.text(), csrf_body("CSRF token missing."));
}

#[actix_rt::test]
async fn https_requests_without_origin_check_the_referer() {
    let (srv, jar, secret) = setup_with(proxied()).await;
    let base = [
        ("x-forwarded-proto", "https"),
        ("x-csrftoken", secret.as_str()),
    ];
    let seen = post(&srv, &jar, "/p/", Some(&secret), &base, None).await;
    assert_eq!(
        seen.text(),
        csrf_body("Referer checking failed - no Referer.")
    );
    let cases = [
        ("not a url", "Referer checking failed - Referer is malformed.".to_owned()),
        ("https://[::1/x", "Referer checking failed - Referer is malformed.".to_owned()),
        ("//api.test/x", "Referer checking failed - Referer is malformed.".to_owned()),
        ("https:///x", "Referer checking failed - Referer is malformed.".to_owned()),
        ("http://api.test/page", "Referer checking failed - Referer is insecure while host is secure.".to_owned()),
        (
            "https://evil.test/page?q=1#top",
            "Referer checking failed - https://evil.test/page?q=1#top does not match any trusted origins.".to_owned(),
        ),
        (
            "HTTPS://api.test.evil/",
            "Referer checking failed - https://api.test.evil/ does not match any trusted origins.".to_owned(),
        ),
    ];
    for (referer, reason) in &cases {
        for path in ["/p/", "/sync/"] {
            let seen = post(
                &srv,
                &jar,
                path,
                Some(&secret),
                &[base[0], base[1], ("referer", referer)],
                None,
            )
            .await;
            assert_eq!(
                (seen.status.as_u16(), seen.text()),
                (403, csrf_body(reason)),
                "{path} {referer}"
            );
        }
    }
    for referer in [
        "https://api.test/page",
        "https://app.trusted.test/x",
        "https://deep.corp.test/",
    ] {
        let seen = post(
            &srv,
            &jar,
            "/p/",
            Some(&secret),
            &[base[0], base[1], ("referer", referer)],
            None,
        )
        .await;
        assert_eq!(seen.status, 200, "{referer}: {}", seen.text());
    }
    // plain HTTP does not look at the Referer at all
    let seen = post(
        &srv,
        &jar,
        "/p/",
        Some(&secret),
        &[base[1], ("referer", "http://evil.test/")],
        None,
    )
    .await;
    assert_eq!(seen.status, 200);
}

#[actix_rt::test]
async fn referer_may_match_the_cookie_domain_with_its_port() {
    let csrf = CsrfConfig::new()
        .cookie_domain(".api.test")
        .trust_forwarded_headers(true);
    let srv = server(&config(users()).csrf(csrf));
    let jar = logged_in(&srv, "admin").await;
    let secret = jar.get("csrftoken").unwrap().to_owned();
    let send = |host: &'static str, referer: &'static str| {
        let (srv, jar, secret) = (&srv, jar.clone(), secret.clone());
        async move {
            let mut jar = jar;
            let headers = [
                ("host", host),
                ("x-forwarded-proto", "https"),
                ("x-csrftoken", &secret),
                ("referer", referer),
            ];
            call(srv, &mut jar, "POST", "/p/", &headers, None).await
        }
    };
    assert_eq!(
        send("api.test:8443", "https://www.api.test:8443/")
            .await
            .status,
        200
    );
    assert_eq!(send("api.test", "https://www.api.test/").await.status, 200);
    let seen = send("api.test:8443", "https://www.api.test/").await;
    assert_eq!(
        seen.text(),
        csrf_body(
            "Referer checking failed - https://www.api.test/ does not match any trusted origins."
        )
    );
}
