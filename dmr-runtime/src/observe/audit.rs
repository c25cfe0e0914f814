//! One function per audit event (names in [`events`](super::events)): each counts the
//! operation ([`CREDENTIAL_TOTAL`]) and, when a subscriber or a logger listens to
//! [`AUDIT_TARGET`](super::AUDIT_TARGET), writes the event with the subject, the client
//! address and the request id. A call site is one line.

use actix_web::HttpRequest;

use super::Origin;
use super::events::*;
use super::names::CREDENTIAL_TOTAL;
use crate::auth::AuthRequest;
use crate::backends::credentials::CredentialError;

/// Where the request of an event is, if at hand (else the `dmr.request` span has it).
pub(crate) enum Src<'a, 'r> {
    /// A live request; whether the throttles trust forwarding headers.
    Live(&'a HttpRequest, bool),
    /// A request seen by an auth check or a view; likewise.
    View(&'a AuthRequest<'r>, bool),
    /// No request at hand.
    Unknown,
}

impl Src<'_, '_> {
    fn origin(&self) -> Origin {
        match self {
            Src::Live(req, trust) => Origin::of(req, *trust),
            Src::View(req, trust) => Origin::of_view(req, *trust),
            Src::Unknown => Origin::NONE,
        }
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

pub(crate) fn login_succeeded(src: Src<'_, '_>, scheme: &'static str, subject: &str) {
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

/// A refused login: `Throttled` is written by the throttle (`throttled`, `lockout`), a bad
/// body is no login attempt.
pub(crate) fn login_failed(src: Src<'_, '_>, scheme: &'static str, e: &CredentialError) {
    let reason = match e {
        CredentialError::NotAuthenticated => "invalid_credentials",
        CredentialError::Busy(_) => "busy",
        CredentialError::Unavailable(_) | CredentialError::Internal => "store_error",
        CredentialError::Csrf(_) => "csrf",
        CredentialError::Body(_) | CredentialError::Throttled(_) => return,
    };
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

pub(crate) fn session_renewed(src: Src<'_, '_>, subject: &str) {
    emit!(
        INFO / Info,
        SESSION_RENEWED,
        "ok",
        src,
        subject,
        "{SESSION_RENEWED}"
    );
}

pub(crate) fn logout(src: Src<'_, '_>, subject: Option<&str>) {
    emit!(INFO / Info, LOGOUT, "ok", src, subject, "{LOGOUT}");
}

pub(crate) fn jwt_issued(src: Src<'_, '_>, subject: &str) {
    emit!(INFO / Info, JWT_ISSUED, "ok", src, subject, "{JWT_ISSUED}");
}

pub(crate) fn jwt_refreshed(subject: &str) {
    emit!(
        INFO / Info,
        JWT_REFRESHED,
        "ok",
        Src::Unknown,
        subject,
        "{JWT_REFRESHED}"
    );
}

pub(crate) fn jwt_verified(subject: &str) {
    emit!(
        INFO / Info,
        JWT_VERIFIED,
        "ok",
        Src::Unknown,
        subject,
        "{JWT_VERIFIED}"
    );
}

pub(crate) fn jwt_revoked(src: Src<'_, '_>, subject: Option<&str>) {
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
        Src::Unknown,
        subject,
        family,
        "{REFRESH_REUSE}: a rotated refresh token came back, its family is revoked"
    );
}

pub(crate) fn token_issued(src: Src<'_, '_>, subject: &str) {
    emit!(
        INFO / Info,
        TOKEN_ISSUED,
        "ok",
        src,
        subject,
        "{TOKEN_ISSUED}"
    );
}

pub(crate) fn token_revoked(src: Src<'_, '_>, subject: &str) {
    emit!(
        INFO / Info,
        TOKEN_REVOKED,
        "ok",
        src,
        subject,
        "{TOKEN_REVOKED}"
    );
}

pub(crate) fn token_expired(src: Src<'_, '_>, subject: &str) {
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
    let src = Src::Unknown;
    emit!(
        INFO / Info,
        THROTTLED,
        "refused",
        Fixed(src, client),
        throttle,
        status,
        "{THROTTLED}"
    );
}

pub(crate) fn lockout() {
    emit!(
        WARN / Warn,
        LOCKOUT,
        "refused",
        Src::Unknown,
        "{LOCKOUT}: the login throttle per user name refused"
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
        Src::Unknown,
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
        Src::Unknown,
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
struct Fixed<'a>(Src<'a, 'a>, Option<&'a str>);

impl Fixed<'_> {
    fn origin(&self) -> Origin {
        let mut o = self.0.origin();
        if let Some(c) = self.1 {
            o.client = Some(c.to_owned());
        }
        o
    }
}
