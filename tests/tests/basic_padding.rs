//! HTTP Basic payloads whose base64 padding is not canonical, through a real server: read as
//! leniently as the reference reads them, and no more.

use dmr_runtime::backends::basic::{BasicUser, HttpBasic, constant_time_eq};
use dmr_runtime::prelude::*;
use dmr_tests::{NOT_AUTHENTICATED, get, serve};

struct Guarded;

#[controller(path = "/basic", auth = [HttpBasic::new(|u: &str, p: &str| u == "test" && constant_time_eq(p, "pass"))])]
impl Guarded {
    #[endpoint(get, path = "/")]
    async fn me(user: Authed<BasicUser>) -> String {
        user.into_inner().username
    }
}

fn srv() -> dmr_tests::TestServer {
    serve(Api::new().controller::<Guarded>().build().unwrap())
}

#[actix_rt::test]
async fn extra_or_misplaced_padding_is_read_as_the_reference_reads_it() {
    let srv = srv();
    // `dGVzdDpwYXNz` is `test:pass`
    for value in [
        "Basic dGVzdDpwYXNz=",
        "Basic dGVzdDpwYXNz===",
        "Basic =dGVzdDpwYXNz",
        "Basic dGVz=dDpwYXNz",
        "dGVzdDpwYXNz=",
        "Basic dGVzdDpwYXNz=!!",
    ] {
        let seen = get(&srv, "/basic/", &[("authorization", value)]).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (200, "test".to_owned()),
            "{value}"
        );
    }
}

#[actix_rt::test]
async fn payloads_that_do_not_end_on_a_complete_group_stay_refused() {
    let srv = srv();
    for value in [
        // `test:pas` without its padding, or with half of it
        "Basic dGVzdDpwYXM",
        "Basic dGVzdDpwYQ=",
        // one data character over a group
        "Basic dGVzdDpwYXNzY",
        "Basic dGVzdDpwYXNzY=",
        // the padding that completes a group ends the payload: `test:pas`, then ignored data
        "Basic dGVzdDpwYXM=cw==",
        "Basic ====",
    ] {
        let seen = get(&srv, "/basic/", &[("authorization", value)]).await;
        assert_eq!(
            (seen.status.as_u16(), seen.text()),
            (401, NOT_AUTHENTICATED.to_owned()),
            "{value}"
        );
    }
}
