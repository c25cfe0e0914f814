//! The request's own origin for CSRF: by default its `Host` header and the connection's scheme;
//! `Forwarded` / `X-Forwarded-Host` / `X-Forwarded-Proto`, which any client can send, count
//! only with `CsrfConfig::trust_forwarded_headers(true)` (behind a proxy that sets them).

mod session_support;

use dmr_runtime::backends::csrf::CsrfConfig;
use session_support::*;

/// A server with `csrf`, a logged-in `admin` and the CSRF secret.
async fn setup(csrf: CsrfConfig) -> (dmr_tests::TestServer, Jar, String) {
    let srv = server(&config(users()).csrf(csrf));
    let jar = logged_in(&srv, "admin").await;
    let secret = jar.get("csrftoken").expect("csrf cookie").to_owned();
    (srv, jar, secret)
}

/// `POST path` to host `api.test` with a valid CSRF cookie and token plus `headers`.
async fn post(
    srv: &dmr_tests::TestServer,
    jar: &Jar,
    secret: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> dmr_tests::Seen {
    let mut all = vec![("host", "api.test"), ("x-csrftoken", secret)];
    all.extend_from_slice(headers);
    call(srv, &mut jar.clone(), "POST", path, &all, None).await
}

fn refused(origin: &str) -> String {
    csrf_body(&format!(
        "Origin checking failed - {origin} does not match any trusted origins."
    ))
}

/// Ways a client claims another host.
const FORGED_HOSTS: [(&str, &str); 3] = [
    ("x-forwarded-host", "evil.example"),
    ("forwarded", "host=evil.example"),
    ("forwarded", "for=1.2.3.4;host=evil.example;proto=http"),
];

#[actix_rt::test]
async fn forwarded_host_is_ignored_by_default() {
    let (srv, jar, secret) = setup(CsrfConfig::new()).await;
    for forged in FORGED_HOSTS {
        for path in ["/p/", "/sync/"] {
            let seen = post(
                &srv,
                &jar,
                &secret,
                path,
                &[("origin", "http://evil.example"), forged],
            )
            .await;
            assert_eq!(
                (seen.status.as_u16(), seen.text()),
                (403, refused("http://evil.example")),
                "{path} {forged:?}"
            );
            // the request's own origin still passes
            let seen = post(
                &srv,
                &jar,
                &secret,
                path,
                &[("origin", "http://api.test"), forged],
            )
            .await;
            assert_eq!(seen.status, 200, "{path} {forged:?}: {}", seen.text());
        }
    }
}

#[actix_rt::test]
async fn forwarded_host_counts_when_trusted() {
    let (srv, jar, secret) = setup(CsrfConfig::new().trust_forwarded_headers(true)).await;
    for forged in FORGED_HOSTS {
        for path in ["/p/", "/sync/"] {
            let seen = post(
                &srv,
                &jar,
                &secret,
                path,
                &[("origin", "http://evil.example"), forged],
            )
            .await;
            assert_eq!(seen.status, 200, "{path} {forged:?}: {}", seen.text());
        }
    }
}

#[actix_rt::test]
async fn forwarded_proto_is_ignored_by_default() {
    let (srv, jar, secret) = setup(CsrfConfig::new()).await;
    let https = ("x-forwarded-proto", "https");
    for path in ["/p/", "/sync/"] {
        // the connection is plain HTTP: its origin is http://api.test
        let seen = post(
            &srv,
            &jar,
            &secret,
            path,
            &[("origin", "https://api.test"), https],
        )
        .await;
        assert_eq!(seen.text(), refused("https://api.test"), "{path}");
        let seen = post(
            &srv,
            &jar,
            &secret,
            path,
            &[("origin", "http://api.test"), https],
        )
        .await;
        assert_eq!(seen.status, 200, "{path}: {}", seen.text());
        // and plain HTTP does not check the Referer
        let seen = post(&srv, &jar, &secret, path, &[https]).await;
        assert_eq!(seen.status, 200, "{path}: {}", seen.text());
    }
}

#[actix_rt::test]
async fn behind_a_trusted_tls_proxy_the_origin_is_https() {
    let (srv, jar, secret) = setup(CsrfConfig::new().trust_forwarded_headers(true)).await;
    let https = ("x-forwarded-proto", "https");
    for path in ["/p/", "/sync/"] {
        let seen = post(
            &srv,
            &jar,
            &secret,
            path,
            &[("origin", "https://api.test"), https],
        )
        .await;
        assert_eq!(seen.status, 200, "{path}: {}", seen.text());
        let seen = post(
            &srv,
            &jar,
            &secret,
            path,
            &[("origin", "http://api.test"), https],
        )
        .await;
        assert_eq!(seen.text(), refused("http://api.test"), "{path}");
        let seen = post(&srv, &jar, &secret, path, &[https]).await;
        assert_eq!(
            seen.text(),
            csrf_body("Referer checking failed - no Referer."),
            "{path}"
        );
        let referer = ("referer", "https://api.test/page");
        let seen = post(&srv, &jar, &secret, path, &[https, referer]).await;
        assert_eq!(seen.status, 200, "{path}: {}", seen.text());
    }
}
