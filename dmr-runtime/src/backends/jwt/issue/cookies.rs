//! [`JwtCookies`]: the cookie mode of the credential views, for browser apps.

use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, SameSite};

use crate::backends::csrf::{
    CookieAttributes, CsrfConfig, CsrfCookieRenewal, cookie_attribute_setters, new_secret,
};

/// Cookie mode: obtain and refresh also set the tokens as cookies, logout clears them.
///
/// * the access token in an `HttpOnly` cookie (`access_token`, `Path=/`), read by a
///   cookie JWT auth ([`JwtAuth::from_cookie`](crate::backends::jwt::JwtAuth::from_cookie));
/// * the refresh token in an `HttpOnly` cookie (`refresh_token`) whose `Path` is the refresh
///   endpoint, so the browser sends it nowhere else; refresh reads it when the body has no
///   `refresh_token`;
/// * on obtain, a new CSRF secret in the CSRF cookie (`csrftoken`, readable by scripts, a
///   year): scripts send it back in `X-CSRFToken` on unsafe requests.
///
/// Cookies are `Secure` and `SameSite=Strict` by default (the reference's advice); `secure(false)`
/// is for plain-HTTP development only. The JSON body still says what was issued. A refresh or
/// logout whose token comes from a cookie must pass the CSRF check (403 otherwise).
///
/// ```
/// use actix_web::cookie::SameSite;
/// use dmr_runtime::backends::jwt::JwtCookies;
///
/// let cookies = JwtCookies::new("/api/jwt/refresh/")
///     .same_site(SameSite::Lax)
///     .secure(false);
/// # let _ = cookies;
/// ```
#[derive(Debug, Clone)]
pub struct JwtCookies {
    pub(super) access_name: String,
    pub(super) refresh_name: String,
    pub(super) refresh_path: String,
    attributes: CookieAttributes,
    pub(super) csrf: CsrfConfig,
}

impl JwtCookies {
    /// Cookie mode whose refresh cookie is sent only to `refresh_path` (the full path of the
    /// refresh endpoint, `/api/jwt/refresh/`).
    pub fn new(refresh_path: impl Into<String>) -> Self {
        Self {
            access_name: "access_token".to_owned(),
            refresh_name: "refresh_token".to_owned(),
            refresh_path: refresh_path.into(),
            attributes: CookieAttributes::new(SameSite::Strict),
            csrf: CsrfConfig::new(),
        }
    }

    /// The access cookie's name (default `access_token`); give the cookie JWT auth the same.
    pub fn access_cookie(mut self, name: impl Into<String>) -> Self {
        self.access_name = name.into();
        self
    }

    /// The refresh cookie's name (default `refresh_token`).
    pub fn refresh_cookie(mut self, name: impl Into<String>) -> Self {
        self.refresh_name = name.into();
        self
    }

    cookie_attribute_setters!(
        secure: "Whether the cookies are `Secure` (default `true`).",
        same_site: "The cookies' `SameSite` (default `Strict`)."
    );

    /// The cookies' `Domain` (default none: the exact host).
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.attributes.domain = Some(domain.into());
        self
    }

    /// The CSRF settings: the cookie it sets and the check refresh and logout run when their
    /// token comes from a cookie (default [`CsrfConfig::new`]); give the cookie JWT auth the
    /// same.
    pub fn csrf(mut self, csrf: CsrfConfig) -> Self {
        self.csrf = csrf;
        self
    }

    /// The access cookie holding `token` for `ttl` seconds.
    pub(super) fn access(&self, token: &str, ttl: i64) -> Cookie<'static> {
        let mut c = self
            .attributes
            .build(&self.access_name, token.to_owned(), "/", true);
        c.set_max_age(Duration::seconds(ttl));
        c
    }

    /// The refresh cookie holding `token` for `ttl` seconds.
    pub(super) fn refresh(&self, token: &str, ttl: i64) -> Cookie<'static> {
        let mut c = self.attributes.build(
            &self.refresh_name,
            token.to_owned(),
            &self.refresh_path,
            true,
        );
        c.set_max_age(Duration::seconds(ttl));
        c
    }

    /// A CSRF cookie with a new secret.
    pub(super) fn csrf_cookie(&self) -> Cookie<'static> {
        self.csrf.cookie(new_secret(), &self.attributes)
    }

    /// The middleware that replaces a malformed CSRF cookie with a fresh one (this cookie
    /// mode's CSRF cookie: its name and attributes), so that a browser recovers by itself
    /// from a 403 `CSRF Failed: CSRF cookie has incorrect length.`. Wrap the app with it
    /// unless the session middleware already renews the same cookie.
    ///
    /// ```
    /// use actix_web::App;
    /// use dmr_runtime::backends::jwt::JwtCookies;
    ///
    /// let cookies = JwtCookies::new("/api/jwt/refresh/");
    /// let app = App::new().wrap(cookies.csrf_renewal());
    /// # let _ = app;
    /// ```
    pub fn csrf_renewal(&self) -> CsrfCookieRenewal {
        CsrfCookieRenewal::new(self.csrf_cookie())
    }

    /// The cookies that delete all three.
    pub(super) fn removals(&self) -> Vec<Cookie<'static>> {
        vec![
            self.attributes.removal(&self.access_name, "/", true),
            self.attributes
                .removal(&self.refresh_name, &self.refresh_path, true),
            self.csrf.cookie_removal(&self.attributes),
        ]
    }
}
