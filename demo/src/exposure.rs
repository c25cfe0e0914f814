//! The demo's built-in secrets (the JWT and token secrets in the source, the password `pass`)
//! are public: it refuses to listen on anything but a loopback address with them, unless
//! `DMR_DEMO_ALLOW_DEFAULT_SECRETS=1`, and with an empty one whatever it is told.

use std::net::IpAddr;

use crate::config::{DEFAULT_JWT_SECRET, DEFAULT_PASSWORD, DEFAULT_TOKEN_SECRET, DemoConfig};

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
    let secrets = [
        (&cfg.jwt_secret, DEFAULT_JWT_SECRET, "DMR_DEMO_JWT_SECRET"),
        (&cfg.password, DEFAULT_PASSWORD, "DMR_DEMO_PASSWORD"),
        (
            &cfg.token_secret,
            DEFAULT_TOKEN_SECRET,
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
            .filter(|(value, default, _)| value == default),
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
fn names<'a>(secrets: impl Iterator<Item = &'a (&'a String, &'a str, &'a str)>) -> String {
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
