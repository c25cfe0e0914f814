//! What the PostgreSQL tests share: whether the machine's server answers, and a schema of
//! their own.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

/// The machine's PostgreSQL (trust auth, database `test`).
pub const POSTGRES: &str = "127.0.0.1:5432";

/// Whether [`POSTGRES`] answers; says why `test` skips otherwise, and panics instead when
/// `DMR_REQUIRE_POSTGRES=1`.
pub fn postgres_up(test: &str) -> bool {
    let up =
        std::net::TcpStream::connect_timeout(&POSTGRES.parse().unwrap(), Duration::from_secs(1))
            .is_ok();
    if !up {
        dmr_runtime::testing::unavailable(
            test,
            "no PostgreSQL on 127.0.0.1:5432",
            "DMR_REQUIRE_POSTGRES",
        );
    }
    up
}

/// A schema name no other test or run uses.
pub fn unique_schema() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "dmr_t{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}
