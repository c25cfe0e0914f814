//! Parsing `"/users/{id}"` into its parameters, with errors instead of panics.

use darling::Error;
use syn::LitStr;

/// A checked path template and its parameter names, in order.
#[derive(Clone)]
pub struct PathTemplate {
    pub value: String,
    pub params: Vec<String>,
    pub lit: LitStr,
}

impl PathTemplate {
    /// Checks the template: it is empty or starts with `/`, braces pair up, and every
    /// parameter has a name made of letters, digits and `_` (an actix `{name:regex}` suffix is
    /// allowed).
    pub fn parse(lit: &LitStr) -> Result<Self, Error> {
        let value = lit.value();
        let err = |msg: String| Error::custom(msg).with_span(lit);
        if !value.is_empty() && !value.starts_with('/') {
            return Err(err(format!("path `{value}` must start with `/`")));
        }
        let mut params = Vec::new();
        for segment in value.split('/') {
            let mut rest = segment;
            while let Some(open) = rest.find(['{', '}']) {
                if rest.as_bytes()[open] == b'}' {
                    return Err(err(format!("unmatched `}}` in path segment `{segment}`")));
                }
                let Some(close) = rest[open..].find('}') else {
                    return Err(err(format!(
                        "unclosed `{{` in path segment `{segment}`, close it with `}}`"
                    )));
                };
                let inner = &rest[open + 1..open + close];
                let name = inner.split(':').next().unwrap_or_default();
                if name.is_empty() {
                    return Err(err(format!(
                        "empty parameter name in path segment `{segment}`, write `{{name}}`"
                    )));
                }
                if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(err(format!(
                        "invalid parameter name `{name}` in path segment `{segment}`, use letters, digits and `_`"
                    )));
                }
                if params.iter().any(|p| p == name) {
                    return Err(err(format!("path parameter `{name}` appears twice")));
                }
                params.push(name.to_owned());
                rest = &rest[open + close + 1..];
            }
        }
        Ok(Self { value, params, lit: lit.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::PathTemplate;

    fn parse(s: &str) -> Result<Vec<String>, String> {
        let lit = syn::LitStr::new(s, proc_macro2::Span::call_site());
        PathTemplate::parse(&lit).map(|t| t.params).map_err(|e| e.to_string())
    }

    #[test]
    fn params_and_errors() {
        assert_eq!(parse("/users/{id}/posts/{post_id}").unwrap(), ["id", "post_id"]);
        assert_eq!(parse("/files/{name:.*}").unwrap(), ["name"]);
        assert_eq!(parse("").unwrap(), Vec::<String>::new());
        assert!(parse("/users/{id").unwrap_err().contains("unclosed `{` in path segment `{id`"));
        assert!(parse("/users/{}").unwrap_err().contains("empty parameter name"));
        assert!(parse("/users/id}").unwrap_err().contains("unmatched `}`"));
        assert!(parse("users").unwrap_err().contains("must start with `/`"));
        assert!(parse("/{a}/{a}").unwrap_err().contains("appears twice"));
    }
}
