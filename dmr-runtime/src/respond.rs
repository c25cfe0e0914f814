//! The responder of one endpoint's errors: auth failures (401 with its challenges, 403),
//! extractor failures (400, 413, 415, ..), 406 and 500, each rendered through the endpoint's
//! error model in the request's language.

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::auth::{AuthError, Challenge};
use crate::error::{DefaultErrorModel, ErrorItem, ErrorModel, RenderFn, SECURITY, VALUE_ERROR};
use crate::extract_failure::Failure;
use crate::i18n::{Locale, Messages};

/// `Content-Type` of every error response.
static APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// `Vary` of every error response: its `msg` follows `Accept-Language`.
static ACCEPT_LANGUAGE: HeaderValue = HeaderValue::from_static("Accept-Language");

/// The reference's 401 body.
const REFERENCE_401: &[u8] = br#"{"detail":[{"msg":"Not authenticated","type":"security"}]}"#;

/// How one endpoint answers errors: its error model, its language catalogue and, for 401s,
/// its challenges.
///
/// Every response it renders carries `Content-Language` (the language of its `msg`, see
/// [`crate::i18n`]) and `Vary: Accept-Language`.
#[derive(Clone, Debug)]
pub struct ErrorResponder {
    render: RenderFn,
    /// The chain's challenges, each once, in order of first appearance.
    challenges: Box<[Box<str>]>,
    /// `challenges` joined: the header every 401 sends unless an auth refined its challenge.
    challenge: Option<HeaderValue>,
    /// The reference 401 body when the error model renders exactly that (a deterministic
    /// model, in practice [`DefaultErrorModel`]): the all-skipped answer then costs no
    /// serialization and no allocation. `None`: render per response.
    not_authenticated: Option<Bytes>,
    /// The translations messages are looked up in.
    messages: Messages,
    /// The header parameters the endpoint documents, for the `loc` of a failed typed header.
    headers: Arc<[Box<str>]>,
}

impl ErrorResponder {
    pub(crate) fn new(render: RenderFn, challenges: &[String]) -> Self {
        // A challenge that is not a valid header value is left out on its own, so it cannot
        // take the others with it. An auth reachable through two layers (the same `HttpBasic`
        // in the scope and the settings) challenges once: the first occurrence keeps its place.
        let mut valid: Vec<Box<str>> = Vec::with_capacity(challenges.len());
        for c in challenges {
            if HeaderValue::from_str(c).is_ok() && !valid.iter().any(|v| **v == **c) {
                valid.push(c.as_str().into());
            }
        }
        let challenge = (!valid.is_empty())
            .then(|| HeaderValue::from_str(&valid.join(", ")).ok())
            .flatten();
        let default_401 = ErrorItem::new(AuthError::DEFAULT_MESSAGE).with_kind(SECURITY);
        let not_authenticated =
            (render(&default_401) == REFERENCE_401).then(|| Bytes::from_static(REFERENCE_401));
        Self {
            render,
            challenges: valid.into_boxed_slice(),
            challenge,
            not_authenticated,
            messages: Messages::reference(),
            headers: Arc::from([]),
        }
    }

    /// The `WWW-Authenticate` value: the chain's challenges, `refined` in place of the one it
    /// refines (a `refined` the chain does not declare changes nothing), and, when `prompt`
    /// is off, without the `Basic` ones; `None` when no challenge is left.
    fn challenge_for(&self, refined: Option<&Challenge>, prompt: bool) -> Option<HeaderValue> {
        let refined = refined.filter(|r| self.challenges.iter().any(|c| **c == *r.base()));
        if refined.is_none() && prompt {
            return self.challenge.clone();
        }
        let rendered = refined.map(|r| (r.base(), r.render()));
        let value = self
            .challenges
            .iter()
            .filter(|c| prompt || !is_basic(c))
            .map(|c| match &rendered {
                Some((base, text)) if **c == **base => text.as_str(),
                _ => c,
            })
            .collect::<Vec<_>>()
            .join(", ");
        if value.is_empty() {
            return None;
        }
        HeaderValue::from_str(&value)
            .ok()
            .or_else(|| prompt.then(|| self.challenge.clone()).flatten())
    }

    /// Translates with `messages` instead of the built-in catalogue.
    pub(crate) fn with_messages(mut self, messages: Messages) -> Self {
        self.messages = messages;
        self
    }

    /// Names the header parameters the endpoint documents (for the `loc` of a typed header
    /// that is missing or malformed).
    pub(crate) fn with_headers(mut self, headers: Vec<Box<str>>) -> Self {
        self.headers = headers.into();
        self
    }

    /// The language the response to `req` is written in (from its `Accept-Language`).
    pub fn locale(&self, req: &HttpRequest) -> Locale<'_> {
        self.messages.locale(req.headers())
    }

    /// A JSON error response rendered through the error model, in English.
    pub fn item(&self, status: StatusCode, msg: &str, kind: Option<&str>) -> HttpResponse {
        let item = ErrorItem {
            kind,
            ..ErrorItem::new(msg)
        };
        self.respond(status, &item, self.messages.english())
    }

    /// A JSON error response rendered through the error model, its `msg` translated into
    /// `locale`.
    pub fn respond(
        &self,
        status: StatusCode,
        item: &ErrorItem<'_>,
        locale: Locale<'_>,
    ) -> HttpResponse {
        let msg = locale.translate(item.msg);
        let body = (self.render)(&ErrorItem { msg: &msg, ..*item });
        Self::json(status, body, locale)
    }

    fn json(
        status: StatusCode,
        body: impl MessageBody + 'static,
        locale: Locale<'_>,
    ) -> HttpResponse {
        let mut resp = HttpResponse::with_body(status, body).map_into_boxed_body();
        let headers = resp.headers_mut();
        headers.insert(header::CONTENT_TYPE, APPLICATION_JSON.clone());
        headers.insert(header::CONTENT_LANGUAGE, locale.content_language());
        headers.insert(header::VARY, ACCEPT_LANGUAGE.clone());
        resp
    }

    /// The response for an auth failure (401 carries `WWW-Authenticate` when the chain has
    /// header-based schemes, each challenge once; an auth that refused a credential may have
    /// refined its own, see [`Challenge`]), written in `locale`.
    pub fn auth(&self, error: &AuthError, locale: Locale<'_>) -> HttpResponse {
        self.auth_with(error, locale, true)
    }

    /// [`auth`](Self::auth), and with `prompt` off no `Basic` challenge: the answer to a
    /// script's request ([`browser_may_prompt`]), which a browser must not turn into its
    /// password dialog.
    pub(crate) fn auth_with(
        &self,
        error: &AuthError,
        locale: Locale<'_>,
        prompt: bool,
    ) -> HttpResponse {
        match error {
            AuthError::NotAuthenticated { message, challenge } => {
                let mut resp = match (message, &self.not_authenticated) {
                    (None, Some(body)) if locale.is_untranslated() => {
                        Self::json(StatusCode::UNAUTHORIZED, body.clone(), locale)
                    }
                    (msg, _) => {
                        let msg = msg.as_deref().unwrap_or(AuthError::DEFAULT_MESSAGE);
                        let item = ErrorItem::new(msg).with_kind(SECURITY);
                        self.respond(StatusCode::UNAUTHORIZED, &item, locale)
                    }
                };
                let value = self.challenge_for(challenge.as_deref(), prompt);
                if let Some(value) = value {
                    resp.headers_mut().insert(header::WWW_AUTHENTICATE, value);
                }
                resp
            }
            AuthError::Rejected { status, message } => {
                let mut resp = self.respond(*status, &ErrorItem::new(message), locale);
                // a 503 of an auth (a store or identity provider that did not answer) is
                // temporary: the client may come back
                if *status == StatusCode::SERVICE_UNAVAILABLE {
                    resp.headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                }
                resp
            }
            AuthError::Api { status, body } => {
                let mut resp = HttpResponse::build(*status).json(body);
                // a 503 is temporary whatever its body: say when to come back
                if *status == StatusCode::SERVICE_UNAVAILABLE {
                    resp.headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                }
                resp
            }
        }
    }

    /// The handler's response, except that an error of a credential view this crate ships
    /// that the catalogue translates (`Not authenticated`, `CSRF Failed: <reason>`) is
    /// rendered again in the request's language, through this endpoint's error model, keeping
    /// the response's status and other headers. Any other response is returned as it is.
    #[inline]
    pub fn finish(&self, resp: HttpResponse, req: &HttpRequest) -> HttpResponse {
        if resp.error().is_none() {
            resp
        } else {
            self.translate(resp, req)
        }
    }

    /// [`finish`](Self::finish) for an error response.
    fn translate(&self, resp: HttpResponse, req: &HttpRequest) -> HttpResponse {
        let Some(marked) = resp.extensions().get::<Translatable>().cloned() else {
            return resp;
        };
        let item = ErrorItem {
            kind: marked.kind,
            ..ErrorItem::new(&marked.msg)
        };
        let mut out = self.respond(resp.status(), &item, self.locale(req));
        let rendered: Vec<header::HeaderName> = out.headers().keys().cloned().collect();
        for (name, value) in resp.headers() {
            if !rendered.contains(name) && name != header::CONTENT_LENGTH {
                out.headers_mut().append(name.clone(), value.clone());
            }
        }
        out
    }

    /// The response for a failed extractor (bad path, query, header or body): its status, a
    /// message and the location of the fault (`loc`), type `value_error`.
    pub fn extract(&self, error: &actix_web::Error, req: &HttpRequest) -> HttpResponse {
        let locale = self.locale(req);
        // `Authed<T>` finding no `T` is an auth failure, answered like one (type `security`,
        // with the chain's challenges), not a parse error.
        if error.as_error::<NoIdentity>().is_some() {
            return self.auth(&AuthError::not_authenticated(), locale);
        }
        let failure = Failure::of(error, req, &self.headers);
        let loc: Vec<&str> = failure.loc.iter().map(AsRef::as_ref).collect();
        let item = ErrorItem::new(&failure.msg)
            .with_kind(VALUE_ERROR)
            .with_loc(&loc);
        let mut resp = self.respond(failure.status, &item, locale);
        if let Some(media) = failure.accept
            && req.method() == actix_web::http::Method::POST
        {
            resp.headers_mut().insert(
                header::HeaderName::from_static("accept-post"),
                HeaderValue::from_static(media),
            );
        }
        if failure.close {
            resp.head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
        }
        resp
    }

    /// The 406 for `req`, whose `Accept` header excludes every media type the endpoint
    /// answers with; `msg` says which ([`Produces::cannot_serialize`]), in the request's
    /// language.
    ///
    /// [`Produces::cannot_serialize`]: crate::negotiate::Produces::cannot_serialize
    pub fn not_acceptable(&self, msg: &str, req: &HttpRequest) -> HttpResponse {
        let item = ErrorItem::new(msg).with_kind(VALUE_ERROR);
        self.respond(StatusCode::NOT_ACCEPTABLE, &item, self.locale(req))
    }

    /// A 500 for a failure on our side (the blocking pool went away).
    pub fn internal(&self) -> HttpResponse {
        self.item(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal server error",
            None,
        )
    }
}

/// The message of a view refusal that the endpoint renders again in the request's language
/// (see [`ErrorResponder::finish`]), kept on the response by [`view_refusal`].
#[derive(Clone)]
struct Translatable {
    msg: Box<str>,
    kind: Option<&'static str>,
}

/// A refusal of a credential view this crate ships, as its `ResponseError` answers it (the
/// default error model, no request at hand). With `translatable`, the message is one the
/// catalogue translates (`Not authenticated`, `CSRF Failed: <reason>`): the endpoint renders it
/// again in the request's language and through its own error model.
#[cfg_attr(not(feature = "session"), allow(dead_code))]
pub(crate) fn view_refusal(
    status: StatusCode,
    msg: &str,
    kind: Option<&'static str>,
    translatable: bool,
) -> HttpResponse {
    let body = DefaultErrorModel::render_bytes(&ErrorItem {
        kind,
        ..ErrorItem::new(msg)
    });
    let mut resp = HttpResponse::build(status)
        .content_type("application/json")
        .body(body);
    if translatable {
        resp.extensions_mut().insert(Translatable {
            msg: msg.into(),
            kind,
        });
    }
    resp
}

/// A 503 that asks the client to come back: `Retry-After: 1` and the reference's error body
/// with `msg` (a store that did not answer, a full password gate).
#[cfg_attr(not(feature = "session"), allow(dead_code))]
pub(crate) fn retry_later(msg: &str) -> HttpResponse {
    let body = DefaultErrorModel::render_bytes(&ErrorItem::new(msg));
    HttpResponse::ServiceUnavailable()
        .insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")))
        .content_type("application/json")
        .body(body)
}

/// The error of [`Authed`](crate::Authed) when the request carries no identity of the
/// requested type.
#[derive(Debug)]
pub struct NoIdentity;

impl std::fmt::Display for NoIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(AuthError::DEFAULT_MESSAGE)
    }
}

impl ResponseError for NoIdentity {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::UNAUTHORIZED
    }
    fn error_response(&self) -> HttpResponse {
        ErrorResponder::new(DefaultErrorModel::render_bytes, &[])
            .auth(&AuthError::not_authenticated(), Locale::untranslated())
    }
}

/// Whether a browser may answer a 401 to `req` with its own password dialog: not when the
/// request says it comes from a script (`X-Requested-With: XMLHttpRequest`, what the docs
/// page and most browser libraries send). Such a 401 leaves out `Basic` challenges, the ones
/// browsers prompt for; every other client gets them as before.
pub(crate) fn browser_may_prompt(req: &HttpRequest) -> bool {
    !req.headers()
        .get("x-requested-with")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"XMLHttpRequest"))
}

/// Whether `challenge` is of the `Basic` scheme (its first token, case-insensitively).
fn is_basic(challenge: &str) -> bool {
    let scheme = challenge.split(' ').next().unwrap_or("");
    scheme.eq_ignore_ascii_case("basic")
}
