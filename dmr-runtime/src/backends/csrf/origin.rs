//! The `Origin` and `Referer` checks of Django's `CsrfViewMiddleware`, with the parts of
//! Python's `urlsplit` / `urlunsplit` they rely on.

use std::net::Ipv6Addr;

/// The parts of a URL the checks read (Python's `SplitResult`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SplitUrl {
    pub(crate) scheme: String,
    pub(crate) netloc: String,
    path: String,
    query: String,
    fragment: String,
}

impl SplitUrl {
    /// Python's `urlunsplit` for a URL with a network location (`SplitResult.geturl()`).
    pub(crate) fn geturl(&self) -> String {
        let mut url = self.path.clone();
        if !self.netloc.is_empty() {
            if !url.is_empty() && !url.starts_with('/') {
                url.insert(0, '/');
            }
            url = format!("//{}{url}", self.netloc);
        } else if url.starts_with("//") {
            url = format!("//{url}");
        }
        if !self.scheme.is_empty() {
            url = format!("{}:{url}", self.scheme);
        }
        if !self.query.is_empty() {
            url = format!("{url}?{}", self.query);
        }
        if !self.fragment.is_empty() {
            url = format!("{url}#{}", self.fragment);
        }
        url
    }
}

fn is_scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
}

/// Python's `urllib.parse.urlsplit`; `None` where it raises `ValueError` (unbalanced or
/// invalid brackets in the network location).
pub(crate) fn urlsplit(url: &str) -> Option<SplitUrl> {
    // WHATWG C0 control or space stripped from the left; tab, CR and LF removed everywhere
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let mut rest = url.as_str();
    let mut scheme = String::new();
    if let Some(i) = rest.find(':') {
        let candidate = &rest[..i];
        let first_ok = candidate
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
        if i > 0 && first_ok && candidate.chars().all(is_scheme_char) {
            scheme = candidate.to_ascii_lowercase();
            rest = &rest[i + 1..];
        }
    }
    let mut netloc = String::new();
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        netloc = after[..end].to_owned();
        rest = &after[end..];
        let (open, close) = (netloc.contains('['), netloc.contains(']'));
        if open != close {
            return None;
        }
        if open {
            let host = netloc.split_once('[').map_or("", |(_, r)| r);
            let host = host.split_once(']').map_or(host, |(h, _)| h);
            if !valid_bracketed_host(host) {
                return None;
            }
        }
    }
    let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Some(SplitUrl {
        scheme,
        netloc,
        path: path.to_owned(),
        query: query.to_owned(),
        fragment: fragment.to_owned(),
    })
}

/// Python's `_check_bracketed_host`: an IPvFuture (`v1.x`) or an IPv6 address.
fn valid_bracketed_host(host: &str) -> bool {
    if let Some(future) = host.strip_prefix('v') {
        return match future.split_once('.') {
            Some((hex, rest)) => {
                !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) && !rest.is_empty()
            }
            None => false,
        };
    }
    let address = host.split_once('%').map_or(host, |(a, _)| a);
    address.parse::<Ipv6Addr>().is_ok()
}

/// Django's `is_same_domain`: `pattern` is lower-cased (the host is not); a pattern starting
/// with `.` matches the domain and every subdomain.
pub(crate) fn is_same_domain(host: &str, pattern: &str) -> bool {
    if pattern.is_empty() {
        return false;
    }
    let pattern = pattern.to_lowercase();
    match pattern.strip_prefix('.') {
        Some(bare) => host.ends_with(&pattern) || host == bare,
        None => host == pattern,
    }
}

/// The parsed `CSRF_TRUSTED_ORIGINS`.
#[derive(Debug, Clone, Default)]
pub(crate) struct TrustedOrigins {
    /// Origins without `*`, compared exactly.
    exact: Vec<String>,
    /// `(scheme, netloc without leading *)` of origins with `*`.
    subdomains: Vec<(String, String)>,
    /// The netloc (without leading `*`) of every origin, for the `Referer` check.
    hosts: Vec<String>,
}

impl TrustedOrigins {
    pub(crate) fn new(origins: &[String]) -> Self {
        let mut t = Self::default();
        for origin in origins {
            let split = urlsplit(origin);
            let netloc = split
                .as_ref()
                .map_or("", |s| s.netloc.as_str())
                .trim_start_matches('*');
            t.hosts.push(netloc.to_owned());
            if origin.contains('*') {
                let scheme = split.as_ref().map_or(String::new(), |s| s.scheme.clone());
                t.subdomains.push((scheme, netloc.to_owned()));
            } else {
                t.exact.push(origin.clone());
            }
        }
        t
    }

    /// Django's `_origin_verified`: the origin of the request itself, an exact trusted
    /// origin, or a subdomain of a wildcard one with the same scheme.
    pub(crate) fn origin_verified(&self, origin: &str, good_origin: &str) -> bool {
        if origin == good_origin || self.exact.iter().any(|o| o == origin) {
            return true;
        }
        let Some(parsed) = urlsplit(origin) else {
            return false;
        };
        self.subdomains
            .iter()
            .any(|(scheme, host)| *scheme == parsed.scheme && is_same_domain(&parsed.netloc, host))
    }

    /// Django's `_check_referer` (HTTPS requests without `Origin`): `good_referer` is the
    /// configured cookie domain (with the port) or the request's host.
    pub(crate) fn check_referer(
        &self,
        referer: Option<&str>,
        good_referer: &str,
    ) -> Result<(), String> {
        let Some(referer) = referer else {
            return Err("Referer checking failed - no Referer.".to_owned());
        };
        let malformed = || "Referer checking failed - Referer is malformed.".to_owned();
        let parsed = urlsplit(referer).ok_or_else(malformed)?;
        if parsed.scheme.is_empty() || parsed.netloc.is_empty() {
            return Err(malformed());
        }
        if parsed.scheme != "https" {
            return Err(
                "Referer checking failed - Referer is insecure while host is secure.".to_owned(),
            );
        }
        if self.hosts.iter().any(|h| is_same_domain(&parsed.netloc, h))
            || is_same_domain(&parsed.netloc, good_referer)
        {
            return Ok(());
        }
        Err(format!(
            "Referer checking failed - {} does not match any trusted origins.",
            parsed.geturl()
        ))
    }
}

/// The label Django gives a header in messages: `X-CSRFToken` -> `X-Csrftoken` (the META key
/// `HTTP_X_CSRFTOKEN` turned back into a name with Python's `str.title`).
pub(crate) fn header_label(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut after_letter = false;
    for c in name.chars() {
        let c = if c == '_' { '-' } else { c };
        if c.is_alphabetic() {
            out.extend(if after_letter {
                c.to_lowercase().collect::<Vec<_>>()
            } else {
                c.to_uppercase().collect()
            });
            after_letter = true;
        } else {
            out.push(c);
            after_letter = false;
        }
    }
    out
}

/// Decodes header bytes as WSGI does (Latin-1), so any value can be compared and quoted.
pub(crate) fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_python() {
        let u = urlsplit("HTTPS://Example.com:8443/a/b?x=1#frag").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.netloc.as_str()),
            ("https", "Example.com:8443")
        );
        assert_eq!(u.geturl(), "https://Example.com:8443/a/b?x=1#frag");
        assert_eq!(
            urlsplit("https://a.com/?").unwrap().geturl(),
            "https://a.com/"
        );
        assert!(urlsplit("https://[::1/").is_none());
        assert!(urlsplit("https://[not-ip]/").is_none());
        assert!(urlsplit("https://[::1]:8000/").is_some());
        let u = urlsplit("example.com/page").unwrap();
        assert_eq!((u.scheme.as_str(), u.netloc.as_str()), ("", ""));
        let u = urlsplit("//example.com/page").unwrap();
        assert_eq!((u.scheme.as_str(), u.netloc.as_str()), ("", "example.com"));
        assert_eq!(urlsplit("1http://x").unwrap().scheme, "");
    }

    #[test]
    fn same_domain() {
        assert!(is_same_domain("example.com", "example.com"));
        assert!(is_same_domain("foo.example.com", ".example.com"));
        assert!(is_same_domain("example.com", ".EXAMPLE.com"));
        assert!(!is_same_domain("badexample.com", ".example.com"));
        assert!(!is_same_domain("EXAMPLE.com", "example.com"));
        assert!(!is_same_domain("example.com", ""));
    }

    #[test]
    fn labels() {
        assert_eq!(header_label("X-CSRFToken"), "X-Csrftoken");
        assert_eq!(header_label("x-my_token2x"), "X-My-Token2X");
    }

    #[test]
    fn trusted() {
        let t = TrustedOrigins::new(&["https://*.example.com".into(), "http://exact.org".into()]);
        assert!(t.origin_verified("https://api.example.com", "http://host"));
        assert!(!t.origin_verified("http://api.example.com", "http://host"));
        assert!(t.origin_verified("http://exact.org", "http://host"));
        assert!(t.origin_verified("http://host", "http://host"));
        assert!(
            t.check_referer(Some("https://x.example.com/p"), "host")
                .is_ok()
        );
        assert!(t.check_referer(Some("https://exact.org/"), "host").is_ok());
    }
}
