//! The demo prints its banner only once it listens, naming the address it bound, and a
//! startup failure as one readable `error: ..` line with a non-zero exit status.

use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};

const DEMO: &str = env!("CARGO_BIN_EXE_dmr-demo");

fn demo(envs: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(DEMO);
    for var in [
        "DMR_DEMO_ADDR",
        "DMR_DEMO_JWT_SECRET",
        "DMR_DEMO_JWT_KEY",
        "DMR_DEMO_JWT_KID",
        "DMR_DEMO_PASSWORD",
        "DMR_DEMO_ALLOW_DEFAULT_SECRETS",
        "DMR_DEMO_USERS_DB",
        "DMR_DEMO_REQUEST_TIMEOUT_SECS",
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

/// Runs the demo to its end (it must fail to start) and returns its output.
fn fails(envs: &[(&str, &str)]) -> (Output, String) {
    let out = demo(envs).output().expect("run the demo");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{envs:?}: {err}");
    assert_eq!(out.stdout, b"", "no banner before a failed start: {envs:?}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    (out, err)
}

#[test]
fn an_address_in_use_is_one_line_and_no_banner() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (_, err) = fails(&[("DMR_DEMO_ADDR", &addr)]);
    let expected = format!("error: cannot listen on `{addr}` (`DMR_DEMO_ADDR`): ");
    assert!(err.starts_with(&expected), "{err}");
    assert!(!err.contains("Custom {") && !err.contains("kind:"), "{err}");
}

#[test]
fn an_address_that_does_not_parse_is_one_line() {
    let (_, err) = fails(&[("DMR_DEMO_ADDR", "127.0.0.1:99999")]);
    assert!(
        err.starts_with("error: cannot listen on `127.0.0.1:99999` (`DMR_DEMO_ADDR`): "),
        "{err}"
    );
}

#[test]
fn a_short_jwt_secret_names_the_auth_its_scope_and_the_fix() {
    let (_, err) = fails(&[("DMR_DEMO_JWT_SECRET", "short")]);
    assert!(
        err.starts_with("error: auth `JwtAuth` of scope `/api/jwt` cannot be built: "),
        "{err}"
    );
    assert!(
        err.trim_end().ends_with(
            "cannot be built: the HS256 secret is 5 bytes long, shorter than the 32 bytes of \
             its hash; use a longer random secret"
        ),
        "{err}"
    );
}

#[test]
fn a_bad_setting_names_the_variable_and_what_it_expects() {
    let (_, err) = fails(&[("DMR_DEMO_REQUEST_TIMEOUT_SECS", "soon")]);
    assert_eq!(
        err,
        "error: `DMR_DEMO_REQUEST_TIMEOUT_SECS` is `soon`, expected a whole number of seconds above 0; fix or unset it\n"
    );
}

#[test]
fn the_banner_names_the_bound_address() {
    let mut child = demo(&[("DMR_DEMO_ADDR", "127.0.0.1:0")])
        .spawn()
        .expect("run the demo");
    let mut line = String::new();
    let out = child.stdout.take().expect("stdout");
    BufReader::new(out).read_line(&mut line).expect("read");
    let _ = child.kill();
    let _ = child.wait();
    let rest = line
        .strip_prefix("dmr demo on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("{line}"));
    let (port, user) = rest.split_once(' ').expect("a port then the user");
    assert_ne!(port.parse::<u16>().expect("a port"), 0, "{line}");
    assert_eq!(user, "(user `admin`)\n");
}
