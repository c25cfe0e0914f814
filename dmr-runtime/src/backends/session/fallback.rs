//! Rotating the session key without logging anybody out (the reference framework's
//! `SECRET_KEY_FALLBACKS`): a session cookie sealed with a fallback key is opened with it and
//! sealed again with the current key in the request, before `actix-session` reads it; new
//! cookies are sealed with the current key only.

use actix_web::cookie::{Cookie, CookieJar, Key};
use actix_web::dev::ServiceRequest;
use actix_web::http::header::{COOKIE, HeaderValue};

/// The current session key and the previous ones that still open session cookies.
#[derive(Clone, Default)]
pub(crate) struct KeyFallbacks {
    current: Option<Key>,
    fallbacks: Vec<Key>,
}

impl KeyFallbacks {
    /// `current` seals, `fallbacks` (tried in order) still open.
    pub(crate) fn new(current: Key, fallbacks: Vec<Key>) -> Self {
        Self {
            current: (!fallbacks.is_empty()).then_some(current),
            fallbacks,
        }
    }

    /// Re-seals the session cookie `name` of `req` with the current key when a fallback key
    /// opens it and the current one does not; any other cookie is left as it is (a cookie no
    /// key opens stays, and `actix-session` refuses it). Without fallbacks nothing is read.
    pub(crate) fn reseal(&self, req: &mut ServiceRequest, name: &str) {
        let Some(current) = &self.current else {
            return;
        };
        // the value as actix reads it: percent-decoded
        let Some(sent) = cookie_pairs(req)
            .find(|pair| value_of(pair, name).is_some())
            .and_then(|pair| Cookie::parse_encoded(pair.to_owned()).ok())
        else {
            return;
        };
        if open(current, sent.clone()).is_some() {
            return;
        }
        let Some(opened) = self
            .fallbacks
            .iter()
            .find_map(|key| open(key, sent.clone()))
        else {
            return;
        };
        let mut jar = CookieJar::new();
        jar.private_mut(current).add(opened);
        let Some(sealed) = jar.get(name).map(|c| c.encoded().to_string()) else {
            return;
        };
        let joined = cookie_pairs(req)
            .map(|pair| match value_of(pair, name) {
                Some(_) => sealed.clone(),
                None => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        if let Ok(value) = HeaderValue::from_str(&joined) {
            req.headers_mut().insert(COOKIE, value);
        }
    }
}

/// The `name=value` pairs of every `Cookie` header of `req`, trimmed.
pub(super) fn cookie_pairs(req: &ServiceRequest) -> impl Iterator<Item = &str> {
    req.headers()
        .get_all(COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
}

/// The value of `pair` if it is the cookie `name`.
pub(super) fn value_of<'p>(pair: &'p str, name: &str) -> Option<&'p str> {
    pair.split_once('=')
        .and_then(|(n, v)| (n.trim() == name).then_some(v))
}

/// `cookie` opened (decrypted and authenticated) with `key`, as `actix-session` opens it.
fn open(key: &Key, cookie: Cookie<'static>) -> Option<Cookie<'static>> {
    CookieJar::new().private(key).decrypt(cookie)
}
