//! Building the document from the routes of an API: one operation per route, its auth part
//! from the route's chain, the rest from the [`OperationDoc`](super::OperationDoc) the macro
//! wrote.

use std::collections::{BTreeMap, HashMap};

use utoipa::PartialSchema;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterIn, Paths,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{Content, Deprecated, Ref, RefOr, Required};

use super::config::OpenApiConfig;
use super::document::Document;
use super::schema::Schemas;
use super::security::{self, Schemes};
use super::template::{self, Template};
use crate::auth::AuthDoc;
use crate::auth::AuthResponses;
use crate::build_error::ApiError;
use crate::description::OperationDoc;
use crate::description::response::{Body, ResponseEntry};
use crate::description::{Named, ParamDoc, path_param};
use crate::throttle::ThrottleDoc;

/// `400`, added when the operation has a body or non-path parameters to parse.
pub(crate) const BAD_REQUEST: &str = "Raised when request components cannot be parsed";
/// `406`, added to every operation.
pub(crate) const NOT_ACCEPTABLE: &str = "Raised when provided `Accept` header cannot be satisfied";
/// `401`, added to every operation with auth.
pub(crate) const UNAUTHORIZED: &str = "Raised when auth was not successful";
/// `403`, added to the unsafe operations (not `GET`, `HEAD`, `OPTIONS`, `TRACE`) whose chain
/// checks CSRF: safe methods are never CSRF-checked.
pub(crate) const CSRF_FAILED: &str = "Raised when CSRF check failed: send the value of the CSRF \
    cookie (`csrftoken` by default) in the `X-CSRFToken` header";
/// The `default` response of a handler whose return type says nothing.
pub(crate) const UNDOCUMENTED: &str =
    "Undocumented response (the handler's return type does not describe it)";

/// What the document needs of one mounted endpoint: its description, its full path, and its
/// effective chain and throttles (the layers below it resolved).
pub(crate) struct Mounted<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) controller: &'static str,
    pub(crate) name: &'static str,
    pub(crate) doc: &'a OperationDoc,
    pub(crate) error_schema: fn() -> crate::error::ErrorSchema,
    pub(crate) chain: &'a [AuthDoc],
    pub(crate) throttles: Vec<ThrottleDoc>,
}

/// Builds the document of `routes`.
pub(crate) fn build<'a>(
    routes: impl IntoIterator<Item = Mounted<'a>>,
    config: &OpenApiConfig,
) -> Result<Document, ApiError> {
    let mut paths = Paths::new();
    let mut schemas = Schemas::default();
    let mut schemes = Schemes::default();
    let mut ids: HashMap<String, String> = HashMap::new();
    for route in routes {
        let route = &route;
        let Some(method) = http_method(route.method) else {
            continue;
        };
        let template = template::parse(route.path);
        let site = format!(
            "{} {} ({}::{})",
            route.method, template.path, route.controller, route.name
        );
        let id = match route.doc.operation_id {
            Some(id) => id.to_owned(),
            None => template::operation_id(route.method, &template.path),
        };
        if let Some(first) = ids.insert(id.clone(), site.clone()) {
            return Err(ApiError::OperationIdConflict {
                id,
                first,
                second: site,
            });
        }
        let error_schema = (route.error_schema)();
        for (name, json) in &error_schema.components {
            schemas.add_raw(name, json, &site)?;
        }
        let chain = route.chain;
        schemes.register(chain, &site)?;
        let mut components = Vec::new();
        let mut operation = operation(route, &template, &error_schema.name, &mut components);
        operation.operation_id = Some(id);
        operation.security = security::requirements(chain);
        add_auth_responses(
            &mut operation,
            security::responses(chain),
            is_safe(&method),
            &error_schema.name,
        );
        super::throttle::add_responses(
            &mut operation.responses.responses,
            &route.throttles,
            &error_schema.name,
        );
        schemas.add_all(components, &site)?;
        paths.add_path_operation(&template.path, vec![method], operation);
    }
    Ok(Document::new(
        config.clone(),
        paths,
        schemas.into_entries(),
        schemes.into_vec(),
    ))
}

fn http_method(method: &str) -> Option<HttpMethod> {
    Some(match method {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "PATCH" => HttpMethod::Patch,
        "DELETE" => HttpMethod::Delete,
        "HEAD" => HttpMethod::Head,
        "OPTIONS" => HttpMethod::Options,
        "TRACE" => HttpMethod::Trace,
        _ => return None,
    })
}

/// Everything but the id, `security` and the auth responses.
fn operation(
    route: &Mounted<'_>,
    template: &Template,
    error_model: &str,
    components: &mut Vec<Named>,
) -> Operation {
    let doc = route.doc;
    let (params, parsed) = parameters(doc.args.iter().flat_map(|a| &a.params), template);
    let body = doc.args.iter().find_map(|a| a.body.as_ref());
    for arg in &doc.args {
        components.extend(arg.components.iter().cloned());
    }
    components.extend(doc.response.components.iter().cloned());

    let mut responses: BTreeMap<String, RefOr<Response>> = BTreeMap::new();
    for entry in &doc.response.responses {
        responses
            .entry(entry.key())
            .or_insert_with(|| response(entry, error_model).into());
    }
    if responses.is_empty() {
        responses.insert("default".to_owned(), Response::new(UNDOCUMENTED).into());
    }
    if parsed || body.is_some() {
        responses
            .entry("400".to_owned())
            .or_insert_with(|| error_response(BAD_REQUEST, error_model));
    }
    responses
        .entry("406".to_owned())
        .or_insert_with(|| error_response(NOT_ACCEPTABLE, error_model));

    let mut operation = OperationBuilder::new()
        .tag(route.controller)
        .summary(doc.summary)
        .description(doc.description)
        .parameters((!params.is_empty()).then_some(params))
        .request_body(body.map(|b| {
            RequestBodyBuilder::new()
                .content(b.media.clone(), Content::new(Some(b.schema.clone())))
                .required(Some(Required::True))
                .build()
        }))
        .build();
    operation.responses.responses = responses;
    operation.deprecated = Some(if doc.deprecated {
        Deprecated::True
    } else {
        Deprecated::False
    });
    operation
}

/// The parameters, with positional path parameters named from the template and every template
/// name described (a string when nothing else says); `true` when some are not path parameters.
fn parameters<'a>(
    docs: impl Iterator<Item = &'a ParamDoc>,
    template: &Template,
) -> (Vec<Parameter>, bool) {
    let mut params: Vec<Parameter> = Vec::new();
    let mut positions = template.params.iter();
    for doc in docs {
        match doc {
            ParamDoc::Named(p) => params.push(p.clone()),
            ParamDoc::Positional(RefOr::T(Schema::Object(object)))
                if !object.properties.is_empty() =>
            {
                for (name, schema) in &object.properties {
                    params.push(path_param(name, schema.clone()));
                }
            }
            ParamDoc::Positional(schema) => {
                if let Some(name) = positions.next() {
                    params.push(path_param(name, schema.clone()));
                }
            }
        }
    }
    let is_path = |p: &Parameter| matches!(p.parameter_in, ParameterIn::Path);
    for name in &template.params {
        if !params.iter().any(|p| is_path(p) && &p.name == name) {
            params.push(path_param(name, String::schema()));
        }
    }
    let parsed = params.iter().any(|p| !is_path(p));
    (params, parsed)
}

fn response(entry: &ResponseEntry, error_model: &str) -> Response {
    let mut builder = ResponseBuilder::new().description(entry.description());
    builder = match &entry.body {
        Body::Empty => builder,
        Body::Schema { media, schema } => {
            builder.content(media.clone(), Content::new(Some(RefOr::clone(schema))))
        }
        Body::ErrorModel => builder.content("application/json", error_content(error_model)),
    };
    for (name, header) in &entry.headers {
        builder = builder.header(name.clone(), header.to_utoipa());
    }
    builder.build()
}

fn error_content(error_model: &str) -> Content {
    Content::new(Some(Ref::from_schema_name(error_model)))
}

fn error_response(description: &str, error_model: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", error_content(error_model))
        .build()
        .into()
}

/// Whether `method` is safe (RFC 9110 section 9.2.1): CSRF is never checked for it.
fn is_safe(method: &HttpMethod) -> bool {
    matches!(
        method,
        HttpMethod::Get | HttpMethod::Head | HttpMethod::Options | HttpMethod::Trace
    )
}

/// 401, and 403 for an unsafe method, where the user did not declare them.
fn add_auth_responses(
    operation: &mut Operation,
    auth: AuthResponses,
    safe: bool,
    error_model: &str,
) {
    let responses = &mut operation.responses.responses;
    if auth.contains(AuthResponses::UNAUTHORIZED) {
        responses
            .entry("401".to_owned())
            .or_insert_with(|| error_response(UNAUTHORIZED, error_model));
    }
    if !safe && auth.contains(AuthResponses::CSRF_FORBIDDEN) {
        responses
            .entry("403".to_owned())
            .or_insert_with(|| error_response(CSRF_FAILED, error_model));
    }
}
