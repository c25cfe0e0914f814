//! The demo's OpenAPI document and docs UI: `GET /docs/openapi.json` and Swagger UI at
//! `GET /docs/`, both served by the demo itself (the UI's assets are compiled in).

use dmr_runtime::ApiBuilder;
use dmr_runtime::openapi::OpenApiConfig;

/// Where the docs are served.
pub const DOCS_PATH: &str = "/docs";

/// Names the demo's document and serves it, with its UI, under [`DOCS_PATH`].
pub fn with_docs(api: ApiBuilder) -> ApiBuilder {
    let config = OpenApiConfig::new("dmr demo", env!("CARGO_PKG_VERSION"))
        .description("Declarative authentication for actix-web: every auth shown here is documented from its declaration.");
    api.openapi(config).docs(DOCS_PATH)
}
