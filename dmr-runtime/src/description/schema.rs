//! The schema of a handler type: inline, or a `$ref` to a named component that the
//! document will list under `components.schemas`.

use utoipa::ToSchema;
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};

/// A named schema, as `ToSchema::schemas` lists them.
pub(crate) type Named = (String, RefOr<Schema>);

/// The schema of `T`: a `$ref` to the component `T::name()` for named object types (pushed,
/// with what they refer to, to `components`), the schema itself for everything else
/// (strings, numbers, arrays, maps, `serde_json::Value`).
pub(crate) fn schema_of<T: ToSchema + ?Sized>(components: &mut Vec<Named>) -> RefOr<Schema> {
    let schema = T::schema();
    T::schemas(components);
    let name = T::name();
    if is_component(&schema, &name) {
        components.push((name.clone().into_owned(), schema));
        RefOr::Ref(Ref::from_schema_name(name))
    } else {
        schema
    }
}

/// Named objects with properties become components; the name must be a valid component key
/// (`^[a-zA-Z0-9._-]+$`).
fn is_component(schema: &RefOr<Schema>, name: &str) -> bool {
    let RefOr::T(Schema::Object(object)) = schema else {
        return false;
    };
    matches!(object.schema_type, SchemaType::Type(Type::Object))
        && !object.properties.is_empty()
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}
