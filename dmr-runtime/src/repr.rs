//! Values inside messages, printed the way the reference prints them (Python's `repr` of a
//! string and of a list of strings), so that messages that quote a method, a media type or a
//! list of them read the same as the reference's: `'PUT'`, `['GET', 'POST']`.

/// `'text'`: a string as the reference quotes it inside a message.
///
/// Python switches to double quotes when the text holds a single quote and no double quote;
/// the values quoted here (methods, media types) hold neither.
pub(crate) fn quoted(text: &str) -> String {
    if text.contains('\'') && !text.contains('"') {
        format!("\"{text}\"")
    } else {
        format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

/// `['a', 'b']`: a list of strings as the reference prints it inside a message.
pub(crate) fn quoted_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(quoted).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_as_python_repr() {
        assert_eq!(quoted("text/plain"), "'text/plain'");
        assert_eq!(quoted("it's"), "\"it's\"");
        assert_eq!(quoted_list(["GET", "POST"]), "['GET', 'POST']");
        assert_eq!(quoted_list([]), "[]");
    }
}
