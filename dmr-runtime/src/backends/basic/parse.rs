//! Parsing a Basic credential exactly as django-modern-rest does.

use std::borrow::Cow;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use percent_encoding::percent_decode_str;

/// Canonical base64 (padding required), trailing bits tolerated: what most clients send.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// The data characters of a non-canonical payload, once its padding has been read.
const UNPADDED: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// Header values longer than this are not Basic credentials (a skip, not a 4xx).
const MAX_VALUE_LEN: usize = 16 * 1024;

/// Parses a header value into `(username, password)`; `None` for anything that is not a
/// Basic credential (the auth then skips).
///
/// * `Basic <b64>` (scheme word case-insensitive) or a bare `<b64>`; anything else skips;
/// * characters outside the base64 alphabet are dropped before decoding;
/// * padding is read leniently: a `=` that does not complete a group of four is ignored
///   (`dGVzdDpwYXNz=` is `test:pass`), and the padding that completes one ends the payload
///   (what follows it is ignored); data that ends in the middle of a group without its
///   padding, or with one character of a group, is refused;
/// * the decoded text must be UTF-8 and is split at the first `:`;
/// * both halves are percent-decoded (`+` stays `+`).
///
/// ```
/// use dmr_runtime::backends::basic::parse_credentials;
///
/// let parsed = |v: &str| parse_credentials(v.as_bytes());
/// assert_eq!(parsed("Basic dGVzdDpwYXNz"), Some(("test".into(), "pass".into())));
/// assert_eq!(parsed("BASIC dGVzdDpwYXNz!!"), Some(("test".into(), "pass".into())));
/// assert_eq!(parsed("Basic dGVzdDpwYXNz="), Some(("test".into(), "pass".into())));
/// assert_eq!(parsed("Basic dGVzdDpwYXM"), None); // `test:pas` without its padding
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
#[inline]
pub(super) fn with_credentials<R>(value: &[u8], f: impl FnOnce(&str, &str) -> R) -> Option<R> {
    // The scheme word is looked at before anything else, here where the call is inlined, so
    // another scheme's credential (a `Bearer` token ahead of Basic in a chain) skips in a few
    // instructions: `Basic <b64>` has its first space at 5, a bare `<b64>` none at all.
    let payload = match value.get(..7) {
        Some([b, a, s, i, c, b' ', _]) if [*b, *a, *s, *i, *c].eq_ignore_ascii_case(b"basic") => {
            &value[6..]
        }
        Some(word) if word.contains(&b' ') => return None,
        // short values: a bare payload, or `Basic` with too little after it
        None if value.get(5) == Some(&b' ') => {
            if !value[..5].eq_ignore_ascii_case(b"basic") {
                return None;
            }
            &value[6..]
        }
        _ => value,
    };
    decode_credentials(value, payload, f)
}

/// [`with_credentials`] once the scheme word was read: `payload` is what follows it in
/// `value` (or all of `value`).
fn decode_credentials<R>(
    value: &[u8],
    payload: &[u8],
    f: impl FnOnce(&str, &str) -> R,
) -> Option<R> {
    if value.is_empty() || value.len() > MAX_VALUE_LEN {
        return None;
    }
    let mut stack = [0u8; STACK_DECODED];
    let heap;
    // canonical base64 (which has no space and nothing outside the alphabet) decodes here;
    // anything else fails and takes the lenient path
    let fast = if payload.len().div_ceil(4) * 3 <= STACK_DECODED {
        LENIENT.decode_slice(payload, &mut stack).ok()
    } else {
        None
    };
    let decoded: &[u8] = if let Some(len) = fast {
        &stack[..len]
    } else {
        // non-canonical: characters outside the alphabet are dropped (the payload must be
        // UTF-8 and hold no space first) and the padding is read leniently
        if payload.contains(&b' ') {
            return None;
        }
        std::str::from_utf8(payload).ok()?;
        heap = decode_lenient(payload)?;
        &heap
    };
    let text = std::str::from_utf8(decoded).ok()?;
    // one pass for the first `:` and any `%` (credentials are short: no `memchr` set-up)
    let mut colon = None;
    let mut escaped = false;
    for (i, &b) in decoded.iter().enumerate() {
        if b == b':' && colon.is_none() {
            colon = Some(i);
        }
        escaped |= b == b'%';
    }
    let colon = colon?;
    let (user, pass) = (&text[..colon], &text[colon + 1..]);
    if escaped {
        Some(f(&unquote(user), &unquote(pass)))
    } else {
        Some(f(user, pass))
    }
}

/// Decodes base64 as Python's `base64.b64decode` without `validate` does: bytes outside the
/// alphabet are skipped; a `=` is ignored unless it completes a group of four (two after
/// two data characters, one after three), which ends the input; the input must then end on a
/// complete group; leftover bits are ignored.
fn decode_lenient(payload: &[u8]) -> Option<Vec<u8>> {
    let mut data = Vec::with_capacity(payload.len());
    let mut pads = 0;
    let mut completed = false;
    for &b in payload.iter().filter(|&&b| is_base64(b)) {
        let in_group = data.len() % 4;
        if b == b'=' {
            pads += 1;
            if in_group >= 2 && in_group + pads >= 4 {
                completed = true;
                break;
            }
        } else {
            pads = 0;
            data.push(b);
        }
    }
    if !completed && data.len() % 4 != 0 {
        return None;
    }
    UNPADDED.decode(data).ok()
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

/// The allocating parser [`parse_credentials`] replaced, kept as its oracle: every payload
/// through the general decoder, so the stack path must agree with it (the unit tests and the
/// fuzz target `basic_header` hold them to the same answers).
#[cfg(any(test, fuzzing))]
#[doc(hidden)]
pub fn parse_credentials_oracle(value: &[u8]) -> Option<(String, String)> {
    if value.is_empty() || value.len() > MAX_VALUE_LEN {
        return None;
    }
    let payload = match value.iter().position(|&b| b == b' ') {
        None => value,
        Some(i) if value[..i].eq_ignore_ascii_case(b"basic") && !value[i + 1..].contains(&b' ') => {
            &value[i + 1..]
        }
        Some(_) => return None,
    };
    let payload = std::str::from_utf8(payload).ok()?;
    let text = String::from_utf8(decode_lenient(payload.as_bytes())?).ok()?;
    let unquote = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    let (user, pass) = text.split_once(':')?;
    Some((unquote(user), unquote(pass)))
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::{decode_lenient, parse_credentials, parse_credentials_oracle as old_parse};

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
                    format!("Basic {p}="),
                    format!("Basic {p}==="),
                    format!("Basic ={p}"),
                    format!("Basic {p}YWJj"),
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

    /// Every short value around the scheme word: each position of the first space, the
    /// short values the scheme check decides without the full parse, and payloads of a few
    /// characters with and without padding.
    #[test]
    fn same_answers_for_every_short_value() {
        let alphabet: &[u8] = b" YQ=W!:%";
        let mut tails: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> = tails
                .iter()
                .filter(|t| t.len() == tails.last().map_or(0, Vec::len))
                .flat_map(|t| {
                    alphabet.iter().map(move |&c| {
                        let mut t = t.clone();
                        t.push(c);
                        t
                    })
                })
                .collect();
            tails.extend(longer);
        }
        let mut checked = 0;
        for prefix in [
            "", "Basic", "basic ", "BASIC ", "Basi", "Bearer", "Basicx", "YQ==", "x y",
        ] {
            for tail in &tails {
                let mut v = prefix.as_bytes().to_vec();
                v.extend_from_slice(tail);
                assert_eq!(
                    parse_credentials(&v),
                    old_parse(&v),
                    "{:?}",
                    String::from_utf8_lossy(&v)
                );
                checked += 1;
            }
        }
        assert!(checked > 40_000, "{checked}");
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

    /// Answers of Python's `base64.b64decode` (no `validate`) for non-canonical padding.
    #[test]
    fn lenient_padding_as_python_reads_it() {
        let b64 = |s: &str| {
            decode_lenient(s.as_bytes()).map(|v| String::from_utf8_lossy(&v).into_owned())
        };
        for (input, python) in [
            ("dGVzdDpwYXNz=", Some("test:pass")),
            ("dGVzdDpwYXNz===", Some("test:pass")),
            ("=dGVzdDpwYXNz", Some("test:pass")),
            ("dGVz=dDpwYXNz", Some("test:pass")),
            ("dGVzdDpwYX=Nz", Some("test:pass")),
            ("dGVzdDpwYXM==", Some("test:pas")),
            ("dGVzdDpwYXM=junk", Some("test:pas")),
            ("YTpiYw==YWJj", Some("a:bc")),
            ("YTpi=Yw==", Some("a:bc")),
            ("YTpiYx==", Some("a:bc")),
            ("YTpiYw!==", Some("a:bc")),
            ("dGVzdDpwYXN", None),
            ("dGVzdDpwYX", None),
            ("dGVzdDpwYXNzY", None),
            ("YTpiYw=", None),
            ("YTpiYw!=", None),
            ("=", Some("")),
            ("", Some("")),
        ] {
            assert_eq!(b64(input).as_deref(), python, "{input:?}");
        }
        let ok = Some(("test".to_owned(), "pass".to_owned()));
        assert_eq!(p("Basic dGVzdDpwYXNz="), ok);
        assert_eq!(p("Basic dGVzdDpwYXNz=="), ok);
        assert_eq!(p("dGVzdDpwYXNz="), ok);
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
            /* padding missing */ "Basic dGVzdDpwYXM",
            /* padding incomplete */ "Basic dGVzdDpwYQ=",
            /* a lone data character */ "Basic dGVzdDpwYXNzY",
            /* only padding */ "Basic ====",
        ] {
            assert_eq!(p(v), None, "{v:?}");
        }
        assert_eq!(parse_credentials(b"Basic \xff\xfe"), None);
    }
}
