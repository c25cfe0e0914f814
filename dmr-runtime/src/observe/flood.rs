//! Warnings an anonymous client can cause, written a bounded number of times: each call site
//! writes at most [`PER_WINDOW`] of them per [`WINDOW`]; the first one written in the next
//! window says how many it held back (field `held_back`) and the metric
//! [`LOGS_SUPPRESSED`](super::names::LOGS_SUPPRESSED) counts them. The state is a few
//! counters per call site: nothing is keyed by client data, so memory stays fixed whatever
//! the traffic.
//!
//! The library's own such warnings go through it; for warnings of other crates written
//! through `log` (actix-session's tampered-cookie line, for one) wrap your logger in
//! [`Aggregate`].

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Records a call site writes per window.
pub const PER_WINDOW: u64 = 5;

/// The window.
pub const WINDOW: Duration = Duration::from_secs(60);

/// The budget of one call site.
pub(crate) struct Gate {
    window: AtomicU64,
    seen: AtomicU64,
}

fn window_now() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    let epoch = *EPOCH.get_or_init(Instant::now);
    // window 0 is "never written": the first call always opens a new window
    epoch.elapsed().as_secs() / WINDOW.as_secs() + 1
}

impl Gate {
    pub(crate) const fn new() -> Self {
        Self {
            window: AtomicU64::new(0),
            seen: AtomicU64::new(0),
        }
    }

    /// `Some(held back in the window before)` when this occurrence may be written.
    pub(crate) fn admit(&self, site: &'static str) -> Option<u64> {
        let now = window_now();
        let open = self.window.load(Ordering::Relaxed);
        if open != now
            && self
                .window
                .compare_exchange(open, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            let seen = self.seen.swap(1, Ordering::Relaxed);
            return Some(seen.saturating_sub(PER_WINDOW));
        }
        if self.seen.fetch_add(1, Ordering::Relaxed) < PER_WINDOW {
            Some(0)
        } else {
            metrics::counter!(super::names::LOGS_SUPPRESSED, "site" => site).increment(1);
            None
        }
    }
}

/// `tracing::warn!` (or `error!`) through a [`Gate`] of its own:
/// `gated!(warn, "site", fields.., "msg")`.
macro_rules! gated {
    ($level:ident, $site:literal, $($arg:tt)+) => {{
        static GATE: $crate::observe::flood::Gate = $crate::observe::flood::Gate::new();
        if let Some(held_back) = GATE.admit($site) {
            ::tracing::$level!(site = $site, held_back, $($arg)+);
        }
    }};
}
pub(crate) use gated;

/// Slots of [`Aggregate`]: call sites beyond this share budgets.
const SLOTS: usize = 64;

/// A `log` logger that writes each call site's WARN and ERROR records at most
/// [`PER_WINDOW`] times per [`WINDOW`] (the first written after a held-back run says how many
/// it held back); other records pass through. Call sites are told apart by target and line
/// in a fixed table of 64 budgets.
///
/// ```
/// use dmr_runtime::observe::Aggregate;
/// use log::{Log, Metadata, Record};
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// struct Count(AtomicUsize);
/// impl Log for Count {
///     fn enabled(&self, _: &Metadata<'_>) -> bool { true }
///     fn log(&self, _: &Record<'_>) { self.0.fetch_add(1, Ordering::Relaxed); }
///     fn flush(&self) {}
/// }
/// let logger = Aggregate::new(Count(AtomicUsize::new(0)));
/// for _ in 0..1000 {
///     logger.log(&Record::builder().level(log::Level::Warn).target("x").line(Some(7))
///         .args(format_args!("tampered cookie")).build());
/// }
/// assert_eq!(logger.inner().0.load(Ordering::Relaxed), 5);
/// ```
pub struct Aggregate<L> {
    inner: L,
    gates: [Gate; SLOTS],
}

impl<L> Aggregate<L> {
    /// Wraps `inner` (a `const fn`: the wrapper can be the `static` that `log::set_logger`
    /// takes).
    pub const fn new(inner: L) -> Self {
        Self {
            inner,
            gates: [const { Gate::new() }; SLOTS],
        }
    }

    /// The wrapped logger.
    pub fn inner(&self) -> &L {
        &self.inner
    }
}

impl<L: log::Log> Aggregate<L> {
    fn gate(&self, record: &log::Record<'_>) -> &Gate {
        // FNV-1a of the target and the line: a code location, never client data
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in record
            .target()
            .bytes()
            .chain(record.line().unwrap_or(0).to_le_bytes())
        {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        &self.gates[(h % SLOTS as u64) as usize]
    }
}

impl<L: log::Log> log::Log for Aggregate<L> {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        self.inner.enabled(metadata)
    }

    fn log(&self, record: &log::Record<'_>) {
        if record.level() > log::Level::Warn || !self.inner.enabled(record.metadata()) {
            return self.inner.log(record);
        }
        match self.gate(record).admit("log") {
            None => {}
            Some(0) => self.inner.log(record),
            Some(held) => self.inner.log(
                &log::Record::builder()
                    .metadata(record.metadata().clone())
                    .module_path(record.module_path())
                    .file(record.file())
                    .line(record.line())
                    .args(format_args!(
                        "{} ({held} similar records held back)",
                        record.args()
                    ))
                    .build(),
            ),
        }
    }

    fn flush(&self) {
        self.inner.flush();
    }
}
