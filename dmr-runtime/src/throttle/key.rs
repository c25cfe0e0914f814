//! What a throttle counts by: the client address (before auth), the identity (after auth),
//! or a function of the request.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use actix_web::HttpRequest;
use sha2::{Digest, Sha256};

use crate::auth::AuthInfo;

/// When a throttle runs: before content negotiation and auth (protecting auth itself), or
/// after auth (it can then count by identity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Right after routing, before `Accept` negotiation and the auth chain.
    BeforeAuth,
    /// After the auth chain succeeded, before the handler's extractors.
    AfterAuth,
}

type KeyFn = Arc<dyn Fn(&HttpRequest) -> Option<String> + Send + Sync>;

#[derive(Clone)]
enum Kind {
    ClientAddr { trust_forwarded: bool },
    Identity(Option<IdentityReader>),
    Custom { name: &'static str, f: KeyFn },
}

/// The cache key of a throttle. A key that finds nothing for a request (no identity, no
/// address) skips the throttle for that request.
///
/// * [`Key::client_addr`] (the default): the peer address of the connection; with
///   [`Key::trust_forwarded_headers`] the address a trusted proxy put last in `Forwarded` or
///   `X-Forwarded-For`, like `CsrfConfig::trust_forwarded_headers`. Runs before auth.
/// * [`Key::identity`]: the identity the auth chain found: the JWT `jti` (its `sub` without
///   one), the session user's id, the HTTP Basic user name, or any identity implementing
///   [`ThrottleIdentity`] through [`Key::identity_of`]; hashed with SHA-256 before use, so no raw claim is stored. Runs
///   after auth (a request without an identity skips it).
/// * [`Key::custom`]: a function of the request, for example an API key header (never key on
///   data the client picks freely, such as `User-Agent`).
///
/// ```
/// use actix_web::test::TestRequest;
/// use dmr_runtime::throttle::{Key, Stage};
///
/// let req = TestRequest::get().peer_addr("192.0.2.7:4000".parse().unwrap()).to_http_request();
/// assert_eq!(Key::client_addr().value(&req).as_deref(), Some("192.0.2.7"));
/// assert_eq!(Key::client_addr().stage(), Stage::BeforeAuth);
/// assert_eq!(Key::identity().value(&req), None); // no auth ran: skipped
/// ```
#[derive(Clone)]
pub struct Key {
    kind: Kind,
    stage: Stage,
}

impl Key {
    /// Whether the key is the client address (what an audit event may write).
    pub(crate) fn is_client_addr(&self) -> bool {
        matches!(self.kind, Kind::ClientAddr { .. })
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("kind", &self.kind_name())
            .field("stage", &self.stage)
            .finish()
    }
}

impl Default for Key {
    fn default() -> Self {
        Self::client_addr()
    }
}

impl Key {
    /// The client address (the connection's peer address), checked before auth.
    pub fn client_addr() -> Self {
        Self {
            kind: Kind::ClientAddr {
                trust_forwarded: false,
            },
            stage: Stage::BeforeAuth,
        }
    }

    /// The identity the auth chain found (hashed), checked after auth.
    pub fn identity() -> Self {
        Self {
            kind: Kind::Identity(None),
            stage: Stage::AfterAuth,
        }
    }

    /// [`Key::identity`] for your own identity type `T` (the built-in JWT, session and Basic
    /// identities are read too).
    ///
    /// ```
    /// use dmr_runtime::throttle::{Key, ThrottleIdentity};
    ///
    /// struct Account { id: u64 }
    /// impl ThrottleIdentity for Account {
    ///     fn throttle_key(&self) -> Option<String> { Some(self.id.to_string()) }
    /// }
    /// let key = Key::identity_of::<Account>();
    /// # let _ = key;
    /// ```
    pub fn identity_of<T: ThrottleIdentity>() -> Self {
        Self {
            kind: Kind::Identity(Some(read::<T>)),
            stage: Stage::AfterAuth,
        }
    }

    /// A function of the request; `name` goes into the stored key and the default policy
    /// name. Checked before auth unless moved with [`Key::after_auth`].
    ///
    /// ```
    /// use dmr_runtime::throttle::Key;
    ///
    /// let by_tenant = Key::custom("tenant", |req| {
    ///     req.headers().get("x-tenant").and_then(|v| v.to_str().ok()).map(str::to_owned)
    /// });
    /// # let _ = by_tenant;
    /// ```
    pub fn custom(
        name: &'static str,
        f: impl Fn(&HttpRequest) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        Self {
            kind: Kind::Custom {
                name,
                f: Arc::new(f),
            },
            stage: Stage::BeforeAuth,
        }
    }

    /// For [`Key::client_addr`]: read the client address from `Forwarded` / `X-Forwarded-For`
    /// (the last entry, the one your proxy added). Turn it on only behind a proxy that sets
    /// these headers, or every client picks its own key.
    pub fn trust_forwarded_headers(mut self, yes: bool) -> Self {
        if let Kind::ClientAddr { trust_forwarded } = &mut self.kind {
            *trust_forwarded = yes;
        }
        self
    }

    /// Checks this key after auth (for example an address-keyed limit that must not count
    /// requests the auth refuses).
    pub fn after_auth(mut self) -> Self {
        self.stage = Stage::AfterAuth;
        self
    }

    /// Checks this key before auth. An identity key has nothing to read there: it stays
    /// after auth.
    pub fn before_auth(mut self) -> Self {
        if !matches!(self.kind, Kind::Identity(_)) {
            self.stage = Stage::BeforeAuth;
        }
        self
    }

    /// When it is checked.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// `ip`, `identity` or the custom key's name: part of the stored key and the default
    /// policy name of the `RateLimit-Policy` header.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::ClientAddr { .. } => "ip",
            Kind::Identity(_) => "identity",
            Kind::Custom { name, .. } => name,
        }
    }

    /// [`value`](Self::value) lent to `f`; a connection's IPv4 address as the address (no
    /// text, no allocation on every request of a throttled endpoint).
    pub(crate) fn with_value<R>(
        &self,
        req: &HttpRequest,
        f: impl FnOnce(KeyValue<'_>) -> R,
    ) -> Option<R> {
        if let Kind::ClientAddr {
            trust_forwarded: false,
        } = self.kind
            && let Some(IpAddr::V4(ip)) = req.peer_addr().map(|a| a.ip())
        {
            return Some(f(KeyValue::Ipv4(ip)));
        }
        self.value(req).map(|v| f(KeyValue::Text(&v)))
    }

    /// The key's value for this request, `None` to skip the throttle.
    pub fn value(&self, req: &HttpRequest) -> Option<String> {
        match &self.kind {
            Kind::ClientAddr { trust_forwarded } => client_addr(req, *trust_forwarded),
            Kind::Identity(own) => {
                let info = crate::auth::request_auth(req)?;
                own.and_then(|r| r(&info))
                    .or_else(|| info.throttle_key())
                    .map(|v| hex_sha256(&v))
            }
            Kind::Custom { f, .. } => f(req),
        }
    }
}

/// The SHA-256 of `value`, in lowercase hex: identities are stored hashed.
pub(crate) fn hex_sha256(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    out
}

fn client_addr(req: &HttpRequest, trust_forwarded: bool) -> Option<String> {
    if trust_forwarded && let Some(addr) = forwarded_for(req) {
        return Some(addr);
    }
    req.peer_addr().map(|a| ip_text(a.ip()))
}

/// A key's value for one request, as a stage hands it to the store: text, or the client's
/// IPv4 address, which the in-memory store counts without writing it out.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyValue<'a> {
    /// What [`Key::value`] gives.
    Text(&'a str),
    /// A connection's IPv4 address: `Text` of what `Ipv4Addr`'s `Display` writes.
    Ipv4(Ipv4Addr),
}

impl KeyValue<'_> {
    /// The value as [`Key::value`] writes it, lent to `f` (an address is written on the stack).
    pub(crate) fn with_text<R>(self, f: impl FnOnce(&str) -> R) -> R {
        match self {
            Self::Text(text) => f(text),
            Self::Ipv4(ip) => {
                let mut buf = [0u8; 15];
                // digits and dots: always UTF-8
                f(std::str::from_utf8(ipv4_text(ip, &mut buf)).unwrap_or_default())
            }
        }
    }
}

/// An address as `IpAddr`'s `Display` writes it; IPv4 without the formatting machinery
/// (on every request of a throttled endpoint).
fn ip_text(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let mut buf = [0u8; 15];
            String::from_utf8_lossy(ipv4_text(v4, &mut buf)).into_owned()
        }
        IpAddr::V6(_) => ip.to_string(),
    }
}

/// `a.b.c.d` written into `buf`.
fn ipv4_text(ip: Ipv4Addr, buf: &mut [u8; 15]) -> &[u8] {
    let mut len = 0;
    let mut digits = itoa::Buffer::new();
    for (i, octet) in ip.octets().into_iter().enumerate() {
        if i > 0 {
            buf[len] = b'.';
            len += 1;
        }
        let text = digits.format(octet).as_bytes();
        buf[len..len + text.len()].copy_from_slice(text);
        len += text.len();
    }
    &buf[..len]
}

/// The last `for=` of `Forwarded`, else the last entry of `X-Forwarded-For`.
fn forwarded_for(req: &HttpRequest) -> Option<String> {
    let headers = req.headers();
    let last_of = |name: &str| {
        headers
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .last()
            .map(str::to_owned)
    };
    let forwarded = last_of("forwarded").and_then(|element| {
        element.split(';').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("for")
                .then(|| v.trim().trim_matches('"').to_owned())
        })
    });
    forwarded
        .or_else(|| last_of("x-forwarded-for"))
        .filter(|v| v.len() <= 64)
}

/// An identity a [`Key::identity`] throttle can count by.
///
/// ```
/// use dmr_runtime::throttle::ThrottleIdentity;
///
/// #[derive(Clone)]
/// struct Account { id: u64 }
///
/// impl ThrottleIdentity for Account {
///     fn throttle_key(&self) -> Option<String> {
///         Some(self.id.to_string())
///     }
/// }
/// ```
pub trait ThrottleIdentity: Send + Sync + 'static {
    /// The value to count by (hashed before use), `None` to skip.
    fn throttle_key(&self) -> Option<String>;
}

type IdentityReader = fn(&AuthInfo) -> Option<String>;

fn read<T: ThrottleIdentity>(info: &AuthInfo) -> Option<String> {
    info.identity::<T>().and_then(T::throttle_key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn addresses_read_as_display_writes_them() {
        for ip in [
            "0.0.0.0",
            "192.0.2.7",
            "255.255.255.255",
            "10.20.0.9",
            "::1",
            "2001:db8::7",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(ip_text(ip), ip.to_string());
        }
    }

    #[test]
    fn an_ipv4_value_lends_the_text_value_gives() {
        let req = TestRequest::get()
            .peer_addr("192.0.2.7:4000".parse().unwrap())
            .to_http_request();
        let key = Key::client_addr();
        let lent = key.with_value(&req, |v| {
            let addr = v == KeyValue::Ipv4(Ipv4Addr::new(192, 0, 2, 7));
            (addr, v.with_text(str::to_owned))
        });
        assert_eq!(lent, Some((true, "192.0.2.7".to_owned())));
        assert_eq!(key.value(&req).as_deref(), Some("192.0.2.7"));
        let req = TestRequest::get()
            .peer_addr("[2001:db8::7]:4000".parse().unwrap())
            .to_http_request();
        let lent = key.with_value(&req, |v| v.with_text(str::to_owned));
        assert_eq!(lent.as_deref(), Some("2001:db8::7"));
    }

    #[test]
    fn forwarded_headers_count_only_when_trusted() {
        let req = TestRequest::get()
            .peer_addr("10.0.0.1:1".parse().unwrap())
            .insert_header(("x-forwarded-for", "6.6.6.6, 203.0.113.9"))
            .to_http_request();
        assert_eq!(Key::client_addr().value(&req).unwrap(), "10.0.0.1");
        let trusted = Key::client_addr().trust_forwarded_headers(true);
        assert_eq!(trusted.value(&req).unwrap(), "203.0.113.9");
        let req = TestRequest::get()
            .peer_addr("10.0.0.1:1".parse().unwrap())
            .insert_header(("forwarded", "for=1.1.1.1, for=\"198.51.100.4\";proto=https"))
            .to_http_request();
        assert_eq!(trusted.value(&req).unwrap(), "198.51.100.4");
    }

    #[test]
    fn identity_is_hashed_and_stays_after_auth() {
        assert_eq!(
            hex_sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(Key::identity().before_auth().stage(), Stage::AfterAuth);
        assert_eq!(Key::client_addr().after_auth().stage(), Stage::AfterAuth);
    }
}
