//! One server with every password-checking login endpoint: the session login, both JWT
//! obtain controllers and the token obtain controller, each over its own configuration.

use actix_web::cookie::Key;
use dmr_runtime::backends::jwt::{JwtIssuer, JwtObtain, JwtObtainSync};
use dmr_runtime::backends::session::{MemorySessionStore, SessionConfig, SessionLogin};
use dmr_runtime::backends::tokens::{ApiTokens, TokenObtain};
use dmr_runtime::prelude::*;
use dmr_tests::{TestServer, serve_with};

/// The login paths of [`server`], in the order of its scopes.
pub const PATHS: [&str; 4] = [
    "/session/login/",
    "/jwt/obtain/",
    "/jwt-sync/obtain/",
    "/tokens/",
];

/// The four login endpoints of [`PATHS`] over these configurations (sessions in memory).
pub fn server(sessions: SessionConfig, issuer: JwtIssuer, tokens: ApiTokens) -> TestServer {
    let api = Api::new()
        .state(tokens)
        .scope("/session", |s| s.controller::<SessionLogin>())
        .scope("/jwt", |s| s.controller::<JwtObtain>())
        .scope("/jwt-sync", |s| s.controller::<JwtObtainSync>())
        .scope("/tokens", |s| s.controller::<TokenObtain>())
        .build()
        .expect("api builds");
    let (key, store) = (Key::generate(), MemorySessionStore::new());
    serve_with(api, move || {
        actix_web::App::new()
            .wrap(sessions.middleware(store.clone(), key.clone()))
            .app_data(sessions.app_data())
            .app_data(issuer.app_data())
    })
}
