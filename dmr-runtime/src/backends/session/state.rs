//! What a login writes into the session and what logout removes: the user id, the
//! fingerprint of the password hash and, when CSRF lives in the session, the CSRF secret.

use actix_session::{Session, SessionInsertError};
use actix_web::cookie::Cookie;

use super::SessionConfig;
use crate::backends::csrf::{CSRF_SESSION_KEY, check_token_format, mask_secret, new_secret};
use crate::backends::users::{StoredUser, session_hash};

/// The session key of the logged-in user's id (Django's `SESSION_KEY`).
pub const SESSION_USER_ID_KEY: &str = "_auth_user_id";
/// The session key of the fingerprint of the user's password hash (Django's
/// `HASH_SESSION_KEY`): a password change ends the user's sessions.
pub const SESSION_USER_HASH_KEY: &str = "_auth_user_hash";
/// The session key of the login time (seconds since the Unix epoch): session auth refuses a
/// session older than [`SessionConfig::session_ttl`], whatever the store (with the cookie
/// store the cookie is the whole session, so only this ends it on the server).
pub const SESSION_ISSUED_AT_KEY: &str = "_auth_issued_at";

/// Now, in whole seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Logs `user` in on `session` (Django's `login()`): another user's session data is
/// cleared, the session id is renewed (no session fixation), the user, the fingerprint of
/// their password hash and the login time are recorded and the CSRF secret rotated. Returns the new CSRF cookie to send, unless CSRF lives in the session.
///
/// Use it in a login endpoint of your own (with another payload, say an e-mail address);
/// [`SessionLogin`](super::SessionLogin) does exactly this.
///
/// ```
/// use actix_web::test::TestRequest;
/// use dmr_runtime::backends::session::{
///     SESSION_USER_ID_KEY, SessionConfig, SessionExt as _, login_session, logout_session,
/// };
/// use dmr_runtime::backends::users::{MemoryUsers, StoredUser};
///
/// let config = SessionConfig::new(MemoryUsers::new());
/// let user = StoredUser {
///     id: "7".into(),
///     username: "alice".into(),
///     password_hash: "$argon2id$..".into(),
///     is_active: true,
/// };
/// let req = TestRequest::post().to_http_request();
/// let session = req.get_session();
/// let csrf_cookie = login_session(&session, &config, &user).unwrap().unwrap();
/// assert_eq!(csrf_cookie.name(), "csrftoken");
/// assert_eq!(session.get::<String>(SESSION_USER_ID_KEY).unwrap().as_deref(), Some("7"));
///
/// let removal = logout_session(&session, &config).unwrap();
/// assert_eq!(removal.value(), "");
/// assert!(session.entries().is_empty());
/// ```
pub fn login_session(
    session: &Session,
    config: &SessionConfig,
    user: &StoredUser,
) -> Result<Option<Cookie<'static>>, SessionInsertError> {
    let hash = session_hash(&user.password_hash);
    let same_user = session
        .get::<String>(SESSION_USER_ID_KEY)
        .ok()
        .flatten()
        .as_deref()
        == Some(user.id.as_str())
        && session
            .get::<String>(SESSION_USER_HASH_KEY)
            .ok()
            .flatten()
            .as_deref()
            == Some(hash.as_str());
    if !same_user {
        session.clear();
    }
    session.renew();
    session.insert(SESSION_USER_ID_KEY, &user.id)?;
    session.insert(SESSION_USER_HASH_KEY, &hash)?;
    session.insert(SESSION_ISSUED_AT_KEY, unix_now())?;
    let secret = new_secret();
    if config.csrf.uses_sessions() {
        session.insert(CSRF_SESSION_KEY, &secret)?;
        Ok(None)
    } else {
        Ok(Some(config.csrf_cookie(secret)))
    }
}

/// Ends the session (Django's `logout()`): the state is deleted from the store and the
/// session cookie removed. Returns the cookie that removes the CSRF cookie, unless CSRF lives
/// in the session.
pub fn logout_session(session: &Session, config: &SessionConfig) -> Option<Cookie<'static>> {
    session.purge();
    (!config.csrf.uses_sessions()).then(|| config.csrf_removal())
}

/// A masked CSRF token for a session whose CSRF secret lives in the session
/// ([`CsrfConfig::use_sessions`](crate::backends::csrf::CsrfConfig::use_sessions)), creating
/// the secret if there is none (Django's `get_token`): serve it from an endpoint of yours so
/// that clients can send it as `X-CSRFToken`. Every call gives a different token for the
/// same secret.
///
/// ```
/// use actix_web::test::TestRequest;
/// use dmr_runtime::backends::csrf::{CSRF_SESSION_KEY, token_matches};
/// use dmr_runtime::backends::session::{SessionExt as _, session_csrf_token};
///
/// let req = TestRequest::get().to_http_request();
/// let session = req.get_session();
/// let token = session_csrf_token(&session).unwrap();
/// let secret: String = session.get(CSRF_SESSION_KEY).unwrap().unwrap();
/// assert!(token_matches(&token, &secret));
/// assert_ne!(session_csrf_token(&session).unwrap(), token); // masked afresh
/// ```
pub fn session_csrf_token(session: &Session) -> Result<String, SessionInsertError> {
    let secret = match session
        .get::<String>(CSRF_SESSION_KEY)
        .ok()
        .flatten()
        .filter(|s| s.len() == 32 && check_token_format(s).is_ok())
    {
        Some(s) => s,
        None => {
            let s = new_secret();
            session.insert(CSRF_SESSION_KEY, &s)?;
            s
        }
    };
    // a 32-character alphabet secret always masks
    Ok(mask_secret(&secret).unwrap_or_default())
}
