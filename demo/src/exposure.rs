//! The demo's built-in secrets (the JWT and token secrets in the source, the password `pass`,
//! and the test keys of this repository as `DMR_DEMO_JWT_KEY`) are public: it refuses to
//! listen on anything but a loopback address with them, unless
//! `DMR_DEMO_ALLOW_DEFAULT_SECRETS=1`, and with an empty one whatever it is told. With
//! `DMR_DEMO_JWT_KEY` set, the HS256 secret signs nothing and is not checked.

use std::net::IpAddr;

use crate::config::{DEFAULT_JWT_SECRET, DEFAULT_PASSWORD, DEFAULT_TOKEN_SECRET, DemoConfig};

/// The private keys published in this repository (its tests sign with them).
const PUBLIC_KEYS: [&str; 2] = [
    include_str!("../../tests/keys/ed_private.pem"),
    include_str!("../../tests/keys/rsa_private.pem"),
];

/// A secret the demo may be given: its value, the public values it must not be, its variable.
type Secret<'a> = (&'a str, &'a [&'a str], &'a str);

/// Whether `addr` (`host:port`) names a loopback host (`127.0.0.0/8`, `::1`, `localhost`).
fn is_loopback(addr: &str) -> bool {
    let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Why the demo must not start with `cfg`, in one line, or `None`.
pub fn refusal(cfg: &DemoConfig) -> Option<String> {
    if is_loopback(&cfg.addr) {
        return None;
    }
    let jwt: Secret<'_> = match &cfg.jwt_key {
        Some(pem) => (pem.trim(), &PUBLIC_KEYS, "DMR_DEMO_JWT_KEY"),
        None => (
            &cfg.jwt_secret,
            &[DEFAULT_JWT_SECRET],
            "DMR_DEMO_JWT_SECRET",
        ),
    };
    let secrets: [Secret<'_>; 3] = [
        jwt,
        (&cfg.password, &[DEFAULT_PASSWORD], "DMR_DEMO_PASSWORD"),
        (
            &cfg.token_secret,
            &[DEFAULT_TOKEN_SECRET],
            "DMR_DEMO_TOKEN_SECRET",
        ),
    ];
    let empty = names(secrets.iter().filter(|(value, ..)| value.is_empty()));
    if !empty.is_empty() {
        return Some(format!(
            "error: refusing to listen on {} with an empty {empty}: set it to a secret of your own",
            cfg.addr
        ));
    }
    let defaults = names(
        secrets
            .iter()
            .filter(|(value, public, _)| public.iter().any(|p| p.trim() == *value)),
    );
    if defaults.is_empty() || cfg.allow_default_secrets {
        return None;
    }
    Some(format!(
        "error: refusing to listen on {} with the demo's public built-in secrets: set {defaults} (or DMR_DEMO_ALLOW_DEFAULT_SECRETS=1 to accept them)",
        cfg.addr
    ))
}

/// The variables of `secrets`, as `A`, `A and B` or `A, B and C`.
fn names<'a>(secrets: impl Iterator<Item = &'a Secret<'a>>) -> String {
    let names: Vec<&str> = secrets.map(|(.., var)| *var).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn loopback_hosts() {
        for a in [
            "127.0.0.1:8000",
            "127.1.2.3:1",
            "[::1]:8000",
            "localhost:80",
            "LOCALHOST:1",
        ] {
            assert!(is_loopback(a), "{a}");
        }
        for a in [
            "0.0.0.0:8000",
            "[::]:8000",
            "10.0.0.1:80",
            "example.com:80",
            "192.168.1.1:1",
        ] {
            assert!(!is_loopback(a), "{a}");
        }
    }
}
