//! Argon2 password hashes (PHC strings) and the fingerprint sessions keep of them.

use std::cell::RefCell;
use std::sync::OnceLock;

use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, PasswordHasher as _, Version};
use sha2::Digest as _;
use subtle::ConstantTimeEq as _;

/// Hashing a password failed (bad parameters or no randomness for the salt); the message
/// never contains the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHashError(String);

impl std::fmt::Display for PasswordHashError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot hash the password: {}", self.0)
    }
}

impl std::error::Error for PasswordHashError {}

/// Hashes `password` with Argon2id and a random salt into a PHC string
/// (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), with the crate's default costs.
///
/// ```
/// use dmr_runtime::backends::users::{hash_password, verify_password};
///
/// let phc = hash_password("correct horse").unwrap();
/// assert!(phc.starts_with("$argon2id$"));
/// assert!(verify_password("correct horse", &phc));
/// assert!(!verify_password("wrong", &phc));
/// ```
pub fn hash_password(password: &str) -> Result<String, PasswordHashError> {
    hash_password_with(password, &Params::DEFAULT)
}

/// [`hash_password`] with explicit Argon2 costs (cheap ones keep tests fast; production
/// should keep the defaults or raise them).
///
/// ```
/// use dmr_runtime::backends::users::{hash_password_with, verify_password};
///
/// let cheap = argon2::Params::new(argon2::Params::MIN_M_COST, 1, 1, None).unwrap();
/// let phc = hash_password_with("pw", &cheap).unwrap();
/// assert!(verify_password("pw", &phc));
/// ```
pub fn hash_password_with(password: &str, params: &Params) -> Result<String, PasswordHashError> {
    Argon2::from(params)
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PasswordHashError(e.to_string()))
}

/// Whether `password` matches the PHC string `phc` (the costs are read from the string). A
/// malformed hash never matches.
///
/// Run through a [`PasswordGate`](crate::backends::credentials::PasswordGate), it works in
/// the gate slot's Argon2 memory (allocated once per slot, then reused); elsewhere it
/// allocates the memory cost for the call.
pub fn verify_password(password: &str, phc: &str) -> bool {
    SLOT_MEMORY.with_borrow_mut(|lent| match lent {
        Some(memory) => verify_in(password, phc, memory),
        None => verify_in(password, phc, &mut Vec::new()),
    })
}

thread_local! {
    /// The Argon2 memory a gate slot lent to this thread for the check it runs.
    static SLOT_MEMORY: RefCell<Option<Vec<Block>>> = const { RefCell::new(None) };
}

/// Runs `f` with `memory` lent to [`verify_password`] calls on this thread; the (possibly
/// grown) buffer is given back afterwards.
pub(crate) fn with_slot_memory<R>(memory: &mut Vec<Block>, f: impl FnOnce() -> R) -> R {
    SLOT_MEMORY.set(Some(std::mem::take(memory)));
    let out = f();
    *memory = SLOT_MEMORY.take().unwrap_or_default();
    out
}

/// Verifies `password` against `phc` in `memory`, grown to the hash's memory cost if needed.
fn verify_in(password: &str, phc: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (hash.salt.as_ref(), hash.hash.as_ref()) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm.as_str()) else {
        return false;
    };
    let version = match hash.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let Ok(params) = Params::try_from(&hash) else {
        return false;
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::new());
    }
    let mut out = vec![0u8; expected.len()];
    let computed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password.as_bytes(),
        salt.as_ref(),
        &mut out,
        &mut memory[..blocks],
    );
    computed.is_ok() && bool::from(out.as_slice().ct_eq(expected.as_bytes()))
}

/// A hash of a fixed password and salt made with `params`: what an unknown user name is
/// verified against ([`UserStore::dummy_hash`](super::UserStore::dummy_hash)). The fixed salt
/// needs no randomness, so it is `None` only for costs Argon2 refuses.
///
/// ```
/// use dmr_runtime::backends::users::{Argon2Params, dummy_hash_with};
///
/// let params = Argon2Params::new(64, 3, 2, None).unwrap();
/// assert!(dummy_hash_with(&params).unwrap().contains("$m=64,t=3,p=2$"));
/// ```
pub fn dummy_hash_with(params: &Params) -> Option<String> {
    Argon2::from(params)
        .hash_password_with_salt(b"dmr-dummy-password", b"dmr-dummy-salt16")
        .ok()
        .map(|h| h.to_string())
}

/// The dummy hash with Argon2's default costs, made once per process: the default of
/// [`UserStore::dummy_hash`](super::UserStore::dummy_hash), right for stores hashing with the
/// defaults.
pub(crate) fn default_dummy_hash() -> Option<&'static str> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY
        .get_or_init(|| dummy_hash_with(&Params::DEFAULT))
        .as_deref()
}

/// Burns the time of one verification against `dummy` (a store's
/// [`dummy_hash`](super::UserStore::dummy_hash), made with its own costs), so that an unknown
/// user name takes as long to refuse as a wrong password (no user enumeration by timing).
pub(crate) fn verify_dummy(password: &str, dummy: Option<&str>) {
    if let Some(phc) = dummy {
        let _ = verify_password(password, phc);
    }
}

/// A lazily made dummy hash for one store's costs, shared by the store's clones.
#[derive(Debug, Clone, Default)]
pub(crate) struct DummyHash(std::sync::Arc<OnceLock<Option<String>>>);

impl DummyHash {
    /// The hash for `params`, made on first use (on the login path: the blocking pool).
    pub(crate) fn get(&self, params: &Params) -> Option<&str> {
        self.0.get_or_init(|| dummy_hash_with(params)).as_deref()
    }
}

/// A short fingerprint of a password hash, kept in the session at login: a password change
/// changes it and so ends every other session of the user (Django's session auth hash). It
/// reveals nothing that helps guess the password: the salt is hashed with it.
pub(crate) fn session_hash(phc: &str) -> String {
    let digest = sha2::Sha256::new()
        .chain_update(b"dmr-session-auth-hash:")
        .chain_update(phc.as_bytes())
        .finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
