//! Where an audit event's request is, as the throttles see it: the client address their
//! default key reads and the request id.

use actix_web::HttpRequest;

use super::Key;
use crate::auth::AuthRequest;
use crate::observe::{Origin, RequestId, Source};

/// The request of an audit event.
pub(crate) enum Src<'a, 'r> {
    /// A live request; whether the throttles trust forwarding headers.
    Live(&'a HttpRequest, bool),
    /// A request seen by an auth check or a view; likewise.
    View(&'a AuthRequest<'r>, bool),
}

impl Source for Src<'_, '_> {
    fn origin(&self) -> Origin {
        match self {
            Src::Live(req, trust) => live(req, *trust),
            Src::View(req, trust) => match req.http() {
                Some(live_req) => live(live_req, *trust),
                None => {
                    let conn = req.connection_info();
                    let client = if *trust {
                        conn.realip_remote_addr()
                    } else {
                        conn.peer_addr()
                    };
                    Origin {
                        client: client.map(str::to_owned),
                        request_id: Some(
                            RequestId::from_header(req.headers().get("x-request-id"))
                                .unwrap_or_else(RequestId::next),
                        ),
                    }
                }
            },
        }
    }
}

fn live(req: &HttpRequest, trust_forwarded: bool) -> Origin {
    Origin {
        client: Key::client_addr()
            .trust_forwarded_headers(trust_forwarded)
            .value(req),
        request_id: Some(RequestId::of(req)),
    }
}
