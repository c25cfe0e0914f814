//! Two demo processes pointed at one Redis (`DMR_DEMO_REDIS_URL`, one `DMR_DEMO_SESSION_KEY`,
//! one user database)
//! share what several servers behind a load balancer must share: a session started on one
//! is served by the other and a logout on either ends it everywhere, and an account has one
//! guess budget across both. Needs the Redis on 127.0.0.1:6379 (skipped, visibly, without
//! it; `DMR_REQUIRE_REDIS=1` makes that a failure); keys under a prefix of its own.

mod support;

use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use support::{Running, example_statuses, log_in, request, start};

/// A session key for this test only: 64 bytes, base64.
const SESSION_KEY: &str =
    "ZG1yLWRlbW8tcmVkaXMtc3RvcmVzLXRlc3Qta2V5LW9mLXNpeHR5LWZvdXItYnl0ZXMtZm9yLXRoZS10ZXN0IQ==";

fn redis_answers(test: &str) -> bool {
    if std::net::TcpStream::connect("127.0.0.1:6379").is_ok() {
        return true;
    }
    assert!(
        std::env::var("DMR_REQUIRE_REDIS").as_deref() != Ok("1"),
        "{test}: required here (DMR_REQUIRE_REDIS=1), but no Redis on 127.0.0.1:6379"
    );
    // straight to the process's stderr, which the harness does not capture
    let line = format!(
        "SKIPPED {test}: no Redis on 127.0.0.1:6379 (set DMR_REQUIRE_REDIS=1 to make this a failure)\n"
    );
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    false
}

/// Two demos on one Redis, under a prefix no other run uses, and one user database (a
/// session is bound to its user's password hash, which each demo would otherwise draw
/// itself); the file is removed on drop.
struct TwoDemos(Running, Running, std::path::PathBuf);

impl Drop for TwoDemos {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.2);
    }
}

fn two_demos() -> TwoDemos {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_nanos();
    let run = format!("{}-{nanos}", std::process::id());
    let prefix = format!("dmr-demo-test:{run}:");
    let users = std::env::temp_dir().join(format!("dmr-demo-users-{run}.sqlite3"));
    let envs = [
        ("DMR_DEMO_REDIS_URL", "redis://127.0.0.1:6379"),
        ("DMR_DEMO_REDIS_PREFIX", prefix.as_str()),
        ("DMR_DEMO_SESSION_KEY", SESSION_KEY),
        (
            "DMR_DEMO_USERS_DB",
            users.to_str().expect("a UTF-8 temp dir"),
        ),
    ];
    // one after the other: the first creates and seeds the user database before it listens
    let a = start(&envs);
    let b = start(&envs);
    TwoDemos(a, b, users)
}

#[test]
fn a_session_started_on_one_demo_is_served_and_ended_by_the_other() {
    if !redis_answers("a_session_started_on_one_demo_is_served_and_ended_by_the_other") {
        return;
    }
    let demos = two_demos();
    let (a, b) = (&demos.0, &demos.1);
    let browser = log_in(&a.1);
    assert_eq!(example_statuses(&b.1, &browser.cookie), [200; 4]);
    let headers = [
        browser.cookie.clone(),
        format!("X-CSRFToken: {}", browser.csrf),
    ];
    let logout = request(&b.1, "POST", "/api/auth/logout/", &headers, "");
    assert_eq!(logout.status, 204, "{}", logout.body);
    assert_eq!(example_statuses(&a.1, &browser.cookie), [401; 4]);
}

#[test]
fn an_account_has_one_guess_budget_across_demos_sharing_redis() {
    if !redis_answers("an_account_has_one_guess_budget_across_demos_sharing_redis") {
        return;
    }
    let demos = two_demos();
    let (a, b) = (&demos.0, &demos.1);
    let wrong = r#"{"username":"admin","password":"wrong"}"#;
    // alternating between the two: with a budget each, the first 429 would come at the 21st
    let statuses: Vec<u16> = (0..11)
        .map(|i| {
            let demo = if i % 2 == 0 { a } else { b };
            request(&demo.1, "POST", "/api/jwt/obtain/", &[], wrong).status
        })
        .collect();
    assert_eq!(statuses[..10], [401; 10], "{statuses:?}");
    assert_eq!(
        statuses[10], 429,
        "the 11th guess, wherever it lands: {statuses:?}"
    );
    let login = request(&a.1, "POST", "/api/auth/login/", &[], wrong);
    assert_eq!(
        login.status, 429,
        "the session login shares the budget: {}",
        login.body
    );
}
