//! The payload of a JWT read straight into the claims the model names, without building a
//! `serde_json::Value` for the whole object first.
//!
//! What is read is exactly what `serde_json::from_slice::<Value>` would give, only laid out
//! differently: every claim value is the `Value` serde_json builds (scalars and arrays of
//! strings kept unboxed), a repeated key keeps its last value like `Map` does, and nothing
//! fails here that `Value` would accept. In particular the `raw_value` feature (on in this
//! crate) makes `Value` read an object whose first key is [`RAW_VALUE_TOKEN`] as the JSON text
//! in its string value; that holds at the top level (handled here) and in every claim value
//! (handled by deserializing through `Value`).

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// serde_json's private marker key of `RawValue` (`serde_json::raw::TOKEN`).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

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
    fn from_value(value: Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::String(s) => Self::Str(s),
            Value::Number(n) => Self::Num(n),
            other => Self::Other(other),
        }
    }

    fn into_value(self) -> Value {
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
struct RawVisitor;

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

/// The claims of a payload that is a JSON object.
#[derive(Debug, Default)]
pub(super) struct RawClaims {
    pub(super) sub: Option<Raw>,
    pub(super) jti: Option<Raw>,
    pub(super) exp: Option<Raw>,
    pub(super) iat: Option<Raw>,
    pub(super) iss: Option<Raw>,
    pub(super) aud: Option<Raw>,
    pub(super) extras: Option<Value>,
    /// Every other claim, `nbf` included.
    pub(super) rest: Map<String, Value>,
}

impl RawClaims {
    /// Whether claim `name` is present and not `null`.
    pub(super) fn has(&self, name: &str) -> bool {
        let known = match name {
            "sub" => &self.sub,
            "jti" => &self.jti,
            "exp" => &self.exp,
            "iat" => &self.iat,
            "iss" => &self.iss,
            "aud" => &self.aud,
            "extras" => return self.extras.as_ref().is_some_and(|v| !v.is_null()),
            _ => return self.rest.get(name).is_some_and(|v| !v.is_null()),
        };
        known.as_ref().is_some_and(|v| !v.is_null())
    }
}

/// A JWT payload: its claims, or `None` if it is valid JSON but not an object.
#[derive(Debug)]
pub(super) struct Payload(pub(super) Option<RawClaims>);

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PayloadVisitor)
    }
}

struct PayloadVisitor;

impl PayloadVisitor {
    fn not_object<E>(self) -> Result<Payload, E> {
        Ok(Payload(None))
    }
}

impl<'de> Visitor<'de> for PayloadVisitor {
    type Value = Payload;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_i64<E>(self, _: i64) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_u64<E>(self, _: u64) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_f64<E>(self, _: f64) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_str<E>(self, _: &str) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_unit<E>(self) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Payload, A::Error> {
        while seq.next_element::<Value>()?.is_some() {}
        self.not_object()
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Payload, A::Error> {
        let mut claims = RawClaims::default();
        let mut first = true;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Sub => claims.sub = Some(map.next_value()?),
                Key::Jti => claims.jti = Some(map.next_value()?),
                Key::Exp => claims.exp = Some(map.next_value()?),
                Key::Iat => claims.iat = Some(map.next_value()?),
                Key::Iss => claims.iss = Some(map.next_value()?),
                Key::Aud => claims.aud = Some(map.next_value()?),
                Key::Extras => claims.extras = Some(map.next_value()?),
                // `Value` reads the string as the whole payload, and any further key fails.
                Key::Other(name) if first && name == RAW_VALUE_TOKEN => {
                    let text: String = map.next_value()?;
                    return serde_json::from_str(&text).map_err(de::Error::custom);
                }
                Key::Other(name) => {
                    let value = map.next_value()?;
                    claims.rest.insert(name, value);
                }
            }
            first = false;
        }
        Ok(Payload(Some(claims)))
    }
}

/// A claim name: one the model reads, or any other.
enum Key {
    Sub,
    Jti,
    Exp,
    Iat,
    Iss,
    Aud,
    Extras,
    Other(String),
}

impl Key {
    fn known(name: &str) -> Option<Self> {
        Some(match name {
            "sub" => Self::Sub,
            "jti" => Self::Jti,
            "exp" => Self::Exp,
            "iat" => Self::Iat,
            "iss" => Self::Iss,
            "aud" => Self::Aud,
            "extras" => Self::Extras,
            _ => return None,
        })
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(Key::known(v).unwrap_or_else(|| Key::Other(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Key, E> {
        Ok(Key::known(&v).unwrap_or(Key::Other(v)))
    }
}
