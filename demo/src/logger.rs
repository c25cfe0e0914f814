//! Warnings and errors of the library on stderr (a refresh-token replay, a blocklist that
//! cannot answer, CSRF protection turned off), without a logging framework: the library
//! writes through `tracing`, whose `log` feature hands its events to this logger when no
//! `tracing` subscriber is installed. Each call site writes at most 5 warnings a minute
//! (`dmr_runtime::observe::Aggregate`): a client sending tampered session cookies cannot
//! flood the log (actix-session writes one warning per such request).

use dmr_runtime::observe::Aggregate;
use log::{Level, LevelFilter, Log, Metadata, Record};

struct Stderr;

impl Log for Stderr {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= Level::Warn
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            eprintln!("{} {}: {}", record.level(), record.target(), record.args());
        }
    }

    fn flush(&self) {}
}

/// Installs the logger (once; a second call changes nothing).
pub fn init() {
    static LOGGER: Aggregate<Stderr> = Aggregate::new(Stderr);
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(LevelFilter::Warn);
    }
}
