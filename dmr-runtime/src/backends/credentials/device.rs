//! [`DeviceCookies`]: account lockout that does not lock out the owner, OWASP's device
//! cookies (<https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies>).
//!
//! A successful login gives the client a signed cookie naming the account; a later login for
//! that account presenting it is counted by the device's own throttle instead of the
//! account's, so guesses from elsewhere, which lock the account for untrusted clients, do not
//! lock out its owner's devices.

use actix_web::HttpRequest;
use actix_web::body::BoxBody;
use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, SameSite};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

use crate::backends::csrf::{CookieAttributes, cookie_attribute_setters, new_secret};
use crate::backends::users::StoredUser;
use crate::description::{DescribeResponse, ResponseDoc};
use crate::throttle::Throttle;

/// The fewest bytes a device cookie key may have (the HMAC-SHA-256 block it fills).
pub const DEVICE_KEY_BYTES: usize = 32;

/// The format version, the cookie value's first field.
const VERSION: &str = "d1";
/// Longer values are no device cookie of ours (a login name of some 300 bytes fits).
const MAX_VALUE: usize = 512;
/// The bytes of the password-hash stamp kept in the cookie.
const STAMP_BYTES: usize = 16;

/// A device cookie key shorter than [`DEVICE_KEY_BYTES`] (the length it has).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceKeyError(pub usize);

impl std::fmt::Display for DeviceKeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the device cookie key is {} bytes long: give {DEVICE_KEY_BYTES} random bytes or more, the same on every server",
            self.0
        )
    }
}

impl std::error::Error for DeviceKeyError {}

/// OWASP's device cookies: the account lockout (the per-user-name login throttle) applies
/// to untrusted clients only, and a client that once logged in to an account is judged by
/// its own failure counter instead, so that an attacker guessing `admin`'s password from
/// anywhere cannot lock the real `admin` out of the devices they use.
///
/// * **Issued** on every successful login through a [`PasswordLogin`](super::PasswordLogin)
///   (session login, JWT obtain, token obtain): a cookie (`dmr_device` by default, `HttpOnly`,
///   `Secure`, `SameSite=Strict`, [`lifetime`](Self::lifetime) 30 days) holding the login
///   name, the issue time, a random nonce and a stamp of the user's password hash, signed
///   with HMAC-SHA-256 under the configured key. Each login issues a new one.
/// * **Trusted**: a login for the account the cookie names, whose signature verifies (in
///   constant time), that is within its lifetime and whose stamp matches the user's current
///   password hash, skips the account's throttle; it is counted by the device's own
///   [`throttle`](Self::throttle), keyed by the nonce (by default 10 attempts, then one every
///   6 seconds, as the account's). A device past its limit is locked out itself: 429.
/// * **Untrusted**: no cookie, a cookie for another account, a forged, tampered, expired or
///   revoked one, is treated as no cookie: the per-address and per-user-name throttles apply
///   as without device cookies.
/// * **Revoked**: a password change revokes every device cookie of the user (their stamp no
///   longer matches); a new key revokes them all (there are no fallback keys).
///
/// The per-address throttle applies to every client, trusted or not. Counters live in the
/// login throttles' store (this process's bounded memory by default, or the shared
/// [`throttle_store`](super::PasswordLogin::throttle_store)); only a nonce whose cookie
/// verified reaches it, and each such cookie took a successful login to obtain.
///
/// ```
/// use dmr_runtime::backends::credentials::{DeviceCookies, PasswordLogin};
/// use dmr_runtime::backends::users::MemoryUsers;
///
/// let key = b"a random key of 32 bytes or more, from the config";
/// let devices = DeviceCookies::new(key).unwrap().secure(false); // plain-HTTP development only
/// let login = PasswordLogin::new(MemoryUsers::new()).device_cookies(devices);
/// assert_eq!(login.get_device_cookies().unwrap().get_cookie_name(), "dmr_device");
/// assert!(DeviceCookies::new(b"short").is_err());
/// ```
#[derive(Clone)]
pub struct DeviceCookies {
    mac: Hmac<Sha256>,
    cookie_name: String,
    cookie_path: String,
    attributes: CookieAttributes,
    lifetime: Duration,
    throttle: Throttle,
}

impl std::fmt::Debug for DeviceCookies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCookies")
            .field("cookie_name", &self.cookie_name)
            .field("lifetime", &self.lifetime)
            .field("throttle", &self.throttle)
            .finish_non_exhaustive()
    }
}

/// What a verified device cookie says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeviceClaim {
    /// The throttle key of the device.
    pub(crate) nonce: String,
    stamp: Vec<u8>,
}

impl DeviceCookies {
    /// Device cookies signed with `key` (at least [`DEVICE_KEY_BYTES`] random bytes from the
    /// configuration, the same on every server), with the defaults above.
    pub fn new(key: impl AsRef<[u8]>) -> Result<Self, DeviceKeyError> {
        let key = key.as_ref();
        if key.len() < DEVICE_KEY_BYTES {
            return Err(DeviceKeyError(key.len()));
        }
        let mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| DeviceKeyError(key.len()))?;
        Ok(Self {
            mac,
            cookie_name: "dmr_device".to_owned(),
            cookie_path: "/".to_owned(),
            attributes: CookieAttributes::new(SameSite::Strict),
            lifetime: Duration::days(30),
            throttle: crate::throttle::login::default_login_throttle().name("device"),
        })
    }

    /// The cookie's name (default `dmr_device`).
    pub fn cookie_name(mut self, name: impl Into<String>) -> Self {
        self.cookie_name = name.into();
        self
    }

    /// The cookie's name.
    pub fn get_cookie_name(&self) -> &str {
        &self.cookie_name
    }

    /// The cookie's `Path` (default `/`): it must reach every login endpoint.
    pub fn cookie_path(mut self, path: impl Into<String>) -> Self {
        self.cookie_path = path.into();
        self
    }

    cookie_attribute_setters!(
        secure: "Whether the cookie is `Secure` (default `true`; `false` only for plain-HTTP \
                 development).",
        same_site: "The cookie's `SameSite` (default `Strict`: it only has to reach the \
                    application's own login requests)."
    );

    /// How long a device stays trusted after the login that issued its cookie (default 30
    /// days): the cookie's `Max-Age`, and the age beyond which the server treats it as none.
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// How long a device stays trusted.
    pub fn get_lifetime(&self) -> Duration {
        self.lifetime
    }

    /// The throttle of one trusted device (keyed by its cookie's nonce): by default the
    /// account's, 10 attempts then one every 6 seconds (GCRA). Past it the device is locked
    /// out (429) as an untrusted client is past the account's.
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = throttle;
        self
    }

    /// The throttle of one trusted device.
    pub fn get_throttle(&self) -> &Throttle {
        &self.throttle
    }

    /// `HMAC(key, part || 0 || ...)`.
    fn mac_of(&self, parts: &[&[u8]]) -> Hmac<Sha256> {
        let mut mac = self.mac.clone();
        for part in parts {
            mac.update(part);
            mac.update(&[0]);
        }
        mac
    }

    /// The stamp of a password hash: a new password gives a new stamp.
    fn stamp(&self, password_hash: &str) -> Vec<u8> {
        let tag = self
            .mac_of(&[b"dmr-device-stamp", password_hash.as_bytes()])
            .finalize()
            .into_bytes();
        tag[..STAMP_BYTES].to_vec()
    }

    /// A new device cookie for `user`, issued now.
    pub fn issue(&self, user: &StoredUser) -> Cookie<'static> {
        let signed = format!(
            "{VERSION}.{}.{}.{}.{}",
            URL_SAFE_NO_PAD.encode(user.username.as_bytes()),
            unix_now(),
            new_secret(),
            URL_SAFE_NO_PAD.encode(self.stamp(&user.password_hash)),
        );
        let tag = self.mac_of(&[signed.as_bytes()]).finalize().into_bytes();
        let value = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(tag));
        let mut cookie = self
            .attributes
            .build(&self.cookie_name, value, &self.cookie_path, true);
        cookie.set_max_age(self.lifetime);
        cookie
    }

    /// The device cookie `value`, if it is one of ours, for the account `username`, and
    /// within its lifetime; anything else is `None`, as if no cookie had come.
    pub(crate) fn presented(&self, value: &str, username: &str) -> Option<DeviceClaim> {
        if value.len() > MAX_VALUE {
            return None;
        }
        let (signed, tag) = value.rsplit_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        // `verify_slice` checks the length, then compares in constant time
        self.mac_of(&[signed.as_bytes()]).verify_slice(&tag).ok()?;
        let mut fields = signed.split('.');
        let (Some(VERSION), Some(login), Some(issued), Some(nonce), Some(stamp), None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return None;
        };
        let login = URL_SAFE_NO_PAD.decode(login).ok()?;
        let age = unix_now() - issued.parse::<i64>().ok()?;
        let live = (-60..self.lifetime.whole_seconds()).contains(&age);
        (live && login == username.as_bytes()).then(|| DeviceClaim {
            nonce: nonce.to_owned(),
            stamp: URL_SAFE_NO_PAD.decode(stamp).unwrap_or_default(),
        })
    }

    /// Whether `claim` is still good for `user`: the user is active and their password is
    /// the one the cookie was issued under.
    pub(crate) fn confirms(&self, claim: &DeviceClaim, user: &StoredUser) -> bool {
        user.is_active && bool::from(claim.stamp.ct_eq(&self.stamp(&user.password_hash)))
    }
}

/// Now, in whole seconds since the Unix epoch.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A credential controller's success with the device cookie its login issued, if any.
#[derive(Debug, Clone)]
pub(crate) struct WithDeviceCookie<T>(pub(crate) T, pub(crate) Option<Cookie<'static>>);

impl<T: DescribeResponse> DescribeResponse for WithDeviceCookie<T> {
    fn response_doc() -> ResponseDoc {
        T::response_doc()
    }
}

impl<T: actix_web::Responder> actix_web::Responder for WithDeviceCookie<T> {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> actix_web::HttpResponse {
        let mut res = self.0.respond_to(req).map_into_boxed_body();
        if let Some(cookie) = self.1 {
            // a device cookie is base64url and digits: it always makes a header value
            let _ = res.add_cookie(&cookie);
        }
        res
    }
}

#[cfg(test)]
mod tests;
