//! Localized error messages. An error rendered through the error model (a 401, a CSRF 403,
//! a throttle's 429, an extractor's 400) is translated into the language the request's
//! `Accept-Language` prefers, among those of the [`Messages`] catalogue, and answered with
//! `Content-Language` and `Vary: Accept-Language`. A request without the header, or whose
//! languages have no catalogue, gets English. The language is chosen per request from its
//! own header: nothing carries over to the next request.
//!
//! The built-in catalogue ([`Messages::reference`]) translates `Not authenticated` and the
//! CSRF prefix `CSRF Failed: {reason}` into Russian, Kazakh, Belarusian, Bulgarian,
//! Azerbaijani, Mexican Spanish, Persian, Hindi, Indonesian, Italian, Japanese, Kyrgyz,
//! Nepali, Brazilian Portuguese, Turkish, Tatar, Uzbek and Chinese (simplified and
//! traditional). Register another catalogue as application state to add or replace
//! messages and languages:
//!
//! ```
//! use actix_web::{App, test};
//! use dmr_runtime::backends::basic::HttpBasic;
//! use dmr_runtime::i18n::Messages;
//! use dmr_runtime::prelude::*;
//!
//! struct Notes;
//!
//! #[controller(path = "/notes", auth = [HttpBasic::new(|_, _| false)])]
//! impl Notes {
//!     #[endpoint(get, path = "/")]
//!     async fn list() -> &'static str {
//!         "[]"
//!     }
//! }
//!
//! let messages = Messages::reference()
//!     .add("fr", "Not authenticated", "Non authentifié")
//!     .unwrap()
//!     .add("ru", "Not authenticated", "Требуется вход")
//!     .unwrap();
//! let api = Api::new().state(messages).controller::<Notes>().build().unwrap();
//! # actix_web::rt::System::new().block_on(async {
//! let app = test::init_service(App::new().configure(|c| api.configure(c))).await;
//! let req = test::TestRequest::get()
//!     .uri("/notes/")
//!     .insert_header(("Accept-Language", "fr-CH, en;q=0.5"))
//!     .to_request();
//! let resp = test::call_service(&app, req).await;
//! assert_eq!(resp.headers().get("content-language").unwrap(), "fr");
//! assert_eq!(
//!     test::read_body(resp).await,
//!     r#"{"detail":[{"msg":"Non authentifié","type":"security"}]}"#
//! );
//! # });
//! ```

mod catalog;
mod negotiate;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use actix_web::http::header::{HeaderMap, HeaderValue, LanguageTag};

/// A catalogue of translated messages, by language. Message ids are the English messages
/// (`Not authenticated`); a placeholder in braces (`CSRF Failed: {reason}`) stands for text
/// that is kept as it is. Cheap to clone (shared).
///
/// ```
/// use dmr_runtime::i18n::Messages;
///
/// let messages = Messages::reference();
/// let ru = messages.locale_for("ru-RU, en;q=0.8");
/// assert_eq!(ru.tag(), "ru");
/// assert_eq!(ru.translate("Not authenticated"), "Не аутентифицирован");
/// assert_eq!(
///     ru.translate("CSRF Failed: CSRF cookie not set."),
///     "Проверка CSRF не пройдена: CSRF cookie not set."
/// );
/// assert_eq!(messages.locale_for("de").translate("Not authenticated"), "Not authenticated");
/// ```
#[derive(Clone, Debug)]
pub struct Messages(Arc<Catalogue>);

#[derive(Debug, Default, Clone)]
struct Catalogue {
    languages: Vec<Language>,
    /// Their tags, for negotiation.
    tags: Vec<Box<str>>,
    /// The index of `en`, if added (looked up for every English answer, so kept).
    english: Option<usize>,
}

#[derive(Debug, Clone)]
struct Language {
    tag: Box<str>,
    content_language: HeaderValue,
    exact: HashMap<Box<str>, Box<str>>,
    /// Messages with a placeholder: `(before, after)` in English and translated.
    templates: Vec<[Box<str>; 4]>,
}

impl Catalogue {
    fn insert(&mut self, language: &str, id: &str, text: &str) -> Result<(), InvalidLanguage> {
        let tag = LanguageTag::parse(language)
            .ok()
            .filter(|t| t.as_str().len() <= negotiate::MAX_RANGE_LEN)
            .ok_or_else(|| InvalidLanguage(language.to_owned()))?;
        let content_language = HeaderValue::from_str(tag.as_str())
            .map_err(|_| InvalidLanguage(language.to_owned()))?;
        let index = match self
            .languages
            .iter()
            .position(|l| l.tag.eq_ignore_ascii_case(tag.as_str()))
        {
            Some(i) => i,
            None => {
                self.languages.push(Language {
                    tag: tag.as_str().into(),
                    content_language,
                    exact: HashMap::new(),
                    templates: Vec::new(),
                });
                self.tags.push(tag.as_str().into());
                if tag.as_str().eq_ignore_ascii_case("en") {
                    self.english = Some(self.languages.len() - 1);
                }
                self.languages.len() - 1
            }
        };
        let lang = &mut self.languages[index];
        match (split_placeholder(id), split_placeholder(text)) {
            (Some((before, after)), Some((t_before, t_after))) => {
                lang.templates
                    .retain(|[b, a, ..]| (&**b, &**a) != (before, after));
                lang.templates
                    .push([before.into(), after.into(), t_before.into(), t_after.into()]);
            }
            _ => {
                lang.exact.insert(id.into(), text.into());
            }
        }
        Ok(())
    }
}

/// A language tag that does not parse (`Messages::add`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidLanguage(pub String);

impl std::fmt::Display for InvalidLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not a language tag: write one like `fr`, `pt-BR` or `zh-Hant`",
            self.0
        )
    }
}

impl std::error::Error for InvalidLanguage {}

/// `before{name}after` split around its placeholder.
fn split_placeholder(text: &str) -> Option<(&str, &str)> {
    let open = text.find('{')?;
    let close = open + text[open..].find('}')?;
    Some((&text[..open], &text[close + 1..]))
}

static REFERENCE: LazyLock<Messages> = LazyLock::new(|| {
    let mut catalogue = Catalogue::default();
    for (tag, not_authenticated, csrf) in catalog::BUILT_IN {
        for (id, text) in [
            (catalog::NOT_AUTHENTICATED, *not_authenticated),
            (catalog::CSRF_FAILED, *csrf),
        ] {
            // every built-in tag parses (`every_built_in_row_is_served` checks them all)
            let _ = catalogue.insert(tag, id, text);
        }
    }
    Messages(Arc::new(catalogue))
});

impl Default for Messages {
    /// [`Messages::reference`].
    fn default() -> Self {
        Self::reference()
    }
}

impl Messages {
    /// The built-in catalogue: `Not authenticated` and `CSRF Failed: {reason}` in the
    /// languages listed in the [module docs](self).
    pub fn reference() -> Self {
        REFERENCE.clone()
    }

    /// No translations: every message in English.
    pub fn english_only() -> Self {
        Self(Arc::new(Catalogue::default()))
    }

    /// Adds (or replaces) the translation of message `id` into `language` (a BCP 47 tag such
    /// as `fr`, `pt-BR` or `zh-Hant`; `en` replaces the English text itself). An `id` with a
    /// placeholder in braces (`CSRF Failed: {reason}`) translates every message that starts
    /// and ends like it, keeping the text in place of the placeholder.
    pub fn add(self, language: &str, id: &str, text: &str) -> Result<Self, InvalidLanguage> {
        let mut catalogue = Arc::unwrap_or_clone(self.0);
        catalogue.insert(language, id, text)?;
        Ok(Self(Arc::new(catalogue)))
    }

    /// The locale a request with these headers gets.
    pub fn locale(&self, headers: &HeaderMap) -> Locale<'_> {
        if !headers.contains_key(actix_web::http::header::ACCEPT_LANGUAGE) {
            return self.english();
        }
        for range in negotiate::ranked(headers) {
            let Some(tag) = range else {
                // `*`: any language will do, so the default
                return self.english();
            };
            if tag.primary_language().eq_ignore_ascii_case("en") {
                return self.english();
            }
            if let Some(found) = negotiate::lookup(&tag, &self.0.tags) {
                return self.named(found);
            }
        }
        self.english()
    }

    /// [`Messages::locale`] for an `Accept-Language` value.
    pub fn locale_for(&self, accept_language: &str) -> Locale<'_> {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(accept_language) {
            headers.insert(actix_web::http::header::ACCEPT_LANGUAGE, v);
        }
        self.locale(&headers)
    }

    fn named(&self, tag: &str) -> Locale<'_> {
        Locale(self.0.languages.iter().find(|l| &*l.tag == tag))
    }

    /// English: the `en` catalogue if one was added, the messages as written otherwise.
    pub fn english(&self) -> Locale<'_> {
        Locale(self.0.english.map(|i| &self.0.languages[i]))
    }
}

/// The language one response is written in (see [`Messages::locale`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Locale<'a>(Option<&'a Language>);

/// `Content-Language` of English.
static EN: HeaderValue = HeaderValue::from_static("en");

impl<'a> Locale<'a> {
    /// English, untranslated.
    pub const fn untranslated() -> Self {
        Self(None)
    }

    /// Whether messages are left as written (English without an `en` catalogue).
    pub fn is_untranslated(&self) -> bool {
        self.0.is_none()
    }

    /// The language tag (`ru`, `zh-Hans`, `en`).
    pub fn tag(&self) -> &'a str {
        self.0.map_or("en", |l| &l.tag)
    }

    /// The `Content-Language` value.
    pub fn content_language(&self) -> HeaderValue {
        self.0
            .map_or_else(|| EN.clone(), |l| l.content_language.clone())
    }

    /// `msg` in this language, or as it is when the catalogue has no translation.
    pub fn translate<'m>(&self, msg: &'m str) -> Cow<'m, str> {
        let Some(lang) = self.0 else {
            return Cow::Borrowed(msg);
        };
        if let Some(text) = lang.exact.get(msg) {
            return Cow::Owned(text.to_string());
        }
        for [before, after, t_before, t_after] in &lang.templates {
            if msg.len() >= before.len() + after.len()
                && msg.starts_with(&**before)
                && msg.ends_with(&**after)
            {
                let kept = &msg[before.len()..msg.len() - after.len()];
                return Cow::Owned(format!("{t_before}{kept}{t_after}"));
            }
        }
        Cow::Borrowed(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_row_is_served() {
        let messages = Messages::reference();
        for (tag, not_authenticated, csrf) in catalog::BUILT_IN {
            let locale = messages.locale_for(tag);
            assert_eq!(locale.tag(), *tag);
            assert_eq!(
                locale.translate(catalog::NOT_AUTHENTICATED),
                *not_authenticated
            );
            let reason = "CSRF cookie not set.";
            assert_eq!(
                locale.translate(&format!("CSRF Failed: {reason}")),
                csrf.replace("{reason}", reason)
            );
            // messages the catalogue does not know stay English
            assert_eq!(locale.translate("Too many requests"), "Too many requests");
        }
    }
}
