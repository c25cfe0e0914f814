//! Parsing `"/users/{id}"` into its parameters, with errors instead of panics.
//!
//! Errors point at the path literal and quote the bad segment. On a compiler where
//! `Literal::subspan` works (nightly), they point at the segment itself.

use darling::{Error, FromMeta};
use proc_macro2::Span;
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
    /// allowed), used once.
    pub fn parse(lit: &LitStr) -> Result<Self, Error> {
        let value = lit.value();
        if !value.is_empty() && !value.starts_with('/') {
            return Err(Error::custom(format!(
                "path `{value}` must start with `/`, write `/{value}`"
            ))
            .with_span(lit));
        }
        let mut params = Vec::new();
        let mut start = 0;
        for segment in value.split('/') {
            let err = |msg: String| {
                Error::custom(msg).with_span(&segment_span(lit, start, segment.len()))
            };
            let name = match param_name(segment) {
                Ok(None) => None,
                Ok(Some(name)) => Some(name),
                Err(Malformed::Unclosed) => {
                    return Err(err(format!(
                        "unclosed `{{` in path segment `{segment}`, close it with `}}`"
                    )));
                }
                Err(Malformed::Unopened) => {
                    return Err(err(format!(
                        "unmatched `}}` in path segment `{segment}`, open it with `{{`"
                    )));
                }
                Err(Malformed::Partial) => {
                    return Err(err(format!(
                        "path segment `{segment}` mixes text and a parameter, make the whole segment `{{name}}`"
                    )));
                }
            };
            if let Some(name) = name {
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
                    return Err(err(format!(
                        "path parameter `{name}` appears twice, rename one of them"
                    )));
                }
                params.push(name.to_owned());
            }
            start += segment.len() + 1;
        }
        Ok(Self {
            value,
            params,
            lit: lit.clone(),
        })
    }
}

/// `path = ".."` in either attribute: checked while the attribute is parsed, so that a bad
/// path is reported together with the other mistakes of the attribute.
impl FromMeta for PathTemplate {
    fn from_value(value: &syn::Lit) -> darling::Result<Self> {
        match value {
            syn::Lit::Str(lit) => Self::parse(lit),
            other => Err(Error::custom(
                "expected a path in a string literal, like `\"/articles\"`",
            )
            .with_span(other)),
        }
    }
}

enum Malformed {
    Unclosed,
    Unopened,
    Partial,
}

/// The parameter name of one segment: `{id}` -> `id`, `{id:\d+}` -> `id`, `users` -> none.
/// The regex after `:` may itself contain braces (`{id:\d{3}}`).
fn param_name(segment: &str) -> Result<Option<&str>, Malformed> {
    let Some(inner) = segment.strip_prefix('{') else {
        return match (segment.contains('{'), segment.contains('}')) {
            (false, false) => Ok(None),
            (true, _) if !segment.contains('}') => Err(Malformed::Unclosed),
            (false, true) => Err(Malformed::Unopened),
            _ => Err(Malformed::Partial),
        };
    };
    let (name, pattern) = inner.split_once(':').unwrap_or((inner, ""));
    let name = name.strip_suffix('}').unwrap_or(name);
    let body = if pattern.is_empty() { inner } else { pattern };
    let depth = body.chars().try_fold(1_i32, |depth, c| match c {
        '{' => Some(depth + 1),
        '}' if depth == 0 => None,
        '}' => Some(depth - 1),
        _ => Some(depth),
    });
    match depth {
        Some(0) if segment.ends_with('}') => Ok(Some(name)),
        Some(0) => Err(Malformed::Partial),
        None => Err(Malformed::Unopened),
        Some(_) => Err(Malformed::Unclosed),
    }
}

/// The span of `len` bytes at `start` of the literal's value: the segment on nightly, the
/// whole literal on stable (and whenever the literal has escapes or is raw).
fn segment_span(lit: &LitStr, start: usize, len: usize) -> Span {
    let token = lit.token();
    let plain = token.to_string() == format!("\"{}\"", lit.value());
    let inner = plain
        .then(|| token.subspan(1 + start..1 + start + len))
        .flatten();
    inner.unwrap_or_else(|| lit.span())
}

/// The route a full path matches, with parameter names erased: `/a/{id}` and `/a/{slug}`
/// are the same route to actix, `/a/{id:\d+}` is another.
pub fn route_shape(path: &str) -> String {
    path.split('/')
        .map(|segment| match param_name(segment) {
            Ok(Some(name)) => {
                let pattern = &segment[1 + name.len()..segment.len() - 1];
                format!("{{{pattern}}}")
            }
            _ => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Joins the controller path and the endpoint path (`/api/x` + `/` = `/api/x/`).
pub fn join(base: &str, path: &str) -> String {
    if path.is_empty() {
        base.to_owned()
    } else {
        format!("{}{}", base.trim_end_matches('/'), path)
    }
}

#[cfg(test)]
mod tests {
    use super::{PathTemplate, route_shape};

    fn parse(s: &str) -> Result<Vec<String>, String> {
        let lit = syn::LitStr::new(s, proc_macro2::Span::call_site());
        PathTemplate::parse(&lit)
            .map(|t| t.params)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn params_and_errors() {
        assert_eq!(
            parse("/users/{id}/posts/{post_id}").unwrap(),
            ["id", "post_id"]
        );
        assert_eq!(parse("/files/{name:.*}").unwrap(), ["name"]);
        assert_eq!(parse("/codes/{code:\\d{3}}").unwrap(), ["code"]);
        assert_eq!(parse("").unwrap(), Vec::<String>::new());
        assert_eq!(parse("/").unwrap(), Vec::<String>::new());
        assert!(
            parse("/users/{id")
                .unwrap_err()
                .contains("unclosed `{` in path segment `{id`")
        );
        assert!(
            parse("/users/{id:\\d{3}")
                .unwrap_err()
                .contains("unclosed `{`")
        );
        assert!(
            parse("/users/{}")
                .unwrap_err()
                .contains("empty parameter name")
        );
        assert!(parse("/users/id}").unwrap_err().contains("unmatched `}`"));
        assert!(
            parse("/users/x{id}")
                .unwrap_err()
                .contains("mixes text and a parameter")
        );
        assert!(
            parse("/users/{id}x")
                .unwrap_err()
                .contains("mixes text and a parameter")
        );
        assert!(
            parse("/users/{a-b}")
                .unwrap_err()
                .contains("invalid parameter name `a-b`")
        );
        assert!(
            parse("users")
                .unwrap_err()
                .contains("must start with `/`, write `/users`")
        );
        assert!(parse("/{a}/{a}").unwrap_err().contains("appears twice"));
    }

    #[test]
    fn shapes_ignore_parameter_names() {
        assert_eq!(route_shape("/a/{id}/b"), route_shape("/a/{slug}/b"));
        assert_eq!(route_shape("/a/{id:\\d+}"), "/a/{:\\d+}");
        assert_ne!(route_shape("/a/{id:\\d+}"), route_shape("/a/{id}"));
        assert_eq!(route_shape("/plain"), "/plain");
    }
}
