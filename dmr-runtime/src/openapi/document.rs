//! The built document: printed as JSON by our own serializer (so security schemes and error
//! components keep the reference's exact bytes), or handed out as utoipa's model.

use std::collections::BTreeMap;

use actix_web::web::Bytes;
use serde::Serialize;
use serde::ser::SerializeMap;
use utoipa::openapi::path::Paths;
use utoipa::openapi::{ComponentsBuilder, OpenApi, OpenApiBuilder};

use super::config::OpenApiConfig;
use super::schema::Entry;
use super::security;
use crate::auth::SchemeDoc;

/// An API's OpenAPI document, built once with the API.
#[derive(Debug)]
pub(crate) struct Document {
    config: OpenApiConfig,
    paths: Paths,
    schemas: BTreeMap<String, Entry>,
    schemes: Vec<SchemeDoc>,
    json: Bytes,
}

impl Document {
    pub(crate) fn new(
        config: OpenApiConfig,
        paths: Paths,
        schemas: BTreeMap<String, Entry>,
        schemes: Vec<SchemeDoc>,
    ) -> Self {
        let mut doc = Self {
            config,
            paths,
            schemas,
            schemes,
            json: Bytes::new(),
        };
        doc.json = Bytes::from(serde_json::to_vec(&Printed(&doc)).unwrap_or_default());
        doc
    }

    /// The document as compact JSON.
    pub(crate) fn json(&self) -> &str {
        std::str::from_utf8(&self.json).unwrap_or_default()
    }

    /// The document as compact JSON, shared (for serving).
    pub(crate) fn json_bytes(&self) -> Bytes {
        self.json.clone()
    }

    /// utoipa's model of the document (see [`security::to_utoipa`] for what it cannot say).
    pub(crate) fn to_utoipa(&self) -> OpenApi {
        let mut components = ComponentsBuilder::new();
        for (name, entry) in &self.schemas {
            if let Some(schema) = entry.to_utoipa() {
                components = components.schema(name.clone(), schema);
            }
        }
        for scheme in &self.schemes {
            if let Some(converted) = security::to_utoipa(scheme) {
                components = components.security_scheme(scheme.name.clone(), converted);
            }
        }
        let mut api = OpenApiBuilder::new()
            .info(self.config.info())
            .paths(self.paths.clone())
            .components(Some(components.build()))
            .build();
        api.openapi = self.config.version().to_utoipa();
        api
    }
}

/// The exact JSON: `openapi`, `info`, `paths`, `components` (`schemas` by name, then
/// `securitySchemes` in order of first use, each printed from [`SchemeDoc`]).
struct Printed<'a>(&'a Document);

impl Serialize for Printed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let doc = self.0;
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("openapi", doc.config.version().as_str())?;
        map.serialize_entry("info", &doc.config.info())?;
        map.serialize_entry("paths", &doc.paths)?;
        map.serialize_entry("components", &Components(doc))?;
        map.end()
    }
}

struct Components<'a>(&'a Document);

impl Serialize for Components<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("schemas", &self.0.schemas)?;
        map.serialize_entry("securitySchemes", &Schemes(&self.0.schemes))?;
        map.end()
    }
}

struct Schemes<'a>(&'a [SchemeDoc]);

impl Serialize for Schemes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for scheme in self.0 {
            map.serialize_entry(&scheme.name, &scheme.scheme)?;
        }
        map.end()
    }
}
