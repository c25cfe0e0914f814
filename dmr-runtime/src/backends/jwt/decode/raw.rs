//! One claim value as `serde_json::Value` reads it, kept unboxed for the claims the model
//! names (strings, numbers) and as a `Value` otherwise.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// serde_json's private marker key of `RawValue` (`serde_json::raw::TOKEN`).
pub(super) const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// One claim value as `Value` reads it. Invariant: `Other` never holds `Null`, a string or a
/// number (those are always `Null`, `Str`, `Num`), so matching on the variant is matching on
/// the `Value`.
#[derive(Debug)]
pub(super) enum Raw {
    Null,
    Str(String),
    Num(Number),
    /// An array whose items are all strings (possibly empty).
    Strs(Vec<String>),
    /// A boolean, another array, or an object.
    Other(Value),
}

impl Raw {
    pub(super) fn from_value(value: Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::String(s) => Self::Str(s),
            Value::Number(n) => Self::Num(n),
            other => Self::Other(other),
        }
    }

    pub(super) fn into_value(self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Str(s) => Value::String(s),
            Self::Num(n) => Value::Number(n),
            Self::Strs(list) => Value::Array(list.into_iter().map(Value::String).collect()),
            Self::Other(value) => value,
        }
    }

    pub(super) fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

/// `Value`'s visitor, one variant at a time.
pub(super) struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Other(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Num(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Num(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Number::from_f64(v).map_or(Raw::Null, Raw::Num))
    }

    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }

    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        Raw::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut strings = Vec::new();
        while let Some(item) = seq.next_element::<Raw>()? {
            let Raw::Str(s) = item else {
                let mut items: Vec<Value> = strings.into_iter().map(Value::String).collect();
                items.push(item.into_value());
                while let Some(item) = seq.next_element::<Value>()? {
                    items.push(item);
                }
                return Ok(Raw::Other(Value::Array(items)));
            };
            strings.push(s);
        }
        Ok(Raw::Strs(strings))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Raw, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Raw::from_value)
    }
}
