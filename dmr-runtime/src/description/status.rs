//! `#[endpoint(status = 201)]`: the declared status, applied to the response and to its
//! documentation. The macro checked the code (200 to 599).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use super::ResponseDoc;

/// The declared status; a code the macro let through is always valid.
fn declared(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
}

/// The handler's `200 OK` answers with the declared status; any status the handler chose
/// itself (`(body, StatusCode::ACCEPTED)`, an error, a 404 of `Option`) is kept.
#[inline]
pub fn declared_status(mut resp: HttpResponse, code: u16) -> HttpResponse {
    if resp.status() == StatusCode::OK {
        *resp.status_mut() = declared(code);
    }
    resp
}

/// The operation documents the declared status for its success response.
pub fn declared_response_doc(doc: ResponseDoc, code: u16) -> ResponseDoc {
    doc.declared_status(declared(code))
}
