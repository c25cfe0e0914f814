//! The schema of a handler type: inline, or a `$ref` to a named component that the
//! document will list under `components.schemas`.

use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};

/// A named schema, as `ToSchema::schemas` lists them.
pub(crate) type Named = (String, RefOr<Schema>);

/// The schema of `T`: a `$ref` to the component `T::name()` for named object types (pushed,
/// with what they refer to, to `components`), the schema itself for everything else
/// (strings, numbers, arrays, maps), and an untyped value (`serde_json::Value`) as what it is:
/// any JSON value ([`untyped`]).
pub(crate) fn schema_of<T: ToSchema + ?Sized>(components: &mut Vec<Named>) -> RefOr<Schema> {
    let schema = untyped(T::schema());
    T::schemas(components);
    let name = T::name();
    if is_component(&schema, &name) {
        components.push((name.clone().into_owned(), schema));
        RefOr::Ref(Ref::from_schema_name(name))
    } else {
        schema
    }
}

/// utoipa's schema of `serde_json::Value` is `{}`: valid JSON Schema for "anything", but the
/// docs page then shows `"string"` as the example of a JSON body. An untyped body is listed
/// with every JSON type and says that its shape is not described (Swagger UI shows `{}`).
fn untyped(schema: RefOr<Schema>) -> RefOr<Schema> {
    match &schema {
        RefOr::T(Schema::Object(object))
            if matches!(object.schema_type, SchemaType::AnyValue)
                && object.properties.is_empty()
                && object.description.is_none() =>
        {
            ObjectBuilder::new()
                .schema_type(SchemaType::from_iter([
                    Type::Object,
                    Type::Array,
                    Type::String,
                    Type::Number,
                    Type::Boolean,
                    Type::Null,
                ]))
                .description(Some(
                    "Any JSON value: the handler's type (`serde_json::Value`) does not \
                     describe its shape.",
                ))
                .build()
                .into()
        }
        _ => schema,
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
