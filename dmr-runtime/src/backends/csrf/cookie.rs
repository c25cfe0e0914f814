//! The CSRF cookie itself, written in one place for every credential that sets it (the
//! session login, the JWT cookie mode): Django's defaults (readable by scripts, so that the
//! page can copy it into `X-CSRFToken`; a year), with the CSRF config's name, path, `Secure`,
//! `SameSite` and domain where it sets them, and the credential's own settings otherwise.

use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, SameSite};

use super::CsrfConfig;

/// Django's `CSRF_COOKIE_AGE`: one year (52 weeks).
const CSRF_COOKIE_AGE: Duration = Duration::weeks(52);

/// What the credential whose CSRF the cookie protects says, for what the CSRF config leaves
/// unset.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CookieDefaults<'a> {
    pub(crate) secure: bool,
    pub(crate) same_site: SameSite,
    pub(crate) domain: Option<&'a str>,
}

impl CsrfConfig {
    /// The CSRF cookie holding `secret`.
    pub(crate) fn cookie(&self, secret: String, defaults: CookieDefaults<'_>) -> Cookie<'static> {
        let mut c = Cookie::build(self.get_cookie_name().to_owned(), secret)
            .path(self.get_cookie_path().unwrap_or("/").to_owned())
            .secure(self.get_cookie_secure().unwrap_or(defaults.secure))
            .http_only(false)
            .same_site(self.get_cookie_same_site().unwrap_or(defaults.same_site))
            .max_age(CSRF_COOKIE_AGE)
            .finish();
        if let Some(d) = self.get_cookie_domain().or(defaults.domain) {
            c.set_domain(d.to_owned());
        }
        c
    }

    /// The cookie that deletes the CSRF cookie.
    pub(crate) fn cookie_removal(&self, defaults: CookieDefaults<'_>) -> Cookie<'static> {
        let mut c = self.cookie(String::new(), defaults);
        c.make_removal();
        c
    }
}
