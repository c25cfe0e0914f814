//! [`PasswordGate`]: password checks a bounded number at a time, with a bounded queue and a
//! bounded wait, each reusing its slot's Argon2 memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError, web};
use argon2::Block;
use tokio::sync::{AcquireError, Semaphore};

use super::block_on_until;
use crate::backends::users::{StoredUser, UserStore, UserStoreError, with_slot_memory};

/// Runs password checks (Argon2 verifications: CPU-bound, 19 MiB each with the default costs)
/// on actix's blocking pool, at most [`max_running`](Self::max_running) at once. Further
/// checks wait, asynchronously and holding no thread, but at most
/// [`max_waiting`](Self::max_waiting) of them and each for at most
/// [`max_wait`](Self::max_wait); beyond that the request is answered at once with
/// [`GateBusy`]: 503 `Too many logins at once: retry later` and `Retry-After: 1`.
///
/// Each running slot owns one Argon2 memory buffer, reused by every check it runs (through
/// [`verify_password`](crate::backends::users::verify_password), which every built-in store
/// uses): resident memory stays at about `max_running` × the memory cost after a flood of
/// logins, instead of the allocator keeping one buffer per blocking thread.
///
/// Clones share the slots and the queue (every worker's copy of the app data counts against
/// one bound).
///
/// ```
/// use std::time::{Duration, Instant};
///
/// use dmr_runtime::backends::credentials::PasswordGate;
///
/// let gate = PasswordGate::new(2).max_waiting(32).max_wait(Duration::from_secs(3));
/// assert_eq!((gate.get_max_running(), gate.get_max_waiting()), (2, 32));
/// # actix_web::rt::System::new().block_on(async {
/// let answer = gate.run(|| 6 * 7).await.unwrap();
/// assert_eq!(answer, 42);
/// # });
/// ```
#[derive(Clone)]
pub struct PasswordGate {
    max_running: usize,
    max_waiting: usize,
    max_wait: Duration,
    state: Arc<State>,
}

struct State {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    /// Argon2 memory of the slots not running now (at most `max_running` buffers exist).
    memory: Mutex<Vec<Vec<Block>>>,
}

impl State {
    fn new(max_running: usize) -> Arc<Self> {
        Arc::new(Self {
            permits: Arc::new(Semaphore::new(max_running)),
            waiting: AtomicUsize::new(0),
            memory: Mutex::new(Vec::new()),
        })
    }
}

impl State {
    /// Runs `check` with the Argon2 memory of a free slot (the caller holds a permit).
    fn with_memory<R>(&self, check: impl FnOnce() -> R) -> R {
        let lock = || self.memory.lock().unwrap_or_else(PoisonError::into_inner);
        let mut memory = lock().pop().unwrap_or_default();
        let out = with_slot_memory(&mut memory, check);
        lock().push(memory);
        out
    }
}

impl std::fmt::Debug for PasswordGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordGate")
            .field("max_running", &self.max_running)
            .field("max_waiting", &self.max_waiting)
            .field("max_wait", &self.max_wait)
            .finish()
    }
}

impl Default for PasswordGate {
    /// The process's gate: one slot per available CPU, 64 waiting, 5 seconds of wait. Every
    /// `PasswordGate::default()` shares its slots and its queue, and so does every credential
    /// configuration not given a gate of its own: however many login endpoints a process has,
    /// it runs at most one password check per CPU (and holds one Argon2 buffer per CPU).
    ///
    /// ```
    /// use dmr_runtime::backends::credentials::PasswordGate;
    ///
    /// let cpus = std::thread::available_parallelism().unwrap().get();
    /// assert_eq!(PasswordGate::default().get_max_running(), cpus);
    /// // a gate of its own: `new`, or changing the bound of the default one
    /// assert_eq!(PasswordGate::default().max_running(1).get_max_running(), 1);
    /// ```
    fn default() -> Self {
        static SHARED: std::sync::OnceLock<PasswordGate> = std::sync::OnceLock::new();
        SHARED
            .get_or_init(|| {
                let cpus =
                    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
                Self::new(cpus)
            })
            .clone()
    }
}

/// Decrements the queue length when a waiter leaves (served, timed out or dropped).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl PasswordGate {
    /// A gate running at most `max_running` checks at once (at least 1), with 64 waiting at
    /// most, for 5 seconds at most.
    pub fn new(max_running: usize) -> Self {
        let max_running = max_running.clamp(1, Semaphore::MAX_PERMITS);
        Self {
            max_running,
            max_waiting: 64,
            max_wait: Duration::from_secs(5),
            state: State::new(max_running),
        }
    }

    /// How many checks may run at once (at least 1). Gives the gate fresh slots: set it
    /// before sharing the gate.
    pub fn max_running(self, max: usize) -> Self {
        Self {
            max_waiting: self.max_waiting,
            max_wait: self.max_wait,
            ..Self::new(max)
        }
    }

    /// How many checks may wait for a slot (default 64; 0: none waits, a full gate answers
    /// 503 at once).
    pub fn max_waiting(mut self, max: usize) -> Self {
        self.max_waiting = max;
        self
    }

    /// How long a check may wait for a slot (default 5 seconds).
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// The bound on running checks.
    pub fn get_max_running(&self) -> usize {
        self.max_running
    }

    /// The bound on waiting checks.
    pub fn get_max_waiting(&self) -> usize {
        self.max_waiting
    }

    /// The bound on the wait.
    pub fn get_max_wait(&self) -> Duration {
        self.max_wait
    }

    /// Joins the queue of checks waiting for a slot ([`GateError::Busy`] when it is full);
    /// the guard leaves it when dropped.
    fn join_queue(&self) -> Result<Waiting<'_>, GateError> {
        let queued = self.state.waiting.fetch_add(1, Ordering::SeqCst);
        let waiting = Waiting(&self.state.waiting);
        if queued >= self.max_waiting {
            return Err(GateError::Busy(GateBusy));
        }
        Ok(waiting)
    }

    /// Runs `check` on actix's blocking pool once a slot is free, with the slot's Argon2
    /// memory lent to [`verify_password`](crate::backends::users::verify_password) calls it
    /// makes. The slot stays taken until `check` returns, even if the caller stops waiting.
    ///
    /// Errors: [`GateError::Busy`] when the queue is full or the wait too long (the check
    /// did not run); [`GateError::Store`] if the blocking pool failed or `check` panicked.
    pub async fn run<R, F>(&self, check: F) -> Result<R, GateError>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let permits = Arc::clone(&self.state.permits);
        let permit = match Arc::clone(&permits).try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let _waiting = self.join_queue()?;
                let wait = actix_web::rt::time::timeout(self.max_wait, permits.acquire_owned());
                granted(wait.await.ok())?
            }
        };
        let state = Arc::clone(&self.state);
        web::block(move || {
            let _permit = permit;
            state.with_memory(check)
        })
        .await
        .map_err(|e| GateError::Store(UserStoreError::new(e)))
    }

    /// [`PasswordGate::run`] for a caller already on actix's blocking pool (a sync view): waits
    /// for a slot on this thread (parked, at most [`max_wait`](Self::max_wait)) and runs
    /// `check` here, with the slot's Argon2 memory.
    ///
    /// Errors: [`GateError::Busy`] when the queue is full or the wait too long (the check did
    /// not run).
    ///
    /// ```
    /// use dmr_runtime::backends::credentials::PasswordGate;
    ///
    /// let gate = PasswordGate::new(1);
    /// assert_eq!(gate.run_blocking(|| 6 * 7).unwrap(), 42);
    /// ```
    pub fn run_blocking<R>(&self, check: impl FnOnce() -> R) -> Result<R, GateError> {
        let permits = Arc::clone(&self.state.permits);
        let _permit = match Arc::clone(&permits).try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let _waiting = self.join_queue()?;
                let deadline = Instant::now() + self.max_wait;
                granted(block_on_until(permits.acquire_owned(), Some(deadline)))?
            }
        };
        Ok(self.state.with_memory(check))
    }

    /// [`UserStore::authenticate`] through the gate: the active user with these
    /// credentials, or `None`. A password longer than [`MAX_PASSWORD_BYTES`] is refused
    /// (`None`) without taking a turn or hashing it.
    ///
    /// ```
    /// # actix_web::rt::System::new().block_on(async {
    /// use std::sync::Arc;
    ///
    /// use dmr_runtime::backends::credentials::{MAX_PASSWORD_BYTES, PasswordGate};
    /// use dmr_runtime::backends::users::{MemoryUsers, UserStore};
    ///
    /// let users: Arc<dyn UserStore> = Arc::new(MemoryUsers::new());
    /// let long = "x".repeat(MAX_PASSWORD_BYTES + 1);
    /// let found = PasswordGate::new(1).authenticate(users, "ada".into(), long).await;
    /// assert!(matches!(found, Ok(None)));
    /// # });
    /// ```
    pub async fn authenticate(
        &self,
        users: Arc<dyn UserStore>,
        username: String,
        password: String,
    ) -> Result<Option<StoredUser>, GateError> {
        if password.len() > MAX_PASSWORD_BYTES {
            return Ok(None);
        }
        self.run(move || users.authenticate(&username, &password))
            .await?
            .map_err(GateError::Store)
    }

    /// [`authenticate`](Self::authenticate) for a caller already on the blocking pool (see
    /// [`run_blocking`](Self::run_blocking)).
    pub fn authenticate_blocking(
        &self,
        users: &dyn UserStore,
        username: &str,
        password: &str,
    ) -> Result<Option<StoredUser>, GateError> {
        if password.len() > MAX_PASSWORD_BYTES {
            return Ok(None);
        }
        self.run_blocking(|| users.authenticate(username, password))?
            .map_err(GateError::Store)
    }
}

/// The slot a waiter got: `None` when its wait ran out ([`GateError::Busy`]); a closed
/// semaphore (which the gate never closes) is a store failure.
fn granted<P>(waited: Option<Result<P, AcquireError>>) -> Result<P, GateError> {
    match waited {
        Some(Ok(permit)) => Ok(permit),
        Some(Err(closed)) => Err(GateError::Store(UserStoreError::new(closed))),
        None => Err(GateError::Busy(GateBusy)),
    }
}

/// Longer passwords are refused without hashing them (Django's `MAX_PASSWORD_LENGTH`): no
/// real password is that long, and hashing megabytes would be a cheap way to spend CPU.
pub const MAX_PASSWORD_BYTES: usize = 4096;

/// A [`PasswordGate`] was full: 503 with `Retry-After: 1` and the body
/// `{"detail":[{"msg":"Too many logins at once: retry later"}]}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateBusy;

impl std::fmt::Display for GateBusy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Too many logins at once: retry later")
    }
}

impl std::error::Error for GateBusy {}

impl ResponseError for GateBusy {
    fn status_code(&self) -> StatusCode {
        StatusCode::SERVICE_UNAVAILABLE
    }

    fn error_response(&self) -> HttpResponse {
        crate::respond::retry_later(&self.to_string())
    }
}

/// Why a check through a [`PasswordGate`] gave no answer.
#[derive(Debug)]
pub enum GateError {
    /// The gate was full ([`GateBusy`], 503).
    Busy(GateBusy),
    /// The store or the blocking pool failed (500; log it, do not show it).
    Store(UserStoreError),
}

impl std::fmt::Display for GateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Busy(b) => b.fmt(f),
            Self::Store(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for GateError {}
