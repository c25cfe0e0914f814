//! How header names are shown in OpenAPI descriptions.

/// `x-api-auth` -> `X-Api-Auth`: actix lower-cases header names, the docs show them the way
/// users write them.
pub(crate) fn canonical_header(h: &str) -> String {
    h.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    #[test]
    fn capitalizes_each_word() {
        assert_eq!(super::canonical_header("x-api-auth"), "X-Api-Auth");
        assert_eq!(super::canonical_header("authorization"), "Authorization");
    }
}
