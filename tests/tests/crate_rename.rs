//! The `crate = ..` override of `#[controller]`, for a runtime crate known under another
//! name.
//!
//! Cargo refuses a package that depends on one crate under two names ("depends on crate
//! `dmr-runtime` multiple times with different names"), and the other tests of this package
//! need `dmr_runtime`, so the rename happens in the source: `extern crate .. as ..` at the crate
//! root puts `dmr_renamed` in the extern prelude exactly as a `Cargo.toml` rename would. That
//! `::dmr_runtime` appears nowhere in an expansion with `crate = ..` is asserted by the expand
//! snapshot `renamed_runtime_crate` in `dmr-macros`; the second controller here proves at run
//! time that the override is the path actually used.

extern crate dmr_runtime as dmr_renamed;

use dmr_renamed::auth::{Auth, AuthRequest, AuthResult, InlineAuth, SchemeDoc};
use dmr_renamed::{Api, Authed, controller};
use dmr_tests::{get, serve};

/// Lets `X-Token: ok` in, as "token".
struct Token;

impl Auth for Token {
    type Identity = String;
    fn scheme_name(&self) -> &str {
        "token"
    }
    fn schemes(&self) -> Vec<SchemeDoc> {
        vec![SchemeDoc::api_key_header("token", "X-Token", "test token")]
    }
}

impl InlineAuth for Token {
    fn authenticate_inline(&self, req: &AuthRequest<'_>) -> AuthResult<String> {
        Ok((req.header_str("x-token") == Some("ok")).then(|| "token".to_owned()))
    }
}

struct Renamed;

#[controller(path = "/renamed", auth = [Token], crate = ::dmr_renamed)]
impl Renamed {
    #[endpoint(get, path = "/")]
    async fn get(who: Authed<String>) -> String {
        who.into_inner()
    }
}

/// The runtime seen through a wrapper whose `__private` counts the auth entries the
/// expansion checks: a glob re-export, with one item shadowed by a local one.
mod wrapped {
    pub mod __private {
        pub use dmr_renamed::__private::*;

        use std::sync::atomic::{AtomicUsize, Ordering};

        pub static CHECKED: AtomicUsize = AtomicUsize::new(0);

        pub fn auth_entry_must_be_an_auth<T: IntoAuth>(_: &T) {
            CHECKED.fetch_add(1, Ordering::SeqCst);
        }
    }
}

struct Wrapped;

#[controller(path = "/wrapped", auth = [Token], crate = crate::wrapped)]
impl Wrapped {
    #[endpoint(get, path = "/")]
    async fn get(who: Authed<String>) -> String {
        who.into_inner()
    }
}

#[actix_rt::test]
async fn renamed_runtime_serves_requests() {
    let srv = serve(
        Api::new()
            .controller::<Renamed>()
            .build()
            .expect("api builds"),
    );
    assert_eq!(
        get(&srv, "/renamed/", &[("x-token", "ok")]).await.text(),
        "token"
    );
    assert_eq!(get(&srv, "/renamed/", &[]).await.status, 401);
}

#[actix_rt::test]
async fn the_override_is_the_path_the_expansion_uses() {
    use std::sync::atomic::Ordering;
    let before = wrapped::__private::CHECKED.load(Ordering::SeqCst);
    let srv = serve(
        Api::new()
            .controller::<Wrapped>()
            .build()
            .expect("api builds"),
    );
    assert!(
        wrapped::__private::CHECKED.load(Ordering::SeqCst) > before,
        "the expansion bypassed `crate = ..`"
    );
    assert_eq!(
        get(&srv, "/wrapped/", &[("x-token", "ok")]).await.text(),
        "token"
    );
}
