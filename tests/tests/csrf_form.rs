//! The `csrfmiddlewaretoken` form field through a real server with `CsrfFormToken`: read
//! from small url-encoded `POST` bodies (which still reach the handler whole), ignored
//! elsewhere, as the reference reads `request.POST`.

mod session_support;

use dmr_runtime::backends::csrf::{CsrfConfig, mask_secret, new_secret};
use session_support::*;

const HOST: &str = "api.test";
const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

async fn setup() -> (dmr_tests::TestServer, Jar, String) {
    let srv = server(&config(users()).csrf(CsrfConfig::new()));
    let jar = logged_in(&srv, "admin").await;
    let secret = jar.get("csrftoken").expect("csrf cookie").to_owned();
    (srv, jar, secret)
}

/// `POST path` as `admin` with the CSRF cookie `cookie` and headers.
async fn post(
    srv: &dmr_tests::TestServer,
    jar: &Jar,
    path: &str,
    cookie: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> dmr_tests::Seen {
    let mut jar = jar.clone();
    jar.set("csrftoken", cookie);
    let mut all = vec![("host", HOST)];
    all.extend_from_slice(headers);
    call(srv, &mut jar, "POST", path, &all, Some(body)).await
}

#[actix_rt::test]
async fn form_field_token_is_read_from_small_post_forms() {
    let (srv, jar, secret) = setup().await;
    let masked = mask_secret(&secret).unwrap();
    let post_reason = |r: &str| csrf_body(&format!("CSRF token from POST {r}"));
    let cases = [
        (format!("a=1&csrfmiddlewaretoken={secret}"), None),
        (
            format!("csrfmiddlewaretoken={masked}&note=caf%C3%A9+au+lait"),
            None,
        ),
        (
            "csrfmiddlewaretoken=abc".to_owned(),
            Some(post_reason("has incorrect length.")),
        ),
        (
            format!("csrfmiddlewaretoken={}", "-".repeat(32)),
            Some(post_reason("has invalid characters.")),
        ),
        (
            format!("csrfmiddlewaretoken={}", new_secret()),
            Some(post_reason("incorrect.")),
        ),
        // the last field wins, as in Django's QueryDict
        (
            format!("csrfmiddlewaretoken=abc&csrfmiddlewaretoken={secret}"),
            None,
        ),
        // an empty field falls back to the header, which is missing here
        (
            "csrfmiddlewaretoken=&a=1".to_owned(),
            Some(csrf_body("CSRF token missing.")),
        ),
    ];
    for path in ["/p/", "/sync/"] {
        for (body, reason) in &cases {
            let seen = post(&srv, &jar, path, &secret, &[FORM], body).await;
            match reason {
                Some(r) => assert_eq!(
                    (seen.status.as_u16(), seen.text()),
                    (403, r.clone()),
                    "{path} {body}"
                ),
                None => {
                    assert_eq!(seen.status, 200, "{path} {body}: {}", seen.text());
                    // the handler read the very same body
                    assert!(
                        seen.text().ends_with(&format!("|{body}")),
                        "{}",
                        seen.text()
                    );
                }
            }
        }
    }
    // the form field wins over the header
    let body = "csrfmiddlewaretoken=abc";
    let seen = post(
        &srv,
        &jar,
        "/p/",
        &secret,
        &[FORM, ("x-csrftoken", &secret)],
        body,
    )
    .await;
    assert_eq!(seen.text(), post_reason("has incorrect length."));
}

#[actix_rt::test]
async fn form_field_is_ignored_where_the_reference_ignores_it() {
    let (srv, jar, secret) = setup().await;
    let body = format!("csrfmiddlewaretoken={secret}");
    let missing = csrf_body("CSRF token missing.");
    // not a url-encoded form
    let seen = post(
        &srv,
        &jar,
        "/p/",
        &secret,
        &[("content-type", "text/plain")],
        &body,
    )
    .await;
    assert_eq!(seen.text(), missing);
    // not a POST
    let mut j = jar.clone();
    let seen = call(
        &srv,
        &mut j,
        "PUT",
        "/p/",
        &[("host", HOST), FORM],
        Some(&body),
    )
    .await;
    assert_eq!(seen.text(), missing);
    // larger than the middleware buffers (64 KiB): header only, and the body still arrives whole
    let big = format!("{body}&pad={}", "x".repeat(70 * 1024));
    let seen = post(&srv, &jar, "/p/", &secret, &[FORM], &big).await;
    assert_eq!(seen.text(), missing);
    let seen = post(
        &srv,
        &jar,
        "/p/",
        &secret,
        &[FORM, ("x-csrftoken", &secret)],
        &big,
    )
    .await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.text().len(), "session:admin|".len() + big.len());
}
