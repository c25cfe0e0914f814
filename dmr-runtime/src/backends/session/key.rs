//! The session key from the configuration: every server behind one load balancer must sign
//! and encrypt session cookies with the same key, so it cannot be generated at startup.

use actix_web::cookie::Key;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

/// The fewest bytes a session key may have (what `actix-web`'s [`Key`] requires: 32 to sign,
/// 32 to encrypt).
pub const SESSION_KEY_BYTES: usize = 64;

/// Why a configured session key was refused. Its `Display` says how to make a good one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionKeyError {
    /// The value is not standard base64.
    NotBase64,
    /// It decodes to fewer than [`SESSION_KEY_BYTES`] bytes (the length it has).
    TooShort(usize),
}

impl std::fmt::Display for SessionKeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotBase64 => f.write_str("the session key is not base64")?,
            Self::TooShort(len) => write!(f, "the session key is {len} bytes long")?,
        }
        write!(
            f,
            ": give {SESSION_KEY_BYTES} random bytes or more in standard base64 (`openssl rand -base64 64`), the same on every server"
        )
    }
}

impl std::error::Error for SessionKeyError {}

/// The session [`Key`] of a configuration value: at least [`SESSION_KEY_BYTES`] random
/// bytes in standard base64 (padding optional; white space around it is ignored). Give every
/// server the same value: a key generated at startup (`Key::generate()`) makes each server
/// refuse the others' cookies, and every restart log everybody out.
///
/// ```
/// use dmr_runtime::backends::session::{SessionKeyError, session_key_from_base64};
///
/// // `openssl rand -base64 64`, from the environment or a secrets store
/// let value = "Zm9yIHRlc3RzIG9ubHk6IGEga2V5IG9mIHNpeHR5LWZvdXIgYnl0ZXMgb3IgbW9yZSwgZnJvbSB0aGUgY29uZmln";
/// let key = session_key_from_base64(value).unwrap();
/// # let _ = key;
/// assert_eq!(session_key_from_base64("c2hvcnQ=").err(), Some(SessionKeyError::TooShort(5)));
/// assert_eq!(session_key_from_base64("not base64!").err(), Some(SessionKeyError::NotBase64));
/// ```
pub fn session_key_from_base64(value: &str) -> Result<Key, SessionKeyError> {
    let value = value.trim();
    let bytes = STANDARD
        .decode(value)
        .or_else(|_| STANDARD_NO_PAD.decode(value))
        .map_err(|_| SessionKeyError::NotBase64)?;
    if bytes.len() < SESSION_KEY_BYTES {
        return Err(SessionKeyError::TooShort(bytes.len()));
    }
    Ok(Key::from(&bytes))
}
