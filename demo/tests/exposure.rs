//! The demo binary refuses to listen beyond loopback with its public built-in secrets.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

const DEMO: &str = env!("CARGO_BIN_EXE_dmr-demo");

fn demo(envs: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(DEMO);
    for var in [
        "DMR_DEMO_JWT_SECRET",
        "DMR_DEMO_JWT_KEY",
        "DMR_DEMO_JWT_KID",
        "DMR_DEMO_PASSWORD",
        "DMR_DEMO_TOKEN_SECRET",
        "DMR_DEMO_ALLOW_DEFAULT_SECRETS",
        "DMR_DEMO_USERS_DB",
    ] {
        cmd.env_remove(var);
    }
    // API tokens in a private in-memory database: no file left in the checkout
    cmd.env("DMR_DEMO_TOKENS_DB", ":memory:");
    cmd.envs(envs.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Starts the demo and returns its first line on stdout (it is then stopped).
fn first_line(envs: &[(&str, &str)]) -> String {
    let mut child = demo(envs).spawn().expect("run the demo");
    let mut line = String::new();
    let out = child.stdout.take().expect("stdout");
    BufReader::new(out).read_line(&mut line).expect("read");
    let _ = child.kill();
    let _ = child.wait();
    line
}

#[test]
fn default_secrets_on_a_public_address_are_refused_in_one_line() {
    let out = demo(&[("DMR_DEMO_ADDR", "0.0.0.0:0")])
        .output()
        .expect("run the demo");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: refusing to listen on 0.0.0.0:0 with the demo's public built-in secrets: set DMR_DEMO_JWT_SECRET, DMR_DEMO_PASSWORD and DMR_DEMO_TOKEN_SECRET"),
        "{err}"
    );
    // one default left is enough to refuse
    let out = demo(&[
        ("DMR_DEMO_ADDR", "0.0.0.0:0"),
        ("DMR_DEMO_PASSWORD", "a-real-password"),
        ("DMR_DEMO_TOKEN_SECRET", "a-real-token-secret"),
    ])
    .output()
    .expect("run the demo");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("set DMR_DEMO_JWT_SECRET (or"));
}

#[test]
fn loopback_own_secrets_or_explicit_consent_start() {
    let own = [
        ("DMR_DEMO_ADDR", "0.0.0.0:0"),
        ("DMR_DEMO_PASSWORD", "a-real-password"),
        ("DMR_DEMO_TOKEN_SECRET", "a-real-token-secret"),
        (
            "DMR_DEMO_JWT_SECRET",
            "an-own-secret-of-more-than-32-bytes-0123456789",
        ),
    ];
    let consent = [
        ("DMR_DEMO_ADDR", "0.0.0.0:0"),
        ("DMR_DEMO_ALLOW_DEFAULT_SECRETS", "1"),
    ];
    let loopback = [("DMR_DEMO_ADDR", "127.0.0.1:0")];
    for envs in [&own[..], &consent[..], &loopback[..]] {
        let line = first_line(envs);
        assert!(line.starts_with("dmr demo on http://"), "{envs:?}: {line}");
    }
}

#[test]
fn an_empty_secret_or_password_on_a_public_address_is_refused_even_with_consent() {
    for var in ["DMR_DEMO_PASSWORD", "DMR_DEMO_TOKEN_SECRET"] {
        let out = demo(&[
            ("DMR_DEMO_ADDR", "0.0.0.0:0"),
            ("DMR_DEMO_ALLOW_DEFAULT_SECRETS", "1"),
            (var, ""),
        ])
        .output()
        .expect("run the demo");
        assert_eq!(out.status.code(), Some(1), "{var}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.trim_end(),
            format!(
                "error: refusing to listen on 0.0.0.0:0 with an empty {var}: set it to a secret of your own"
            )
        );
    }
    // on loopback an empty password is the developer's own business
    let line = first_line(&[("DMR_DEMO_ADDR", "127.0.0.1:0"), ("DMR_DEMO_PASSWORD", "")]);
    assert!(line.starts_with("dmr demo on http://"), "{line}");
}

#[test]
fn the_repository_test_keys_or_an_empty_key_on_a_public_address_are_refused() {
    let public = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/keys/ed_private.pem");
    let own = [
        ("DMR_DEMO_ADDR", "0.0.0.0:0"),
        ("DMR_DEMO_PASSWORD", "a-real-password"),
        ("DMR_DEMO_TOKEN_SECRET", "a-real-token-secret"),
        ("DMR_DEMO_JWT_KEY", public),
    ];
    let out = demo(&own).output().expect("run the demo");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("with the demo's public built-in secrets: set DMR_DEMO_JWT_KEY (or"),
        "{err}"
    );
    let empty = std::env::temp_dir().join(format!("dmr-demo-empty-{}.pem", std::process::id()));
    std::fs::write(&empty, "").unwrap();
    let mut with_empty = own;
    with_empty[3].1 = empty.to_str().unwrap();
    let out = demo(&with_empty).output().expect("run the demo");
    let _ = std::fs::remove_file(&empty);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "error: refusing to listen on 0.0.0.0:0 with an empty DMR_DEMO_JWT_KEY: set it to a secret of your own"
    );
}
