//! The body of every password login (session login, JWT obtain, token obtain): a user name
//! and a password, read as two [`CredentialField`]s so that no error quotes a value, and
//! documented in OpenAPI as the payload each view names.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;

use super::CredentialField;
use crate::extract_failure::CredentialBodyError;

/// `{"username": "..", "password": ".."}` as a login reads it; other fields are ignored.
/// OpenAPI documents it as `Doc` (each view keeps the reference's name for its payload).
///
/// ```
/// use dmr_runtime::backends::credentials::CredentialPair;
///
/// #[derive(utoipa::ToSchema)]
/// struct LoginDoc {
///     username: String,
///     password: String,
/// }
///
/// let pair: CredentialPair<LoginDoc> = serde_json::from_str(r#"{"username":"ada"}"#).unwrap();
/// let err = pair.require().unwrap_err();
/// assert_eq!(err.to_string(), "Field required: `password`");
/// assert_eq!(<CredentialPair<LoginDoc> as utoipa::ToSchema>::name(), "LoginDoc");
/// ```
#[derive(Deserialize)]
#[serde(bound = "")]
pub struct CredentialPair<Doc> {
    /// The login name.
    #[serde(default)]
    pub username: CredentialField,
    /// The password (its `Debug`, and the pair's, never show it).
    #[serde(default)]
    pub password: CredentialField,
    #[serde(skip)]
    doc: PhantomData<fn() -> Doc>,
}

impl<Doc> CredentialPair<Doc> {
    /// Both fields as strings, or the 400 naming every bad one (`loc`
    /// `["parsed_body", "username"]`, then `password`).
    pub fn require(self) -> Result<(String, String), CredentialBodyError> {
        CredentialBodyError::all(
            self.username.require("username"),
            self.password.require("password"),
        )
    }
}

impl<Doc> Default for CredentialPair<Doc> {
    fn default() -> Self {
        Self {
            username: CredentialField::default(),
            password: CredentialField::default(),
            doc: PhantomData,
        }
    }
}

impl<Doc> Clone for CredentialPair<Doc> {
    fn clone(&self) -> Self {
        Self {
            username: self.username.clone(),
            password: self.password.clone(),
            doc: PhantomData,
        }
    }
}

impl<Doc> fmt::Debug for CredentialPair<Doc> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialPair")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

impl<Doc: utoipa::PartialSchema> utoipa::PartialSchema for CredentialPair<Doc> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        Doc::schema()
    }
}

impl<Doc: utoipa::ToSchema> utoipa::ToSchema for CredentialPair<Doc> {
    fn name() -> Cow<'static, str> {
        Doc::name()
    }
}
