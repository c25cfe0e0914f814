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

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::raw::{RAW_VALUE_TOKEN, Raw, RawVisitor};

/// The claims of a payload that is a JSON object.
#[derive(Debug, Default)]
pub(in crate::backends::jwt) struct RawClaims {
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
pub(in crate::backends::jwt) struct Payload(pub(in crate::backends::jwt) Option<RawClaims>);

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PayloadVisitor { strict: false })
    }
}

/// A JWT payload read as [`Payload`] is, that also fails wherever `jsonwebtoken::decode`'s
/// own second parse of the payload (its private `ClaimsForValidation`) fails, so one parse
/// gives the answer of both.
///
/// That parse is a serde derive of a struct with the fields `exp`, `nbf` (both through a
/// visitor taking only numbers, its errors swallowed), `sub` (a `Cow<str>`, errors
/// swallowed), `iss` and `aud` (untagged enums, which buffer any value). Swallowed errors
/// still leave serde_json's reader where the failed visit left it, so it fails on:
/// - a repeated `exp`, `nbf`, `sub`, `iss` or `aud` (the derive's duplicate check);
/// - a non-empty array or object as `exp` or `nbf` (the visitor refuses at the opening
///   bracket and the reader cannot close it);
/// - any array or object as `sub` (refused before the bracket is read);
/// - a payload that is not an object, unless it is an array of exactly five items whose first
///   two are not non-empty arrays or objects and whose third is not an array or object (the
///   derive reads a struct from a sequence too, fields in order; `sub`, `iss` and `aud` have
///   no default, and a sixth item is a trailing one).
///
/// Keys are compared unescaped, as the derive does, and an object whose first key is
/// [`RAW_VALUE_TOKEN`] counts as the object it is in the text (the derive never reads it as a
/// raw value).
#[derive(Debug)]
pub(super) struct StrictPayload(pub(super) Option<RawClaims>);

impl<'de> Deserialize<'de> for StrictPayload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(PayloadVisitor { strict: true })
            .map(|p| Self(p.0))
    }
}

/// What a claim value is in the JSON text: what `ClaimsForValidation` trips on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Scalar,
    /// `[]` or `{}` (whitespace inside allowed).
    EmptyContainer,
    /// An array or object with at least one item.
    Container,
}

/// A claim value (as [`Raw`]) with its [`Shape`].
struct Shaped {
    raw: Raw,
    shape: Shape,
}

impl<'de> Deserialize<'de> for Shaped {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShapedVisitor)
    }
}

struct ShapedVisitor;

impl ShapedVisitor {
    fn scalar<E>(raw: Result<Raw, E>) -> Result<Shaped, E> {
        raw.map(|raw| Shaped {
            raw,
            shape: Shape::Scalar,
        })
    }
}

impl<'de> Visitor<'de> for ShapedVisitor {
    type Value = Shaped;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Shaped, E> {
        Self::scalar(RawVisitor.visit_bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Shaped, E> {
        Self::scalar(RawVisitor.visit_i64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Shaped, E> {
        Self::scalar(RawVisitor.visit_u64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Shaped, E> {
        Self::scalar(RawVisitor.visit_f64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Shaped, E> {
        Self::scalar(RawVisitor.visit_str(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Shaped, E> {
        Self::scalar(RawVisitor.visit_string(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Shaped, E> {
        Self::scalar(RawVisitor.visit_none())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Shaped, E> {
        Self::scalar(RawVisitor.visit_unit())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Shaped, D::Error> {
        Shaped::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shaped, A::Error> {
        let raw = RawVisitor.visit_seq(seq)?;
        // `Other` arrays are built only once a non-string item was read
        let shape = match &raw {
            Raw::Strs(list) if list.is_empty() => Shape::EmptyContainer,
            _ => Shape::Container,
        };
        Ok(Shaped { raw, shape })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Shaped, A::Error> {
        let mut counted = CountKeys { map, keys: 0 };
        let raw = RawVisitor.visit_map(&mut counted)?;
        let shape = if counted.keys == 0 {
            Shape::EmptyContainer
        } else {
            Shape::Container
        };
        Ok(Shaped { raw, shape })
    }
}

/// A `MapAccess` that counts the keys read through it.
struct CountKeys<A> {
    map: A,
    keys: usize,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for CountKeys<A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let key = self.map.next_key_seed(seed)?;
        self.keys += usize::from(key.is_some());
        Ok(key)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// Reads a payload; `strict` adds the failures of `ClaimsForValidation` (see
/// [`StrictPayload`]).
struct PayloadVisitor {
    strict: bool,
}

impl PayloadVisitor {
    fn not_object<E: de::Error>(self) -> Result<Payload, E> {
        if self.strict {
            return Err(E::custom("not a claims object"));
        }
        Ok(Payload(None))
    }

    /// Fails, in strict mode, on what `ClaimsForValidation` fails on (see [`StrictPayload`]).
    fn refuse<E: de::Error>(&self, refused: bool) -> Result<(), E> {
        if self.strict && refused {
            return Err(E::custom("refused by jsonwebtoken's claims parse"));
        }
        Ok(())
    }
}

/// Which of the fields `ClaimsForValidation` knows were seen (for its duplicate check).
#[derive(Default)]
struct Seen {
    exp: bool,
    nbf: bool,
    sub: bool,
    iss: bool,
    aud: bool,
}

/// Marks a field seen; `true` if it already was.
fn again(seen: &mut bool) -> bool {
    std::mem::replace(seen, true)
}

impl<'de> Visitor<'de> for PayloadVisitor {
    type Value = Payload;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Payload, E> {
        self.not_object()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Payload, A::Error> {
        if !self.strict {
            while seq.next_element::<Value>()?.is_some() {}
            return Ok(Payload(None));
        }
        // `ClaimsForValidation` read from a sequence: exp, nbf, sub, iss, aud
        let mut count = 0usize;
        let mut refused = false;
        while let Some(item) = seq.next_element::<Shaped>()? {
            refused |= match count {
                0 | 1 => item.shape == Shape::Container,
                2 => item.shape != Shape::Scalar,
                _ => false,
            };
            count += 1;
        }
        self.refuse(refused || count != 5)?;
        Ok(Payload(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Payload, A::Error> {
        let mut claims = RawClaims::default();
        let mut seen = Seen::default();
        let mut first = true;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Sub => {
                    let value: Shaped = map.next_value()?;
                    self.refuse(again(&mut seen.sub) || value.shape != Shape::Scalar)?;
                    claims.sub = Some(value.raw);
                }
                Key::Exp => {
                    let value: Shaped = map.next_value()?;
                    self.refuse(again(&mut seen.exp) || value.shape == Shape::Container)?;
                    claims.exp = Some(value.raw);
                }
                Key::Nbf => {
                    let value: Shaped = map.next_value()?;
                    self.refuse(again(&mut seen.nbf) || value.shape == Shape::Container)?;
                    claims.rest.insert("nbf".to_owned(), value.raw.into_value());
                }
                Key::Iss => {
                    self.refuse(again(&mut seen.iss))?;
                    claims.iss = Some(map.next_value()?);
                }
                Key::Aud => {
                    self.refuse(again(&mut seen.aud))?;
                    claims.aud = Some(map.next_value()?);
                }
                Key::Jti => claims.jti = Some(map.next_value()?),
                Key::Iat => claims.iat = Some(map.next_value()?),
                Key::Extras => claims.extras = Some(map.next_value()?),
                // `Value` reads the string as the whole payload, and any further key fails.
                // (`ClaimsForValidation` ignores the key: the inner payload is not strict.)
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
    Nbf,
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
            "nbf" => Self::Nbf,
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
