//! Building a session auth whose CSRF enforcement is off logs a warning, once per
//! configuration.

use std::sync::{Mutex, Once};
use std::thread::ThreadId;

use super::{SessionAuth, SessionConfig};
use crate::backends::csrf::CsrfConfig;
use crate::backends::users::MemoryUsers;

/// Warnings logged, with the thread that logged them (tests run in parallel).
static WARNINGS: Mutex<Vec<(ThreadId, String)>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        if record.level() == log::Level::Warn {
            let entry = (std::thread::current().id(), record.args().to_string());
            WARNINGS
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(entry);
        }
    }
    fn flush(&self) {}
}

/// The CSRF warnings this thread logged so far.
fn csrf_warnings() -> Vec<String> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&Capture).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
    let me = std::thread::current().id();
    WARNINGS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter(|(t, m)| *t == me && m.contains("CSRF protection is OFF"))
        .map(|(_, m)| m.clone())
        .collect()
}

#[test]
fn an_auth_built_without_csrf_enforcement_warns_once() {
    assert!(csrf_warnings().is_empty());
    let enforced = SessionConfig::new(MemoryUsers::new());
    assert!(enforced.get_csrf().is_enforced());
    let _ = enforced.auth();
    assert!(csrf_warnings().is_empty(), "nothing to say when enforced");

    let off = SessionConfig::new(MemoryUsers::new()).csrf(CsrfConfig::new().enforce(false));
    assert!(!off.get_csrf().is_enforced());
    let _ = off.auth();
    let warnings = csrf_warnings();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("tests only"), "{}", warnings[0]);
    // more auths from the same configuration (or its clones) do not repeat it
    let _ = off.auth();
    let _ = SessionAuth::new(&off.clone());
    assert_eq!(csrf_warnings().len(), 1);
    // another configuration warns again
    let _ = SessionConfig::new(MemoryUsers::new())
        .csrf(CsrfConfig::new().enforce(false))
        .auth();
    assert_eq!(csrf_warnings().len(), 2);
}
