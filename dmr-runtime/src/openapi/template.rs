//! actix path patterns as OpenAPI path templates, and the `operationId` rule.

/// An actix pattern read as an OpenAPI template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    /// The OpenAPI path: `/users/{id:\d+}` becomes `/users/{id}`.
    pub(crate) path: String,
    /// The parameter names, in order.
    pub(crate) params: Vec<String>,
}

/// Reads an actix pattern. A segment `{name}` or `{name:regex}` is a parameter (the regex may
/// hold balanced braces); an unbalanced `{` is kept as text.
pub(crate) fn parse(pattern: &str) -> Template {
    let mut path = String::with_capacity(pattern.len());
    let mut params = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match closing_brace(after) {
            Some(close) => {
                let inner = &after[..close];
                let name = inner.split_once(':').map_or(inner, |(name, _)| name).trim();
                path.push('{');
                path.push_str(name);
                path.push('}');
                params.push(name.to_owned());
                rest = &after[close + 1..];
            }
            None => {
                path.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    path.push_str(rest);
    Template { path, params }
}

/// The index of the `}` that closes a parameter whose `{` was just read.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The default `operationId` (the reference's rule): the method in lower case, then every
/// path segment with `{}` dropped, characters other than letters, digits and `-._~` removed,
/// split on `-._~`, each part capitalized (first letter upper case, the rest lower case).
///
/// `GET /api/example/` is `getApiExample`; `PUT /users/{user_id}/avatar` is
/// `putUsersUserIdAvatar`.
pub(crate) fn operation_id(method: &str, openapi_path: &str) -> String {
    let mut id = method.to_ascii_lowercase();
    let path: String = openapi_path
        .chars()
        .filter(|c| !matches!(c, '{' | '}'))
        .collect();
    for segment in path.split('/') {
        let cleaned: String = segment
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '~'))
            .collect();
        for part in cleaned
            .split(['-', '_', '.', '~'])
            .filter(|p| !p.is_empty())
        {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                id.extend(first.to_uppercase());
                id.extend(chars.flat_map(char::to_lowercase));
            }
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_become_templates() {
        let t = parse(r"/users/{id:\d+}/files/{name}");
        assert_eq!(t.path, "/users/{id}/files/{name}");
        assert_eq!(t.params, ["id", "name"]);
        let t = parse(r"/a/{code:[a-z]{2}}/b");
        assert_eq!((t.path.as_str(), t.params.len()), ("/a/{code}/b", 1));
        let t = parse("/broken/{oops");
        assert_eq!((t.path.as_str(), t.params.len()), ("/broken/{oops", 0));
        assert_eq!(parse("/").path, "/");
    }

    #[test]
    fn operation_ids_follow_the_reference_rule() {
        assert_eq!(operation_id("GET", "/api/example/"), "getApiExample");
        assert_eq!(
            operation_id("PUT", "/users/{user_id}/avatar"),
            "putUsersUserIdAvatar"
        );
        assert_eq!(
            operation_id("POST", "/per_controller/"),
            "postPerController"
        );
        assert_eq!(operation_id("DELETE", "/"), "delete");
        assert_eq!(operation_id("GET", "/a%20b/c!"), "getA20bC");
    }
}
