//! [`CredentialField`]: a string field of a credential body that never quotes what it got.

use serde::de::{Deserializer, IgnoredAny, Visitor};

use super::CredentialBodyError;

/// A field of a credential body that must be a JSON string: anything else is recorded as
/// [`NotString`](Self::NotString) without being read into memory or quoted in an error (serde's
/// own messages would quote a numeric password). Use `#[serde(default)]` on the field so that a
/// missing one is [`Missing`](Self::Missing).
///
/// ```
/// use dmr_runtime::backends::credentials::CredentialField;
///
/// #[derive(serde::Deserialize)]
/// struct Obtain {
///     #[serde(default)]
///     username: CredentialField,
///     #[serde(default)]
///     password: CredentialField,
/// }
///
/// let body: Obtain = serde_json::from_str(r#"{"username":"ann","password":918273645}"#).unwrap();
/// assert_eq!(body.username.require("username").unwrap(), "ann");
/// let err = body.password.require("password").unwrap_err();
/// assert_eq!(err.msg(), "Input should be a valid string");
/// assert_eq!(err.loc(), ["parsed_body", "password"]);
///
/// // a field may hold a password: its `Debug` never shows the string
/// let field = CredentialField::Value("hunter2".into());
/// assert_eq!(format!("{field:?}"), "Value(<redacted>)");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub enum CredentialField {
    /// The field is absent.
    #[default]
    Missing,
    /// The field holds something other than a string (not kept).
    NotString,
    /// The string.
    Value(String),
}

impl std::fmt::Debug for CredentialField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing => f.write_str("Missing"),
            Self::NotString => f.write_str("NotString"),
            Self::Value(_) => f.write_str("Value(<redacted>)"),
        }
    }
}

impl CredentialField {
    /// The string, or the 400 [`CredentialBodyError::Fields`] naming `field`
    /// (`Field required` / `Input should be a valid string`); join several with
    /// [`CredentialBodyError::all`] to report every bad field at once.
    pub fn require(self, field: &'static str) -> Result<String, CredentialBodyError> {
        match self {
            Self::Value(s) => Ok(s),
            Self::Missing => Err(CredentialBodyError::missing(field)),
            Self::NotString => Err(CredentialBodyError::field(
                field,
                "Input should be a valid string",
            )),
        }
    }
}

impl CredentialField {
    /// The string, `None` when the field is absent, or the 400
    /// [`CredentialBodyError::Fields`] `Input should be a valid string` naming `field`.
    ///
    /// ```
    /// use dmr_runtime::backends::credentials::CredentialField;
    ///
    /// assert_eq!(CredentialField::Missing.optional("refresh_token"), Ok(None));
    /// assert!(CredentialField::NotString.optional("refresh_token").is_err());
    /// ```
    pub fn optional(self, field: &'static str) -> Result<Option<String>, CredentialBodyError> {
        match self {
            Self::Missing => Ok(None),
            other => other.require(field).map(Some),
        }
    }
}

impl<'de> serde::Deserialize<'de> for CredentialField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CredentialField;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CredentialField::Value(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(CredentialField::Value(v))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(CredentialField::NotString)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(CredentialField::NotString)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(CredentialField::NotString)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(CredentialField::NotString)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(CredentialField::NotString)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(CredentialField::NotString)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(V)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(CredentialField::NotString)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(CredentialField::NotString)
            }
        }
        d.deserialize_any(V)
    }
}
