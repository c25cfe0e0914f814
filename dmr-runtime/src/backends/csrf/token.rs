//! Django's CSRF token format: 32-character secrets and 64-character masked tokens over the
//! 62-letter alphabet, masking, unmasking and the constant-time comparison.

use subtle::ConstantTimeEq as _;

/// The alphabet of secrets and tokens: Python's `ascii_letters + digits` (lowercase first).
pub const CSRF_ALLOWED_CHARS: &[u8; 62] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// The length of a secret (the value of the `csrftoken` cookie).
pub const CSRF_SECRET_LENGTH: usize = 32;
/// The length of a masked token (mask followed by cipher).
pub const CSRF_TOKEN_LENGTH: usize = 2 * CSRF_SECRET_LENGTH;

/// Why a secret or token has the wrong shape: the reason words of Django's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatError {
    /// Neither 32 nor 64 characters: `has incorrect length`.
    IncorrectLength,
    /// A character outside `[A-Za-z0-9]`: `has invalid characters`.
    InvalidCharacters,
}

impl FormatError {
    /// The reason as Django words it (`has incorrect length`).
    pub fn reason(self) -> &'static str {
        match self {
            Self::IncorrectLength => "has incorrect length",
            Self::InvalidCharacters => "has invalid characters",
        }
    }
}

/// Checks that `token` is 32 or 64 characters of the alphabet (Django's
/// `_check_token_format`): the length is checked first.
///
/// ```
/// use dmr_runtime::backends::csrf::{FormatError, check_token_format};
///
/// assert_eq!(check_token_format(&"a".repeat(32)), Ok(()));
/// assert_eq!(check_token_format("short"), Err(FormatError::IncorrectLength));
/// assert_eq!(check_token_format(&"-".repeat(64)), Err(FormatError::InvalidCharacters));
/// ```
pub fn check_token_format(token: &str) -> Result<(), FormatError> {
    // Python counts characters, not bytes
    let len = token.chars().count();
    if len != CSRF_SECRET_LENGTH && len != CSRF_TOKEN_LENGTH {
        return Err(FormatError::IncorrectLength);
    }
    if !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(FormatError::InvalidCharacters);
    }
    Ok(())
}

fn index(c: u8) -> Option<usize> {
    match c {
        b'a'..=b'z' => Some(usize::from(c - b'a')),
        b'A'..=b'Z' => Some(usize::from(c - b'A') + 26),
        b'0'..=b'9' => Some(usize::from(c - b'0') + 52),
        _ => None,
    }
}

/// A new random string of `len` alphabet characters from the operating system's CSPRNG
/// (uniform: bytes of 248 and above are drawn again).
fn random_string(len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        if getrandom::fill(&mut buf).is_err() {
            // no entropy source at all is not something to paper over
            panic!("the operating system's random number generator failed");
        }
        for &b in &buf {
            if out.len() == len {
                break;
            }
            if b < 248 {
                out.push(char::from(CSRF_ALLOWED_CHARS[usize::from(b % 62)]));
            }
        }
    }
    out
}

/// A new 32-character secret (what the `csrftoken` cookie holds).
///
/// # Panics
///
/// If the operating system's random number generator fails.
///
/// ```
/// use dmr_runtime::backends::csrf::{check_token_format, new_secret};
///
/// let secret = new_secret();
/// assert_eq!(secret.len(), 32);
/// assert_eq!(check_token_format(&secret), Ok(()));
/// ```
pub fn new_secret() -> String {
    random_string(CSRF_SECRET_LENGTH)
}

/// Masks a secret with a fresh random mask: `mask + cipher`, 64 characters, a different
/// value on every call (Django's `_mask_cipher_secret`). `None` if `secret` is not a valid
/// 32-character secret.
///
/// ```
/// use dmr_runtime::backends::csrf::{mask_secret, new_secret, unmask_token};
///
/// let secret = new_secret();
/// let token = mask_secret(&secret).unwrap();
/// assert_eq!(token.len(), 64);
/// assert_eq!(unmask_token(&token).as_deref(), Some(secret.as_str()));
/// ```
pub fn mask_secret(secret: &str) -> Option<String> {
    if secret.len() != CSRF_SECRET_LENGTH {
        return None;
    }
    let mask = random_string(CSRF_SECRET_LENGTH);
    let mut cipher = String::with_capacity(CSRF_SECRET_LENGTH);
    for (s, m) in secret.bytes().zip(mask.bytes()) {
        let (s, m) = (index(s)?, index(m)?);
        cipher.push(char::from(CSRF_ALLOWED_CHARS[(s + m) % 62]));
    }
    Some(mask + &cipher)
}

/// Unmasks a 64-character token into its secret (Django's `_unmask_cipher_token`); `None`
/// if it is not 64 alphabet characters.
pub fn unmask_token(token: &str) -> Option<String> {
    if token.len() != CSRF_TOKEN_LENGTH {
        return None;
    }
    let (mask, cipher) = token.as_bytes().split_at(CSRF_SECRET_LENGTH);
    let mut secret = String::with_capacity(CSRF_SECRET_LENGTH);
    for (c, m) in cipher.iter().zip(mask) {
        let (c, m) = (index(*c)?, index(*m)?);
        secret.push(char::from(CSRF_ALLOWED_CHARS[(c + 62 - m) % 62]));
    }
    Some(secret)
}

/// Whether a well-formed request token (32 or 64 characters) matches the secret, compared in
/// constant time (Django's `_does_token_match`).
///
/// ```
/// use dmr_runtime::backends::csrf::{mask_secret, new_secret, token_matches};
///
/// let secret = new_secret();
/// assert!(token_matches(&secret, &secret));
/// assert!(token_matches(&mask_secret(&secret).unwrap(), &secret));
/// assert!(!token_matches(&mask_secret(&new_secret()).unwrap(), &secret));
/// ```
pub fn token_matches(token: &str, secret: &str) -> bool {
    let unmasked;
    let token = if token.len() == CSRF_TOKEN_LENGTH {
        match unmask_token(token) {
            Some(t) => {
                unmasked = t;
                unmasked.as_str()
            }
            None => return false,
        }
    } else {
        token
    };
    token.as_bytes().ct_eq(secret.as_bytes()).into()
}

/// The secret a stored value stands for: a 64-character value is a masked secret (stored by
/// old Django versions) and is unmasked; anything else is taken as is.
pub(crate) fn stored_secret(value: String) -> String {
    if value.len() == CSRF_TOKEN_LENGTH {
        unmask_token(&value).unwrap_or(value)
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_matches_django() {
        // Django: _mask_cipher_secret with a fixed mask; cipher[i] = chars[(s + m) % 62]
        let secret = "abcdefghijklmnopqrstuvwxyzABCDEF";
        let mask = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        let token = format!("{mask}bcdefghijklmnopqrstuvwxyzABCDEFG");
        assert_eq!(unmask_token(&token).as_deref(), Some(secret));
        // wrap-around: '9' (61) + 'b' (1) = 'a' (0)
        let token = format!("{mask}{}", "a".repeat(32));
        assert_eq!(
            unmask_token(&token).as_deref(),
            Some("9".repeat(32).as_str())
        );
    }

    #[test]
    fn formats() {
        assert_eq!(check_token_format(""), Err(FormatError::IncorrectLength));
        assert_eq!(
            check_token_format(&"é".repeat(32)),
            Err(FormatError::InvalidCharacters)
        );
        assert_eq!(
            check_token_format(&"a".repeat(33)),
            Err(FormatError::IncorrectLength)
        );
        assert!(!token_matches(&"a".repeat(32), &"b".repeat(32)));
    }

    #[test]
    fn random_strings_use_the_whole_alphabet() {
        let seen: std::collections::HashSet<char> = (0..200)
            .flat_map(|_| new_secret().chars().collect::<Vec<_>>())
            .collect();
        assert_eq!(seen.len(), 62);
    }
}
