//! The `dmr.request` span and the auth metrics of an endpoint ([`AUTH_TOTAL`]): counter
//! handles made once per endpoint, so a request with no recorder installed pays a load and a
//! branch per count, and nothing at all is formatted without a subscriber.

use std::sync::OnceLock;

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use metrics::Counter;
use tracing::field::Empty;
use tracing::level_filters::LevelFilter;
use tracing::{Level, Span};

use crate::auth::{AuthDoc, AuthError};
use crate::observe::RequestId;
use crate::observe::names::{AUTH_DURATION, AUTH_TOTAL};

/// The span of one request through an endpoint; without a subscriber `Span::none()`, made
/// without a call (`info_span!` alone would format its fields for `log` when no subscriber
/// is set: tracing's `log` feature, which actix-session turns on).
#[inline]
pub(crate) fn span(req: &HttpRequest) -> Span {
    if !listening() {
        return Span::none();
    }
    let span = tracing::info_span!(
        target: "dmr::request",
        "dmr.request",
        http.route = Empty,
        dmr.auth.outcome = Empty,
        dmr.auth.scheme = Empty,
        dmr.auth.position = Empty,
        dmr.auth.reason = Empty,
        dmr.throttle = Empty,
        request_id = Empty,
        client.address = Empty,
    );
    if !span.is_disabled() {
        if let Some(route) = req.match_pattern() {
            span.record("http.route", route);
        }
        span.record("request_id", RequestId::of(req).as_str());
        if let Some(peer) = req.peer_addr() {
            span.record("client.address", peer.ip().to_string());
        }
    }
    span
}

/// Whether a subscriber may want the span's fields (one load).
#[inline]
fn listening() -> bool {
    LevelFilter::current() >= Level::INFO
}

/// The reason code of a refusal (never its message).
fn reason(e: &AuthError) -> &'static str {
    match e.status() {
        StatusCode::UNAUTHORIZED => "not_authenticated",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        StatusCode::TOO_MANY_REQUESTS => "throttled",
        _ => "rejected",
    }
}

/// The auth counters of one endpoint, made on its first request.
#[derive(Default)]
pub(crate) struct Meter(OnceLock<Counters>);

struct Counters {
    /// `ok` by the position of the auth that let the request in.
    ok: Box<[Counter]>,
    refused: Counter,
}

impl Meter {
    fn counters(&self, docs: &[AuthDoc]) -> &Counters {
        self.0.get_or_init(|| Counters {
            ok: docs
                .iter()
                .map(|d| {
                    metrics::counter!(AUTH_TOTAL, "scheme" => d.scheme_name.to_string(), "result" => "ok")
                })
                .collect(),
            refused: metrics::counter!(AUTH_TOTAL, "result" => "refused"),
        })
    }

    /// The auth at `position` let the request in.
    #[inline]
    pub(crate) fn ok(&self, docs: &[AuthDoc], position: usize) {
        if let Some(c) = self.counters(docs).ok.get(position) {
            c.increment(1);
        }
        if listening() {
            let span = Span::current();
            span.record("dmr.auth.outcome", "ok");
            span.record("dmr.auth.position", position);
            if let Some(d) = docs.get(position) {
                span.record("dmr.auth.scheme", &*d.scheme_name);
            }
        }
    }

    /// The chain refused the request.
    #[inline]
    pub(crate) fn refused(&self, docs: &[AuthDoc], e: &AuthError) {
        self.counters(docs).refused.increment(1);
        if listening() {
            let span = Span::current();
            span.record("dmr.auth.outcome", "refused");
            span.record("dmr.auth.reason", reason(e));
        }
    }
}

/// Records the throttles' decision on the current span.
#[inline]
pub(crate) fn throttle_decision(refused: bool) {
    if listening() {
        Span::current().record("dmr.throttle", if refused { "refused" } else { "allowed" });
    }
}

/// Records how long the auth stages of a request that awaited took (`ok`: admitted).
pub(crate) fn auth_duration(start: std::time::Instant, ok: bool) {
    let took = start.elapsed();
    if ok {
        metrics::histogram!(AUTH_DURATION, "result" => "ok").record(took);
    } else {
        metrics::histogram!(AUTH_DURATION, "result" => "refused").record(took);
    }
}
