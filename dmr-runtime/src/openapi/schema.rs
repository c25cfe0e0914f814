//! The registry of `components.schemas`, which refuses two different definitions under one
//! name.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;

use crate::build_error::ApiError;
use crate::description::Named;

/// One entry of `components.schemas`.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    /// From a type's `ToSchema`.
    Schema(Box<RefOr<Schema>>),
    /// JSON text printed verbatim (error model schemas).
    Raw(Box<RawValue>),
}

impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Schema(schema) => schema.serialize(s),
            Self::Raw(raw) => raw.serialize(s),
        }
    }
}

impl Entry {
    /// The utoipa model of the entry (raw JSON is parsed into it, best effort).
    pub(crate) fn to_utoipa(&self) -> Option<RefOr<Schema>> {
        match self {
            Self::Schema(schema) => Some(RefOr::clone(schema)),
            Self::Raw(raw) => serde_json::from_str(raw.get()).ok(),
        }
    }
}

struct Slot {
    entry: Entry,
    value: serde_json::Value,
    site: String,
}

/// `components.schemas` under construction.
#[derive(Default)]
pub(crate) struct Schemas {
    slots: BTreeMap<String, Slot>,
}

impl Schemas {
    /// Adds the schemas an operation needs; `site` names the operation in errors.
    pub(crate) fn add_all(&mut self, named: Vec<Named>, site: &str) -> Result<(), ApiError> {
        for (name, schema) in named {
            let value = serde_json::to_value(&schema).unwrap_or_default();
            self.insert(name, Entry::Schema(Box::new(schema)), value, site)?;
        }
        Ok(())
    }

    /// Adds an error model component given as JSON text.
    pub(crate) fn add_raw(&mut self, name: &str, json: &str, site: &str) -> Result<(), ApiError> {
        let invalid = |source| ApiError::ErrorSchema {
            site: site.to_owned(),
            name: name.to_owned(),
            source,
        };
        let raw = RawValue::from_string(json.to_owned()).map_err(invalid)?;
        let value = serde_json::from_str(raw.get()).map_err(invalid)?;
        self.insert(name.to_owned(), Entry::Raw(raw), value, site)
    }

    fn insert(
        &mut self,
        name: String,
        entry: Entry,
        value: serde_json::Value,
        site: &str,
    ) -> Result<(), ApiError> {
        match self.slots.get(&name) {
            Some(slot) if slot.value == value => Ok(()),
            Some(slot) => Err(ApiError::SchemaConflict {
                name,
                first_site: slot.site.clone(),
                second_site: site.to_owned(),
            }),
            None => {
                self.slots.insert(
                    name,
                    Slot {
                        entry,
                        value,
                        site: site.to_owned(),
                    },
                );
                Ok(())
            }
        }
    }

    /// The entries, by name.
    pub(crate) fn into_entries(self) -> BTreeMap<String, Entry> {
        self.slots
            .into_iter()
            .map(|(name, slot)| (name, slot.entry))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::description::schema_of;

    #[derive(utoipa::ToSchema)]
    #[allow(dead_code)]
    struct Article {
        title: String,
    }

    #[test]
    fn named_objects_are_referenced_and_the_rest_inlined() {
        let mut components = Vec::new();
        let article = serde_json::to_value(schema_of::<Article>(&mut components)).unwrap();
        assert_eq!(
            article,
            serde_json::json!({"$ref": "#/components/schemas/Article"})
        );
        assert_eq!(components.len(), 1);
        let text = serde_json::to_value(schema_of::<String>(&mut components)).unwrap();
        assert_eq!(text, serde_json::json!({"type": "string"}));
        let list = serde_json::to_value(schema_of::<Vec<u32>>(&mut components)).unwrap();
        assert_eq!(list["type"], "array");
        assert_eq!(components.len(), 1);
    }

    #[test]
    fn an_untyped_value_is_any_json_value_and_says_so() {
        let mut components = Vec::new();
        let any = serde_json::to_value(schema_of::<serde_json::Value>(&mut components)).unwrap();
        assert_eq!(
            any["type"],
            serde_json::json!(["object", "array", "string", "number", "boolean", "null"])
        );
        assert!(
            any["description"]
                .as_str()
                .unwrap()
                .starts_with("Any JSON value")
        );
        assert!(components.is_empty());
    }

    #[test]
    fn identical_definitions_merge_and_different_ones_conflict() {
        let mut schemas = Schemas::default();
        schemas.add_raw("E", r#"{"type":"object"}"#, "a").unwrap();
        schemas
            .add_raw("E", r#"{ "type": "object" }"#, "b")
            .unwrap();
        let err = schemas
            .add_raw("E", r#"{"type":"string"}"#, "c")
            .unwrap_err();
        assert!(
            matches!(err, ApiError::SchemaConflict { ref first_site, .. } if first_site == "a")
        );
        assert!(matches!(
            schemas.add_raw("F", "{", "d"),
            Err(ApiError::ErrorSchema { .. })
        ));
    }
}
