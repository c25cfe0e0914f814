//! HTTP methods an endpoint may declare, written as the first word of `#[endpoint(..)]`.

use darling::Error;
use syn::Ident;

/// The methods, as written in the attribute and as sent on the wire.
const METHODS: &[(&str, &str)] = &[
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("patch", "PATCH"),
    ("delete", "DELETE"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
    ("trace", "TRACE"),
];

/// A validated method: its wire name (`"GET"`).
#[derive(Clone, Copy)]
pub struct Method {
    pub wire: &'static str,
}

impl Method {
    /// Whether `word` names a method (`get`), for telling a second method from a typo.
    pub fn is_method_word(ident: &Ident) -> bool {
        METHODS.iter().any(|(w, _)| ident == w)
    }

    pub fn parse(ident: &Ident) -> Result<Self, Error> {
        let word = ident.to_string();
        if let Some((_, wire)) = METHODS.iter().find(|(w, _)| *w == word) {
            return Ok(Self { wire });
        }
        // `GET`, `Post`: the right method in the wrong case.
        let message = match METHODS.iter().find(|(w, _)| w.eq_ignore_ascii_case(&word)) {
            Some((w, _)) => format!("HTTP methods are written in lowercase, write `{w}`"),
            None => {
                let expected: Vec<_> = METHODS.iter().map(|(w, _)| format!("`{w}`")).collect();
                format!(
                    "unknown HTTP method `{word}`, expected one of {}",
                    expected.join(", ")
                )
            }
        };
        Err(Error::custom(message).with_span(ident))
    }
}
