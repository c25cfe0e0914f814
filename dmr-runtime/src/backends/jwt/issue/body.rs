//! The request bodies of the credential views, read as a
//! [`CredentialBody`](crate::backends::credentials::CredentialBody): small, JSON, and never
//! echoed. Each wire form ([`ObtainRaw`], [`RefreshRaw`], [`VerifyRaw`]) holds
//! [`CredentialField`]s and checks them into the payload OpenAPI documents, so every wrong field
//! is reported by name and place (`loc` `["parsed_body", "password"]`) without quoting its value.

use std::borrow::Cow;

use serde::Deserialize;

use crate::backends::credentials::{CredentialBodyError, CredentialField, CredentialPair};

/// `POST obtain/`: `{"username": "..", "password": ".."}` (named as the reference names it).
/// Its `Debug` never shows the password.
#[derive(Clone, utoipa::ToSchema)]
pub struct ObtainTokensPayload {
    /// The login name.
    pub username: String,
    /// The password (never logged or echoed).
    pub password: String,
}

impl std::fmt::Debug for ObtainTokensPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObtainTokensPayload")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// `POST refresh/` and `POST logout/`: `{"refresh_token": ".."}`. Optional in cookie mode,
/// where the refresh cookie (refresh) or the access cookie (logout) can stand for it.
#[derive(Debug, Clone, Default, utoipa::ToSchema)]
pub struct RefreshTokenPayload {
    /// The refresh token.
    pub refresh_token: Option<String>,
}

/// `POST verify/`: `{"access_token": ".."}`.
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct VerifyTokenPayload {
    /// The access token to check.
    pub access_token: String,
}

/// Documents a wire form in OpenAPI as the payload it checks into.
macro_rules! documented_as {
    ($raw:ty => $payload:ty) => {
        impl utoipa::PartialSchema for $raw {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                <$payload as utoipa::PartialSchema>::schema()
            }
        }

        impl utoipa::ToSchema for $raw {
            fn name() -> Cow<'static, str> {
                <$payload as utoipa::ToSchema>::name()
            }
        }
    };
}

/// The wire form of [`ObtainTokensPayload`].
pub type ObtainRaw = CredentialPair<ObtainTokensPayload>;

/// The wire form of [`RefreshTokenPayload`], or no body at all (a request without content: a
/// cookie-mode refresh, a logout with `Authorization` only).
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct RefreshRaw(Option<RefreshFields>);

/// The fields of a [`RefreshRaw`] body.
#[derive(Debug, Default, Deserialize)]
struct RefreshFields {
    #[serde(default)]
    refresh_token: CredentialField,
}

impl RefreshRaw {
    /// `None` without a body; else the token if present (a string), or the 400 when it is
    /// not a string.
    pub fn check(self) -> Result<Option<RefreshTokenPayload>, CredentialBodyError> {
        let Some(fields) = self.0 else {
            return Ok(None);
        };
        Ok(Some(RefreshTokenPayload {
            refresh_token: fields.refresh_token.optional("refresh_token")?,
        }))
    }
}

documented_as!(RefreshRaw => RefreshTokenPayload);

/// The wire form of [`VerifyTokenPayload`].
#[derive(Debug, Default, Deserialize)]
pub struct VerifyRaw {
    #[serde(default)]
    access_token: CredentialField,
}

impl VerifyRaw {
    /// The token as a string, or the 400 naming the field.
    pub fn check(self) -> Result<VerifyTokenPayload, CredentialBodyError> {
        Ok(VerifyTokenPayload {
            access_token: self.access_token.require("access_token")?,
        })
    }
}

documented_as!(VerifyRaw => VerifyTokenPayload);
