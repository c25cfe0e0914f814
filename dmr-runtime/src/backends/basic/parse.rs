//! Parsing a Basic credential exactly as django-modern-rest does.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use percent_encoding::percent_decode_str;

/// Python's `b64decode` without `validate`: padding required, trailing bits tolerated.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// Header values longer than this are not Basic credentials (a skip, not a 4xx).
const MAX_VALUE_LEN: usize = 16 * 1024;

/// Parses a header value into `(username, password)`; `None` for anything that is not a
/// Basic credential (the auth then skips).
///
/// * `Basic <b64>` (scheme word case-insensitive) or a bare `<b64>`; anything else skips;
/// * characters outside the base64 alphabet are dropped before decoding;
/// * the decoded text must be UTF-8 and is split at the first `:`;
/// * both halves are percent-decoded (`+` stays `+`).
///
/// ```
/// use dmr_runtime::backends::basic::parse_credentials;
///
/// let parsed = |v: &str| parse_credentials(v.as_bytes());
/// assert_eq!(parsed("Basic dGVzdDpwYXNz"), Some(("test".into(), "pass".into())));
/// assert_eq!(parsed("BASIC dGVzdDpwYXNz!!"), Some(("test".into(), "pass".into())));
/// assert_eq!(parsed("dGVzdDpwYXNz"), Some(("test".into(), "pass".into())));
/// assert_eq!(parsed("Bearer dGVzdDpwYXNz"), None);
/// assert_eq!(parsed("Basic  dGVzdDpwYXNz"), None);
/// ```
pub fn parse_credentials(value: &[u8]) -> Option<(String, String)> {
    if value.is_empty() || value.len() > MAX_VALUE_LEN {
        return None;
    }
    // The scheme word is looked at before the rest is scanned, so another scheme's credential
    // (a `Bearer` token ahead of Basic in a chain) skips in a few instructions.
    let payload = match value.iter().position(|&b| b == b' ') {
        None => value,
        Some(i) if value[..i].eq_ignore_ascii_case(b"basic") && !value[i + 1..].contains(&b' ') => {
            &value[i + 1..]
        }
        Some(_) => return None,
    };
    let payload = std::str::from_utf8(payload).ok()?;
    let decoded = if payload.bytes().all(is_base64) {
        LENIENT.decode(payload)
    } else {
        let filtered: Vec<u8> = payload.bytes().filter(|&b| is_base64(b)).collect();
        LENIENT.decode(filtered)
    }
    .ok()?;
    let mut text = String::from_utf8(decoded).ok()?;
    let colon = text.find(':')?;
    let pass = unquote(&text[colon + 1..]);
    let user = if text[..colon].contains('%') {
        unquote(&text[..colon])
    } else {
        // the common case: the decoded buffer becomes the user name, no second allocation
        text.truncate(colon);
        text
    };
    Some((user, pass))
}

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

fn unquote(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::parse_credentials;

    fn p(v: &str) -> Option<(String, String)> {
        parse_credentials(v.as_bytes())
    }

    #[test]
    fn reference_cases() {
        let ok = Some(("test".to_owned(), "pass".to_owned()));
        assert_eq!(p("Basic dGVzdDpwYXNz"), ok);
        assert_eq!(p("basic dGVzdDpwYXNz"), ok);
        assert_eq!(p("dGVzdDpwYXNz"), ok);
        assert_eq!(p("Basic dGVzdDpwYXNz!!"), ok);
        // te%73t:pa%73s
        assert_eq!(p("Basic dGUlNzN0OnBhJTczcw=="), ok);
        // a:b:c -> first colon only
        assert_eq!(p("Basic YTpiOmM="), Some(("a".into(), "b:c".into())));
        // a+b:c -> `+` is not a space
        assert_eq!(p("Basic YStiOmM="), Some(("a+b".into(), "c".into())));
    }

    #[test]
    fn skips() {
        for v in [
            "",
            " ",
            "Basic",
            "Basic ",
            "Bearer dGVzdDpwYXNz",
            "Basic a b",
            "Basic  dGVzdDpwYXNz",
            "Basic dGVzdA==",
            /* no colon */ "Basic dGVzdDpwYXN",
            /* bad padding */ "Basic //79",
        ] {
            assert_eq!(p(v), None, "{v:?}");
        }
        assert_eq!(parse_credentials(b"Basic \xff\xfe"), None);
    }
}
