//! Parsing a Basic credential exactly as django-modern-rest does.

use std::borrow::Cow;

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
    with_credentials(value, |user, pass| (user.to_owned(), pass.to_owned()))
}

/// Decoded credentials up to this many bytes are decoded onto the stack.
const STACK_DECODED: usize = 192;

/// [`parse_credentials`] without the copies: `f(username, password)` on the parsed
/// credentials, `None` (and `f` not called) where `parse_credentials` gives `None`. Valid
/// UTF-8 without percent-escapes is decoded onto the stack and borrowed: no allocation.
pub(super) fn with_credentials<R>(value: &[u8], f: impl FnOnce(&str, &str) -> R) -> Option<R> {
    if value.is_empty() || value.len() > MAX_VALUE_LEN {
        return None;
    }
    // The scheme word is looked at before the rest is scanned, so another scheme's credential
    // (a `Bearer` token ahead of Basic in a chain) skips in a few instructions.
    // `Basic <b64>` (its first space at 5) or a bare `<b64>` (no space at all)
    let payload = if value.get(5) == Some(&b' ') && value[..5].eq_ignore_ascii_case(b"basic") {
        &value[6..]
    } else if value.iter().take(7).any(|&b| b == b' ') {
        // another scheme's word (`Bearer x`): no full scan
        return None;
    } else {
        value
    };
    if payload.contains(&b' ') {
        return None;
    }
    let mut stack = [0u8; STACK_DECODED];
    let heap;
    let decoded: &[u8] = if payload.iter().all(|&b| is_base64(b)) {
        if payload.len().div_ceil(4) * 3 <= STACK_DECODED {
            let len = LENIENT.decode_slice(payload, &mut stack).ok()?;
            &stack[..len]
        } else {
            heap = LENIENT.decode(payload).ok()?;
            &heap
        }
    } else {
        // characters outside the alphabet are dropped (the payload must be UTF-8 first)
        std::str::from_utf8(payload).ok()?;
        let filtered: Vec<u8> = payload.iter().copied().filter(|&b| is_base64(b)).collect();
        heap = LENIENT.decode(filtered).ok()?;
        &heap
    };
    let text = std::str::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some(f(&unquote(user), &unquote(pass)))
}

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

/// Percent-decodes (lossily); borrows `s` when it has no escape.
fn unquote(s: &str) -> Cow<'_, str> {
    if s.contains('%') {
        percent_decode_str(s).decode_utf8_lossy()
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use percent_encoding::percent_decode_str;

    use super::{LENIENT, is_base64, parse_credentials};

    /// The allocating parser this one replaced, kept as the oracle.
    fn old_parse(value: &[u8]) -> Option<(String, String)> {
        if value.is_empty() || value.len() > super::MAX_VALUE_LEN {
            return None;
        }
        let payload = match value.iter().position(|&b| b == b' ') {
            None => value,
            Some(i)
                if value[..i].eq_ignore_ascii_case(b"basic") && !value[i + 1..].contains(&b' ') =>
            {
                &value[i + 1..]
            }
            Some(_) => return None,
        };
        let payload = std::str::from_utf8(payload).ok()?;
        let filtered: Vec<u8> = payload.bytes().filter(|&b| is_base64(b)).collect();
        let text = String::from_utf8(LENIENT.decode(filtered).ok()?).ok()?;
        let unquote = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
        let (user, pass) = text.split_once(':')?;
        Some((unquote(user), unquote(pass)))
    }

    #[test]
    fn same_answers_as_the_allocating_parser() {
        let b64 = |s: &[u8]| base64::engine::general_purpose::STANDARD.encode(s);
        let mut values: Vec<Vec<u8>> = Vec::new();
        let texts: [&[u8]; 12] = [
            b"admin:pass",
            b"a%41:p%42",
            b"a:b:c",
            b":",
            b"no colon",
            b"%zz:%",
            b"\xff\xfe:x",
            b"caf\xc3\xa9:\xc3\xa9",
            b"a+b:c d",
            b"",
            b"u:%ff",
            b"%c3%a9:p",
        ];
        for text in texts {
            let mut long = text.to_vec();
            long.extend(std::iter::repeat_n(b'x', 300));
            for t in [text.to_vec(), long] {
                let p = b64(&t);
                for v in [
                    format!("Basic {p}"),
                    format!("bAsIc {p}"),
                    p.clone(),
                    format!("Basic {p}!!"),
                    format!("Basic !{p}"),
                    format!("Basic {}", p.trim_end_matches('=')),
                    format!("Basic  {p}"),
                    format!("Bearer {p}"),
                    format!("Basic {p} x"),
                    format!("Basic {p}é"),
                ] {
                    values.push(v.into_bytes());
                }
            }
        }
        values.push(b"Basic \xff\xfe".to_vec());
        values.push(b"Basic YWRtaW46cGFzcw\xff==".to_vec());
        values.push(b"Basic //79".to_vec());
        values.push(b"Basic YQ==:".to_vec());
        values.push(vec![b'A'; 300]);
        for v in &values {
            assert_eq!(
                parse_credentials(v),
                old_parse(v),
                "{:?}",
                String::from_utf8_lossy(v)
            );
        }
    }

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
