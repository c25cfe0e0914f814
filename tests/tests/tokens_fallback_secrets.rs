//! Rotating the token hashing secret: a token issued under secret A still authenticates (async
//! and sync endpoints) on a server hashing with B and A as a fallback, new tokens there are
//! hashed with B, and once A is dropped its tokens are refused. One SQLite token table shared
//! by the servers, as a deployment's database is.

mod tokens_support;

use dmr_runtime::backends::tokens::{ApiTokens, SqliteTokens, TokenHasher};
use dmr_tests::{NOT_AUTHENTICATED, TestServer};
use tokens_support::*;

const A: &str = "the old token hashing secret";
const B: &str = "the new token hashing secret";

async fn read(srv: &TestServer, raw: &str) -> [(u16, String); 2] {
    let mut seen = [(0, String::new()), (0, String::new())];
    for (i, path) in ["/t/async/", "/s/sync/"].into_iter().enumerate() {
        let got = with_token(srv, "GET", path, raw).await;
        seen[i] = (got.status.as_u16(), got.text());
    }
    seen
}

#[actix_rt::test]
async fn a_fallback_secret_finds_old_tokens_until_it_is_dropped() {
    let store = SqliteTokens::open_in_memory().unwrap();
    let users = memory_users();
    let server = |hasher: TokenHasher| server(ApiTokens::new(store.clone(), users.clone(), hasher));
    let old = token_of(&server(TokenHasher::new(A)), "admin").await;

    let rotated = server(TokenHasher::new(B).fallback_secrets([A]));
    let [(status, body), sync] = read(&rotated, &old).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("admin:"), "{body}");
    assert_eq!(sync, (200, "sync admin".into()));
    let new = token_of(&rotated, "bob").await;
    assert_eq!(read(&rotated, &new).await[1], (200, "sync bob".into()));

    let refused = (401, NOT_AUTHENTICATED.to_owned());
    // stored under B: a server hashing with A alone does not find it
    assert_eq!(read(&server(TokenHasher::new(A)), &new).await[0], refused);

    let dropped = server(TokenHasher::new(B));
    assert_eq!(read(&dropped, &new).await[1], (200, "sync bob".into()));
    assert_eq!(read(&dropped, &old).await, [refused.clone(), refused]);
}
