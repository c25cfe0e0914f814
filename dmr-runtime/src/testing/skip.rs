//! [`unavailable`]: a test that cannot run here says so where its reader looks.

use std::io::Write as _;

/// Records that `test` cannot run because `why` (no Redis on the machine, no `node`, ..), and
/// returns so that the test can end early: call it, then `return`.
///
/// - With the environment variable `require` set to `1` (as CI sets `DMR_REQUIRE_REDIS=1`),
///   it panics instead: there the test must run.
/// - Otherwise it writes `SKIPPED <test>: <why>` straight to the process's standard error,
///   which the test harness does not capture (its capture takes `print!` and `eprint!`
///   only), so the line stands in `cargo test`'s summary beside the `ok` the harness prints
///   for the test, without `--nocapture`.
/// - When `DMR_SKIP_LOG` names a file, the line is appended to it as well, for a CI script
///   to list or count.
///
/// ```
/// use dmr_runtime::testing::unavailable;
///
/// fn redis_answers() -> bool {
///     let up = std::net::TcpStream::connect("127.0.0.1:6379").is_ok();
///     if !up {
///         unavailable("my_store_test", "no Redis on 127.0.0.1:6379", "MY_REQUIRE_REDIS");
///     }
///     up
/// }
/// # let _ = redis_answers;
/// ```
pub fn unavailable(test: &str, why: &str, require: &str) {
    assert!(
        std::env::var(require).as_deref() != Ok("1"),
        "{test}: required here ({require}=1), but {why}"
    );
    let line = format!("SKIPPED {test}: {why} (set {require}=1 to make this a failure)\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    if let Ok(path) = std::env::var("DMR_SKIP_LOG") {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path);
        if let Ok(mut log) = log {
            let _ = log.write_all(line.as_bytes());
        }
    }
}
