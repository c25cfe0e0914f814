//! One function per audit event (names in [`events`](super::events)): each counts the
//! operation ([`CREDENTIAL_TOTAL`]) and, when a subscriber or a logger listens to
//! [`AUDIT_TARGET`](super::AUDIT_TARGET), writes the event with the subject, the client
//! address and the request id. A call site is one line.

use super::Origin;
use super::events::*;
use super::names::CREDENTIAL_TOTAL;

/// Where the request of an event is: its client address and request id, computed only when
/// someone listens.
pub(crate) trait Source {
    fn origin(&self) -> Origin;
}

/// No request at hand (the `dmr.request` span has it).
pub(crate) struct Unknown;

impl Source for Unknown {
    fn origin(&self) -> Origin {
        Origin::NONE
    }
}

/// Counts `$event` with `$result`, then writes it at `$level` when someone listens.
macro_rules! emit {
    ($level:ident / $log:ident, $event:expr, $result:literal, $src:expr, $($field:tt)*) => {{
        metrics::counter!(CREDENTIAL_TOTAL, "operation" => $event, "result" => $result)
            .increment(1);
        if ::tracing::enabled!(target: "dmr::audit", ::tracing::Level::$level)
            || ::log::log_enabled!(target: "dmr::audit", ::log::Level::$log)
        {
            let origin = $src.origin();
            ::tracing::event!(
                target: "dmr::audit",
                ::tracing::Level::$level,
                event = $event,
                client.address = origin.client(),
                request_id = origin.request_id(),
                $($field)*
            );
        }
    }};
}

pub(crate) fn login_succeeded(src: impl Source, scheme: &'static str, subject: &str) {
    emit!(
        INFO / Info,
        LOGIN_SUCCEEDED,
        "ok",
        src,
        scheme,
        subject,
        "{LOGIN_SUCCEEDED}"
    );
}

/// A refused login, with its reason class (`None`: not a login attempt, or a refusal the
/// throttles write).
pub(crate) fn login_failed(src: impl Source, scheme: &'static str, reason: Option<&'static str>) {
    if let Some(reason) = reason {
        emit!(
            INFO / Info,
            LOGIN_FAILED,
            "refused",
            src,
            scheme,
            reason,
            "{LOGIN_FAILED}"
        );
    }
}

pub(crate) fn session_renewed(src: impl Source, subject: &str) {
    emit!(
        INFO / Info,
        SESSION_RENEWED,
        "ok",
        src,
        subject,
        "{SESSION_RENEWED}"
    );
}

pub(crate) fn logout(src: impl Source, subject: Option<&str>) {
    emit!(INFO / Info, LOGOUT, "ok", src, subject, "{LOGOUT}");
}

pub(crate) fn jwt_issued(src: impl Source, subject: &str) {
    emit!(INFO / Info, JWT_ISSUED, "ok", src, subject, "{JWT_ISSUED}");
}

pub(crate) fn jwt_refreshed(subject: &str) {
    emit!(
        INFO / Info,
        JWT_REFRESHED,
        "ok",
        Unknown,
        subject,
        "{JWT_REFRESHED}"
    );
}

pub(crate) fn jwt_verified(subject: &str) {
    emit!(
        INFO / Info,
        JWT_VERIFIED,
        "ok",
        Unknown,
        subject,
        "{JWT_VERIFIED}"
    );
}

pub(crate) fn jwt_revoked(src: impl Source, subject: Option<&str>) {
    emit!(
        INFO / Info,
        JWT_REVOKED,
        "ok",
        src,
        subject,
        "{JWT_REVOKED}"
    );
}

/// `family`: the refresh family revoked (a random id, not a credential).
pub(crate) fn refresh_reuse(subject: &str, family: &str) {
    emit!(
        WARN / Warn,
        REFRESH_REUSE,
        "refused",
        Unknown,
        subject,
        family,
        "{REFRESH_REUSE}: a rotated refresh token came back, its family is revoked"
    );
}

pub(crate) fn token_issued(src: impl Source, subject: &str) {
    emit!(
        INFO / Info,
        TOKEN_ISSUED,
        "ok",
        src,
        subject,
        "{TOKEN_ISSUED}"
    );
}

pub(crate) fn token_revoked(src: impl Source, subject: &str) {
    emit!(
        INFO / Info,
        TOKEN_REVOKED,
        "ok",
        src,
        subject,
        "{TOKEN_REVOKED}"
    );
}

pub(crate) fn token_expired(src: impl Source, subject: &str) {
    emit!(
        INFO / Info,
        TOKEN_EXPIRED,
        "refused",
        src,
        subject,
        "{TOKEN_EXPIRED}"
    );
}

/// A throttle refused; `client`: its key when the key is the client address.
pub(crate) fn throttled(throttle: &str, status: u16, client: Option<&str>) {
    metrics::counter!(super::names::THROTTLE_HITS, "throttle" => throttle.to_owned(), "status" => status_label(status))
        .increment(1);
    emit!(
        INFO / Info,
        THROTTLED,
        "refused",
        Fixed(client),
        throttle,
        status,
        "{THROTTLED}"
    );
}

/// A login throttle of the account half refused: `per` is `user name` or `device`.
pub(crate) fn lockout(per: &str) {
    emit!(
        WARN / Warn,
        LOCKOUT,
        "refused",
        Unknown,
        "{LOCKOUT}: the login throttle per {per} refused"
    );
}

pub(crate) fn store_unavailable(
    store: &'static str,
    kind: &'static str,
    why: &dyn std::fmt::Display,
) {
    emit!(
        WARN / Warn,
        STORE_UNAVAILABLE,
        "error",
        Unknown,
        store,
        kind,
        error = %why,
        "{STORE_UNAVAILABLE}"
    );
}

pub(crate) fn store_recovered(store: &'static str) {
    emit!(
        INFO / Info,
        STORE_RECOVERED,
        "ok",
        Unknown,
        store,
        "{STORE_RECOVERED}"
    );
}

fn status_label(status: u16) -> &'static str {
    match status {
        429 => "429",
        503 => "503",
        _ => "other",
    }
}

/// An origin whose client address is known already (a throttle's key).
struct Fixed<'a>(Option<&'a str>);

impl Source for Fixed<'_> {
    fn origin(&self) -> Origin {
        Origin {
            client: self.0.map(str::to_owned),
            request_id: None,
        }
    }
}
