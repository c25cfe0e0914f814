//! The translatable errors of the credential views this crate ships (`Not authenticated`,
//! `CSRF Failed: <reason>`), found in a handler's error response so the endpoint can render
//! them again in the request's language and through its error model.

use std::borrow::Cow;

use crate::error::SECURITY;

/// The message and error type of a credential view's error that the catalogue translates, or
/// `None` for any other error (left as the handler answered it).
pub(crate) fn of(error: &actix_web::Error) -> Option<(Cow<'static, str>, Option<&'static str>)> {
    #[cfg(feature = "session")]
    {
        use super::jwt::ViewError;
        use super::session::LoginError;
        if let Some(e) = error.as_error::<ViewError>() {
            return match e {
                ViewError::NotAuthenticated => Some(not_authenticated()),
                ViewError::Csrf(r) => Some((r.to_string().into(), None)),
                _ => None,
            };
        }
        if let Some(e) = error.as_error::<LoginError>() {
            return match e {
                LoginError::NotAuthenticated => Some(not_authenticated()),
                LoginError::Csrf(r) => Some((r.to_string().into(), None)),
                _ => None,
            };
        }
    }
    #[cfg(feature = "tokens")]
    if let Some(super::tokens::TokenViewError::NotAuthenticated) =
        error.as_error::<super::tokens::TokenViewError>()
    {
        return Some(not_authenticated());
    }
    let _ = error;
    None
}

fn not_authenticated() -> (Cow<'static, str>, Option<&'static str>) {
    (
        Cow::Borrowed(crate::auth::AuthError::DEFAULT_MESSAGE),
        Some(SECURITY),
    )
}
