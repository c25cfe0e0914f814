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

/// A validated method: the wire name and the word the user wrote (for spans).
#[derive(Clone)]
pub struct Method {
    pub wire: &'static str,
    pub ident: Ident,
}

impl Method {
    pub fn parse(ident: &Ident) -> Result<Self, Error> {
        let word = ident.to_string();
        match METHODS.iter().find(|(w, _)| *w == word) {
            Some((_, wire)) => Ok(Self { wire, ident: ident.clone() }),
            None => {
                let expected = METHODS.iter().map(|(w, _)| format!("`{w}`")).collect::<Vec<_>>();
                Err(Error::custom(format!(
                    "unknown HTTP method `{word}`, expected one of {}",
                    expected.join(", ")
                ))
                .with_span(ident))
            }
        }
    }
}
