//! base64url without padding, decoded with SIMD: the payload and the signature of every HMAC
//! token pass through here.
//!
//! `base64-simd`'s `URL_SAFE_NO_PAD` accepts exactly what `jsonwebtoken` accepts (the `base64`
//! crate's `URL_SAFE_NO_PAD`): the url-safe alphabet only, no `=`, no length of the form
//! `4k + 1`, and zero bits after the last byte (one text per byte string). The tests below
//! hold the two to the same answers, and the fuzz target `jwt_hmac` holds the whole HMAC
//! path to `jsonwebtoken::decode`'s.

use base64_simd::{Out, URL_SAFE_NO_PAD};

/// The buffer [`decode_into`] needs for a text of `len` characters: at least the length of
/// every decoding of such a text.
pub(super) const fn capacity(len: usize) -> usize {
    len / 4 * 3 + 2
}

/// Decodes `text` into the front of `buf`; `None` if it is not base64url without padding or
/// if `buf` is shorter than [`capacity`] of the text's length.
pub(super) fn decode_into<'b>(text: &[u8], buf: &'b mut [u8]) -> Option<&'b [u8]> {
    // `decode` panics on a short buffer
    if buf.len() < capacity(text.len()) {
        return None;
    }
    URL_SAFE_NO_PAD
        .decode(text, Out::from_slice(buf))
        .ok()
        .map(|bytes| &*bytes)
}

/// Decodes `text` into a new vector; `None` if it is not base64url without padding.
pub(super) fn decode_to_vec(text: &[u8]) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode_to_vec(text).ok()
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as REFERENCE;

    use super::{capacity, decode_into, decode_to_vec};

    fn same_answer(text: &[u8]) {
        let reference = REFERENCE.decode(text).ok();
        let mut buf = vec![0u8; capacity(text.len())];
        assert_eq!(
            decode_into(text, &mut buf).map(<[u8]>::to_vec),
            reference,
            "{text:?}"
        );
        assert_eq!(decode_to_vec(text), reference, "{text:?}");
    }

    #[test]
    fn every_short_text_over_the_edge_characters() {
        // both alphabets' extra characters, padding, a separator, bytes that are not ASCII,
        // and letters whose low bits are zero or not (the trailing-bits rule)
        let alphabet = b"AQgw_-+/=.\0 \n\xffZz09hB";
        let mut stack = vec![Vec::new()];
        while let Some(text) = stack.pop() {
            same_answer(&text);
            if text.len() < 5 {
                for &c in alphabet {
                    let mut longer = text.clone();
                    longer.push(c);
                    stack.push(longer);
                }
            }
        }
    }

    #[test]
    fn long_texts_with_one_change() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..20_000u64 {
            let len = (next() % 700) as usize;
            let mut text: Vec<u8> = (0..len).map(|_| alphabet[(next() % 64) as usize]).collect();
            match round % 4 {
                1 if len > 0 => text[(next() as usize) % len] = (next() % 256) as u8,
                2 if len > 0 => text[len - 1] = alphabet[(next() % 64) as usize],
                3 => text.push(b'='),
                _ => {}
            }
            same_answer(&text);
        }
    }

    #[test]
    fn a_short_buffer_is_refused_not_a_panic() {
        assert_eq!(decode_into(b"AAAA", &mut [0u8; 2]), None);
        assert_eq!(decode_into(b"AAAA", &mut [0u8; 5]), Some(&[0u8; 3][..]));
    }
}
