//! HTTP Basic through a real server: parsing rules, verification kinds, custom header,
//! hostile input.

use dmr_runtime::backends::basic::{
    BasicUser, HttpBasic, basic_auth, basic_auth_with_prefix, constant_time_eq,
};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, get, send, serve};

fn check(user: &str, pass: &str) -> bool {
    user == "test" && constant_time_eq(pass, "pa:ss")
}

struct Guarded;

#[controller(path = "/basic", auth = [HttpBasic::new(check)])]
impl Guarded {
    #[endpoint(get, path = "/")]
    async fn me(user: Authed<BasicUser>) -> String {
        user.into_inner().username
    }

    #[endpoint(get, path = "/custom", auth = [HttpBasic::new(check).header("X-Api-Auth").scheme_name("basic_custom")])]
    async fn custom(user: Authed<BasicUser>) -> String {
        user.into_inner().username
    }

    #[endpoint(get, path = "/async", auth = [HttpBasic::with_async(|u: String, p: String| async move {
        actix_rt::task::yield_now().await;
        u == "async" && p == "pw"
    })])]
    async fn via_async(user: Authed<BasicUser>) -> String {
        user.into_inner().username
    }
}

fn srv() -> dmr_tests::TestServer {
    serve(Api::new().controller::<Guarded>().build().unwrap())
}

#[actix_rt::test]
async fn accepts_reference_forms() {
    let srv = srv();
    // `test:pa:ss` -> the password keeps its colon
    for value in [
        basic_auth("test", "pa:ss"),
        basic_auth_with_prefix("test", "pa:ss", "basic "),
        basic_auth_with_prefix("test", "pa:ss", "BASIC "),
        basic_auth_with_prefix("test", "pa:ss", ""),
        format!("{}!!", basic_auth("test", "pa:ss")),
        // te%73t:pa%3Ass percent-decoded
        basic_auth("te%73t", "pa%3Ass"),
    ] {
        let seen = get(&srv, "/basic/", &[("authorization", &value)]).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (200, "test".to_owned()),
            "{value}"
        );
    }
}

#[actix_rt::test]
async fn parse_failures_and_wrong_passwords_are_the_generic_401() {
    let srv = srv();
    let good = basic_auth("test", "pa:ss");
    let payload = good.trim_start_matches("Basic ");
    for value in [
        String::new(),
        " ".into(),
        "Basic".into(),
        format!("Bearer {payload}"),
        format!("Basic  {payload}"),
        format!("Basic {payload} extra"),
        "Basic dGVzdA==".into(),    // no colon
        "Basic dGVzdDpwYXN".into(), // bad padding
        basic_auth("test", "wrong"),
        basic_auth("test", "pa+ss"),
    ] {
        let seen = get(&srv, "/basic/", &[("authorization", &value)]).await;
        assert_eq!(seen.status, 401, "{value:?}");
        assert_eq!(seen.text(), NOT_AUTHENTICATED);
        assert_eq!(
            seen.header("www-authenticate"),
            Some(r#"Basic realm="api""#)
        );
    }
}

#[actix_rt::test]
async fn hostile_values_never_panic() {
    let srv = srv();
    let huge = format!("Basic {}", "A".repeat(64 * 1024));
    let non_utf8: &[u8] = b"Basic \xff\xfe\xfd";
    let decoded_non_utf8 = basic_auth_with_prefix("\u{0}", "x", "Basic ");
    for value in [
        huge.as_bytes(),
        non_utf8,
        b"\t",
        decoded_non_utf8.as_bytes(),
        b"Basic \x80dGVzdDpwYSpzcw==",
    ] {
        let seen = send(&srv, "GET", "/basic/", &[("authorization", value)], None).await;
        assert_eq!(seen.status, 401);
        assert_eq!(seen.text(), NOT_AUTHENTICATED);
    }
}

#[actix_rt::test]
async fn custom_header() {
    let srv = srv();
    let value = basic_auth("test", "pa:ss");
    assert_eq!(
        get(&srv, "/basic/custom", &[("x-api-auth", &value)])
            .await
            .text(),
        "test"
    );
    // the custom header auth comes first, the controller's Basic still reads Authorization
    assert_eq!(
        get(&srv, "/basic/custom", &[("authorization", &value)])
            .await
            .text(),
        "test"
    );
    let seen = get(&srv, "/basic/custom", &[("x-api-auth", "nope")]).await;
    assert_eq!(seen.status, 401);
}

#[actix_rt::test]
async fn async_verification_function() {
    let srv = srv();
    let seen = get(
        &srv,
        "/basic/async",
        &[("authorization", &basic_auth("async", "pw"))],
    )
    .await;
    assert_eq!(seen.text(), "async");
    let seen = get(
        &srv,
        "/basic/async",
        &[("authorization", &basic_auth("async", "no"))],
    )
    .await;
    assert_eq!(seen.status, 401);
}
