//! A capturing `tracing` subscriber and a `metrics` debugging recorder, installed once per
//! test binary (before any server: the library registers its counters on first use), and
//! what the tests read off them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard, OnceLock};

use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

use crate::jwt_support::{Me, SECRET};
use dmr_runtime::backends::jwt::blocklist::{Blocklist, MemoryBlocklist};
use dmr_runtime::backends::jwt::{JwtAuth, JwtIssuer, JwtLogout, JwtObtain, JwtRefresh, JwtVerify};
use dmr_runtime::observe::names;
use dmr_runtime::prelude::*;
use dmr_tests::{Seen, TestServer, send, serve_with};
use serde_json::json;

/// One span or event as a subscriber saw it: every field as text.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    pub span: bool,
    pub target: String,
    pub name: String,
    pub level: String,
    pub fields: BTreeMap<String, String>,
}

impl Captured {
    fn of(span: bool, meta: &tracing::Metadata<'_>) -> Self {
        Self {
            span,
            target: meta.target().to_owned(),
            name: meta.name().to_owned(),
            level: meta.level().to_string(),
            fields: BTreeMap::new(),
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

#[derive(Default)]
struct Store {
    all: Vec<Captured>,
    spans: BTreeMap<u64, usize>,
}

static STORE: Mutex<Store> = Mutex::new(Store {
    all: Vec::new(),
    spans: BTreeMap::new(),
});

fn store() -> MutexGuard<'static, Store> {
    STORE.lock().unwrap_or_else(|e| e.into_inner())
}

struct Capture;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut c = Captured::of(true, attrs.metadata());
        attrs.record(&mut Fields(&mut c.fields));
        let mut s = store();
        let at = s.all.len();
        s.all.push(c);
        s.spans.insert(id.into_u64(), at);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut s = store();
        if let Some(&at) = s.spans.get(&id.into_u64()) {
            values.record(&mut Fields(&mut s.all[at].fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut c = Captured::of(false, event.metadata());
        event.record(&mut Fields(&mut c.fields));
        store().all.push(c);
    }
}

/// Installs both (once) and serializes the tests of this binary (the counters are global):
/// hold the guard for the whole test.
pub fn observed() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    snapshotter();
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn snapshotter() -> &'static Snapshotter {
    static SNAP: OnceLock<Snapshotter> = OnceLock::new();
    SNAP.get_or_init(|| {
        let subscriber = tracing_subscriber::registry().with(Capture);
        tracing::subscriber::set_global_default(subscriber).expect("no other subscriber");
        let recorder = DebuggingRecorder::new();
        let snap = recorder.snapshotter();
        recorder.install().expect("no other recorder");
        snap
    })
}

/// The audit events named `event` carrying this request id.
pub fn audit(event: &str, request_id: &str) -> Vec<Captured> {
    store()
        .all
        .iter()
        .filter(|c| !c.span && c.target == "dmr::audit")
        .filter(|c| c.get("event") == Some(event) && c.get("request_id") == Some(request_id))
        .cloned()
        .collect()
}

/// The audit events named `event` (any request) whose `subject` is `subject`.
pub fn audit_of(event: &str, subject: &str) -> Vec<Captured> {
    store()
        .all
        .iter()
        .filter(|c| !c.span && c.target == "dmr::audit")
        .filter(|c| c.get("event") == Some(event) && c.get("subject") == Some(subject))
        .cloned()
        .collect()
}

/// The `dmr.request` span of this request id.
pub fn request_span(request_id: &str) -> Captured {
    let s = store();
    let found: Vec<_> = s
        .all
        .iter()
        .filter(|c| c.span && c.name == "dmr.request" && c.get("request_id") == Some(request_id))
        .cloned()
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one dmr.request span for {request_id}: {found:?}"
    );
    found.into_iter().next().unwrap()
}

/// A metric's accumulated value: the debugging recorder's snapshots hand counters and
/// histograms out as deltas since the last snapshot, so they are summed here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Counter(u64),
    Gauge(f64),
    Histogram(usize),
}

type MetricKey = (String, Vec<(String, String)>);

/// Every metric so far, accumulated over the snapshots.
fn metrics_now() -> BTreeMap<MetricKey, Value> {
    static ACC: Mutex<BTreeMap<MetricKey, Value>> = Mutex::new(BTreeMap::new());
    let mut acc = ACC.lock().unwrap_or_else(|e| e.into_inner());
    for (k, _, _, v) in snapshotter().snapshot().into_vec() {
        let key = k.key();
        let mut labels: Vec<_> = key
            .labels()
            .map(|l| (l.key().to_owned(), l.value().to_owned()))
            .collect();
        labels.sort();
        let slot = acc.entry((key.name().to_owned(), labels));
        match v {
            DebugValue::Counter(n) => {
                let e = slot.or_insert(Value::Counter(0));
                if let Value::Counter(c) = e {
                    *c += n;
                }
            }
            // the library only increments and decrements its gauges: deltas too
            DebugValue::Gauge(g) => {
                let e = slot.or_insert(Value::Gauge(0.0));
                if let Value::Gauge(x) = e {
                    *x += g.into_inner();
                }
            }
            DebugValue::Histogram(h) => {
                let e = slot.or_insert(Value::Histogram(0));
                if let Value::Histogram(c) = e {
                    *c += h.len();
                }
            }
        }
    }
    acc.clone()
}

fn metric(name: &str, labels: &[(&str, &str)]) -> Option<Value> {
    let mut want: Vec<_> = labels
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    want.sort();
    metrics_now().get(&(name.to_owned(), want)).copied()
}

/// The value of a counter (0 if never counted).
pub fn counter(name: &str, labels: &[(&str, &str)]) -> u64 {
    metric(name, labels).map_or(0, |v| match v {
        Value::Counter(n) => n,
        other => panic!("{name} is not a counter: {other:?}"),
    })
}

/// The value of a gauge (the sum of its increments and decrements).
pub fn gauge(name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    metric(name, labels).map(|v| match v {
        Value::Gauge(g) => g,
        other => panic!("{name} is not a gauge: {other:?}"),
    })
}

/// How many values a histogram received in total.
pub fn histogram_count(name: &str, labels: &[(&str, &str)]) -> usize {
    metric(name, labels).map_or(0, |v| match v {
        Value::Histogram(n) => n,
        other => panic!("{name} is not a histogram: {other:?}"),
    })
}

/// Everything captured so far as text: every span and event (target, name, fields and
/// messages) and every metric's name and labels.
pub fn everything() -> String {
    let mut out = String::new();
    for c in &store().all {
        let _ = writeln!(out, "{} {} {:?}", c.target, c.name, c.fields);
    }
    for (name, labels) in metrics_now().keys() {
        let _ = write!(out, "{name}");
        for (k, v) in labels {
            let _ = write!(out, " {k}={v}");
        }
        out.push('\n');
    }
    out
}

/// Asserts that none of `secrets` appears in anything captured nor in `debug` (the `Debug`
/// output of the configuration types).
pub fn assert_unwritten(secrets: &[&str], debug: &str) {
    let text = everything();
    assert!(text.contains("dmr.request"), "something was captured");
    for secret in secrets {
        assert!(secret.len() >= 4, "a secret worth looking for: {secret:?}");
        assert!(!text.contains(secret), "secret {secret:?} written:\n{text}");
        assert!(
            !debug.contains(secret),
            "secret {secret:?} in Debug output: {debug}"
        );
    }
}

/// Every audit event named `event`.
pub fn all_events(event: &str) -> Vec<Captured> {
    store()
        .all
        .iter()
        .filter(|c| !c.span && c.target == "dmr::audit" && c.get("event") == Some(event))
        .cloned()
        .collect()
}

// ---- servers and requests shared by the observe tests ----

pub const PASS: &str = "correct horse battery";
pub const WRONG: &str = "wrong horse battery";

pub fn users() -> dmr_runtime::backends::users::MemoryUsers {
    let users =
        dmr_runtime::backends::users::MemoryUsers::with_params(crate::session_support::cheap());
    users.add("41", "ada", PASS).unwrap();
    users.add("42", "locked", PASS).unwrap();
    users
}

pub fn jwt_server(issuer: JwtIssuer, blocklist: Blocklist) -> TestServer {
    let auth = JwtAuth::hs256(SECRET).unwrap().blocklist(blocklist);
    let api = Api::new()
        .scope("/jwt", |s| {
            s.controller::<JwtObtain>()
                .controller::<JwtRefresh>()
                .controller::<JwtVerify>()
                .controller::<JwtLogout>()
        })
        .scope("", |s| s.auth(auth).controller::<Me>())
        .build()
        .expect("api builds");
    serve_with(api, move || {
        actix_web::App::new().app_data(issuer.app_data())
    })
}

pub async fn post(
    srv: &TestServer,
    path: &str,
    id: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Seen {
    let mut h: Vec<(&str, &[u8])> = vec![
        ("content-type", b"application/json"),
        ("x-request-id", id.as_bytes()),
    ];
    h.extend(headers.iter().map(|(k, v)| (*k, v.as_bytes())));
    send(srv, "POST", path, &h, Some(body.as_bytes())).await
}

pub async fn get_as(srv: &TestServer, path: &str, id: &str, headers: &[(&str, &str)]) -> Seen {
    let mut h: Vec<(&str, &[u8])> = vec![("x-request-id", id.as_bytes())];
    h.extend(headers.iter().map(|(k, v)| (*k, v.as_bytes())));
    send(srv, "GET", path, &h, None).await
}

pub fn memory() -> Blocklist {
    Blocklist::new(MemoryBlocklist::new(1000))
}

pub fn credentials(user: &str, pass: &str) -> String {
    json!({"username": user, "password": pass}).to_string()
}

pub fn ops(event: &str, result: &str) -> u64 {
    counter(
        names::CREDENTIAL_TOTAL,
        &[("operation", event), ("result", result)],
    )
}

/// The one audit event `event` of request `id`, with its client address checked.
pub fn one(event: &str, id: &str) -> Captured {
    let found = audit(event, id);
    assert_eq!(found.len(), 1, "one {event} for {id}: {found:?}");
    let e = found.into_iter().next().unwrap();
    assert_eq!(e.get("client.address"), Some("127.0.0.1"), "{e:?}");
    e
}
