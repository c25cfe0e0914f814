//! Device cookies: what is issued, what is taken as one (only our own signature, for the
//! account it names, within its lifetime), and what revokes it.

use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, SameSite};

use super::*;

const KEY: &[u8] = b"device-cookie-tests-0123456789abcdef";

fn user(name: &str, hash: &str) -> StoredUser {
    StoredUser {
        id: "1".into(),
        username: name.into(),
        password_hash: hash.into(),
        is_active: true,
    }
}

fn devices() -> DeviceCookies {
    DeviceCookies::new(KEY).unwrap()
}

#[test]
fn a_short_key_is_refused_and_says_how_long_it_is() {
    let e = DeviceCookies::new(b"0123456789").unwrap_err();
    assert_eq!(e, DeviceKeyError(10));
    assert!(e.to_string().contains("10 bytes long"), "{e}");
    assert!(DeviceCookies::new([7u8; DEVICE_KEY_BYTES]).is_ok());
}

#[test]
fn the_cookie_is_http_only_secure_strict_on_the_whole_site_for_its_lifetime() {
    let c = devices().issue(&user("admin", "$argon2id$a"));
    assert_eq!(c.name(), "dmr_device");
    assert_eq!(c.http_only(), Some(true));
    assert_eq!(c.secure(), Some(true));
    assert_eq!(c.same_site(), Some(SameSite::Strict));
    assert_eq!(c.path(), Some("/"));
    assert_eq!(c.max_age(), Some(Duration::days(30)));
    let plain = devices()
        .secure(false)
        .cookie_name("dev")
        .cookie_path("/api");
    let c = plain.issue(&user("admin", "$argon2id$a"));
    assert_eq!(
        (c.name(), c.secure(), c.path()),
        ("dev", Some(false), Some("/api"))
    );
    // each login a new nonce
    let again = devices().issue(&user("admin", "$argon2id$a"));
    assert_ne!(
        devices().issue(&user("admin", "$argon2id$a")).value(),
        again.value()
    );
}

#[test]
fn an_issued_cookie_is_a_trusted_device_of_its_account_only() {
    let d = devices();
    let admin = user("admin", "$argon2id$a");
    let c = d.issue(&admin);
    let claim = d.presented(c.value(), "admin").expect("ours, for admin");
    assert_eq!(claim.nonce.len(), 32);
    assert!(d.confirms(&claim, &admin));
    assert_eq!(d.presented(c.value(), "bob"), None, "another account");
    assert_eq!(d.presented(c.value(), "Admin"), None, "the exact name");
}

#[test]
fn a_forged_or_tampered_cookie_is_none() {
    let d = devices();
    let c = d.issue(&user("admin", "$argon2id$a"));
    let value = c.value();
    // another key's cookie
    let other = DeviceCookies::new(b"another-key-of-32-bytes-or-more-xx").unwrap();
    let forged = other.issue(&user("admin", "$argon2id$a"));
    assert_eq!(d.presented(forged.value(), "admin"), None);
    // every field changed in turn
    let fields: Vec<&str> = value.split('.').collect();
    assert_eq!(fields.len(), 6, "{value}");
    for i in 0..fields.len() {
        let mut changed: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
        let flip = if changed[i].ends_with('A') { 'B' } else { 'A' };
        changed[i].pop();
        changed[i].push(flip);
        assert_eq!(d.presented(&changed.join("."), "admin"), None, "field {i}");
    }
    // a tag that is not base64, truncated, a value too long, garbage
    let (signed, _) = value.rsplit_once('.').unwrap();
    for bad in [
        format!("{signed}.!!"),
        format!("{signed}."),
        value[..value.len() - 4].to_owned(),
        format!("{value}{}", "A".repeat(600)),
        String::new(),
        "d1".to_owned(),
    ] {
        assert_eq!(d.presented(&bad, "admin"), None, "{bad}");
    }
}

#[test]
fn a_cookie_past_its_lifetime_is_none() {
    let d = devices().lifetime(Duration::ZERO);
    let c = d.issue(&user("admin", "$argon2id$a"));
    assert_eq!(d.presented(c.value(), "admin"), None);
}

#[test]
fn a_password_change_or_a_deactivation_revokes_the_device() {
    let d = devices();
    let admin = user("admin", "$argon2id$old");
    let claim = d.presented(d.issue(&admin).value(), "admin").unwrap();
    assert!(!d.confirms(&claim, &user("admin", "$argon2id$new")));
    let inactive = StoredUser {
        is_active: false,
        ..admin.clone()
    };
    assert!(!d.confirms(&claim, &inactive));
    // a new key revokes every device
    let rotated = DeviceCookies::new(b"a-new-device-key-of-32-bytes-xxxx").unwrap();
    assert_eq!(rotated.presented(d.issue(&admin).value(), "admin"), None);
}

#[test]
fn the_answer_carries_the_cookie() {
    use actix_web::Responder as _;
    let req = actix_web::test::TestRequest::default().to_http_request();
    let cookie = Cookie::new("dmr_device", "v");
    let res = WithDeviceCookie("ok", Some(cookie)).respond_to(&req);
    let set: Vec<_> = res.cookies().map(|c| c.name().to_owned()).collect();
    assert_eq!(set, ["dmr_device"]);
    let res = WithDeviceCookie("ok", None).respond_to(&req);
    assert_eq!(res.cookies().count(), 0);
}
