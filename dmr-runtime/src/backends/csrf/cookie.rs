//! The CSRF cookie itself, written in one place for every credential that sets it (the
//! session login, the JWT cookie mode): Django's defaults (readable by scripts, so that the
//! page can copy it into `X-CSRFToken`; a year), with the CSRF config's name, path, `Secure`,
//! `SameSite` and domain where it sets them, and the credential's own settings otherwise.

use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, SameSite};

use super::CsrfConfig;

/// Django's `CSRF_COOKIE_AGE`: one year (52 weeks).
const CSRF_COOKIE_AGE: Duration = Duration::weeks(52);

/// The attributes a credential gives its cookies (the session cookie; the JWT cookie mode's
/// access, refresh and CSRF cookies), and the CSRF cookie's where its config leaves them
/// unset: every such cookie is built here.
#[derive(Debug, Clone)]
pub(crate) struct CookieAttributes {
    pub(crate) secure: bool,
    pub(crate) same_site: SameSite,
    pub(crate) domain: Option<String>,
}

impl CookieAttributes {
    /// `Secure`, this `SameSite`, no `Domain` (the exact host).
    pub(crate) fn new(same_site: SameSite) -> Self {
        Self {
            secure: true,
            same_site,
            domain: None,
        }
    }

    /// The cookie `name=value` on `path` with these attributes.
    pub(crate) fn build(
        &self,
        name: &str,
        value: String,
        path: &str,
        http_only: bool,
    ) -> Cookie<'static> {
        let mut c = Cookie::build(name.to_owned(), value)
            .path(path.to_owned())
            .secure(self.secure)
            .http_only(http_only)
            .same_site(self.same_site)
            .finish();
        if let Some(d) = &self.domain {
            c.set_domain(d.clone());
        }
        c
    }

    /// The cookie that deletes the cookie `name` on `path`.
    pub(crate) fn removal(&self, name: &str, path: &str, http_only: bool) -> Cookie<'static> {
        let mut c = self.build(name, String::new(), path, http_only);
        c.make_removal();
        c
    }
}

impl CsrfConfig {
    /// The CSRF cookie holding `secret`.
    pub(crate) fn cookie(&self, secret: String, defaults: &CookieAttributes) -> Cookie<'static> {
        let attributes = CookieAttributes {
            secure: self.get_cookie_secure().unwrap_or(defaults.secure),
            same_site: self.get_cookie_same_site().unwrap_or(defaults.same_site),
            domain: self
                .get_cookie_domain()
                .or(defaults.domain.as_deref())
                .map(str::to_owned),
        };
        let path = self.get_cookie_path().unwrap_or("/");
        let mut c = attributes.build(self.get_cookie_name(), secret, path, false);
        c.set_max_age(CSRF_COOKIE_AGE);
        c
    }

    /// The cookie that deletes the CSRF cookie.
    pub(crate) fn cookie_removal(&self, defaults: &CookieAttributes) -> Cookie<'static> {
        let mut c = self.cookie(String::new(), defaults);
        c.make_removal();
        c
    }
}

/// The `secure` and `same_site` builder methods of a configuration whose cookies take their
/// attributes from its `attributes: CookieAttributes`, with each method's doc text.
macro_rules! cookie_attribute_setters {
    (secure: $secure:literal, same_site: $same_site:literal) => {
        #[doc = $secure]
        pub fn secure(mut self, secure: bool) -> Self {
            self.attributes.secure = secure;
            self
        }

        #[doc = $same_site]
        pub fn same_site(mut self, same_site: actix_web::cookie::SameSite) -> Self {
            self.attributes.same_site = same_site;
            self
        }
    };
}
pub(crate) use cookie_attribute_setters;
