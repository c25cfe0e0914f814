//! Running a case: the timed runner (criterion, the callgrind counter, the native rounds) and
//! the probe (one request, the whole response kept, for `per_request --check`).

use std::time::{Duration, Instant};

use actix_web::http::StatusCode;

use crate::reply::Reply;
use crate::{Case, Kind};

/// A case ready to run: `run(n)` sends `n` requests and returns the time they took.
pub type Runner = Box<dyn FnMut(u64) -> Duration>;

/// The credential header of a request: `(name, value)`.
type Header = Option<(&'static str, String)>;

impl Case {
    /// Builds the service once; the runner then sends `n` requests per call. The first
    /// request's status is checked, so a broken case fails loudly (`per_request --check`
    /// compares the whole response).
    pub fn runner(&self) -> Runner {
        let header = self.creds.header();
        let expected = self.creds.expected();
        let id = self.id;
        match self.kind {
            Kind::Actix(configure) => actix_runner(id, configure, header, expected),
            Kind::Poem(route) => poem_runner(id, route, header, expected),
        }
    }

    /// Builds the service and sends one request; returns the whole response.
    pub fn probe(&self) -> Reply {
        let header = self.creds.header();
        match self.kind {
            Kind::Actix(configure) => {
                let sys = actix_rt::System::new();
                sys.block_on(async {
                    let app =
                        actix_web::test::init_service(actix_web::App::new().configure(configure))
                            .await;
                    actix_reply(&app, actix_request(&header).to_request()).await
                })
            }
            Kind::Poem(route) => {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                let client = poem::test::TestClient::new(route());
                rt.block_on(async {
                    let resp = poem_send(&client, &header).await.0;
                    let status = resp.status().as_u16();
                    let headers = header_list(
                        resp.headers().iter().map(|(n, v)| (n.as_str(), v.as_bytes())),
                    );
                    let body = resp.into_body().into_vec().await.expect("poem body");
                    Reply {
                        status,
                        headers,
                        body,
                    }
                })
            }
        }
    }
}

/// A response's headers as the check compares them: names, and values read as UTF-8 (actix and
/// poem have header types of their own).
fn header_list<'a>(headers: impl Iterator<Item = (&'a str, &'a [u8])>) -> Vec<(String, String)> {
    headers
        .map(|(n, v)| (n.to_owned(), String::from_utf8_lossy(v).into_owned()))
        .collect()
}

/// The client address every actix request comes from (a throttle counts by it).
fn peer() -> std::net::SocketAddr {
    std::net::SocketAddr::from(([192, 0, 2, 1], 40000))
}

fn actix_request(header: &Header) -> actix_web::test::TestRequest {
    let mut r = actix_web::test::TestRequest::get()
        .uri("/x")
        .peer_addr(peer());
    if let Some((name, value)) = header {
        r = r.insert_header((*name, value.as_str()));
    }
    r
}

async fn actix_reply<S, R, B>(app: &S, req: R) -> Reply
where
    S: actix_web::dev::Service<
            R,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let resp = actix_web::test::call_service(app, req).await;
    let status = resp.status().as_u16();
    let headers = header_list(resp.headers().iter().map(|(n, v)| (n.as_str(), v.as_bytes())));
    let body = actix_web::test::read_body(resp).await.to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

fn actix_runner(
    id: &'static str,
    configure: fn(&mut actix_web::web::ServiceConfig),
    header: Header,
    expected: StatusCode,
) -> Runner {
    use actix_web::body::MessageBody as _;
    use actix_web::http::header::{HeaderName, HeaderValue};
    use actix_web::test::{TestRequest, call_service, init_service};

    let sys = actix_rt::System::new();
    let app = sys.block_on(init_service(actix_web::App::new().configure(configure)));
    let first = sys.block_on(actix_reply(&app, actix_request(&header).to_request()));
    assert_eq!(first.status, expected.as_u16(), "{id}: {first}");
    // built once: the timed loop pays for the request, not for parsing the header
    let value = header.map(|(n, v)| {
        (
            HeaderName::from_static(n),
            HeaderValue::from_str(&v).expect("header value"),
        )
    });
    let request = move || {
        let mut r = TestRequest::get().uri("/x").peer_addr(peer());
        if let Some(h) = &value {
            r = r.insert_header(h.clone());
        }
        r.to_request()
    };
    // the response of a repeat request is dropped unread, as in the timed loop
    sys.block_on(async {
        let _ = call_service(&app, request()).await.into_body().size();
    });
    Box::new(move |n| {
        sys.block_on(async {
            let start = Instant::now();
            for _ in 0..n {
                let resp = call_service(&app, request()).await;
                std::hint::black_box(resp.status());
            }
            start.elapsed()
        })
    })
}

async fn poem_send(
    client: &poem::test::TestClient<poem::Route>,
    header: &Header,
) -> poem::test::TestResponse {
    let mut r = client.get("/x");
    if let Some((name, value)) = header {
        r = r.header(*name, value.as_str());
    }
    r.send().await
}

fn poem_runner(
    id: &'static str,
    route: fn() -> poem::Route,
    header: Header,
    expected: StatusCode,
) -> Runner {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = poem::test::TestClient::new(route());
    rt.block_on(async {
        let resp = poem_send(&client, &header).await;
        assert_eq!(resp.0.status().as_u16(), expected.as_u16(), "{id}");
    });
    Box::new(move |n| {
        rt.block_on(async {
            let start = Instant::now();
            for _ in 0..n {
                let resp = poem_send(&client, &header).await;
                std::hint::black_box(resp.0.status());
            }
            start.elapsed()
        })
    })
}
