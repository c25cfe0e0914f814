//! Doc comments to OpenAPI text: the first paragraph is the summary, the rest the
//! description. A summary is plain text in OpenAPI (only descriptions are CommonMark, and
//! Swagger UI shows a summary as it is), so its inline Markdown is reduced to its text.

use syn::{Attribute, Expr, ExprLit, Lit, Meta};

/// `(summary, description)` of an item's doc comments.
pub fn summary_and_description(attrs: &[Attribute]) -> (Option<String>, Option<String>) {
    let lines: Vec<String> = attrs
        .iter()
        .filter_map(|a| match &a.meta {
            Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|l| l.strip_prefix(' ').unwrap_or(&l).trim_end().to_owned())
        .collect();
    let text = lines.join("\n");
    let text = text.trim();
    if text.is_empty() {
        return (None, None);
    }
    match text.split_once("\n\n") {
        Some((summary, rest)) => (Some(plain(summary)), Some(rest.trim().to_owned())),
        None => (Some(plain(text)), None),
    }
}

/// One line of plain text from a Markdown paragraph: code spans and links keep their text
/// (`` `Authed<T>` `` -> `Authed<T>`, `[the docs](url)` -> `the docs`).
fn plain(paragraph: &str) -> String {
    let mut out = String::with_capacity(paragraph.len());
    let mut rest = paragraph;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '`' => {}
            '\n' => out.push(' '),
            '[' => match link(rest) {
                Some((text, after)) => {
                    out.push_str(&plain(text));
                    rest = after;
                }
                None => out.push('['),
            },
            c => out.push(c),
        }
    }
    out
}

/// After a `[`: the link text and what follows `(target)`, if `rest` is `text](target)..`.
fn link(rest: &str) -> Option<(&str, &str)> {
    let (text, after) = rest.split_once("](")?;
    let (_, after) = after.split_once(')')?;
    (!text.contains('[')).then_some((text, after))
}

#[cfg(test)]
mod tests {
    use super::summary_and_description;

    #[test]
    fn splits_first_paragraph() {
        let f: syn::ItemFn = syn::parse_quote! {
            /// List articles
            /// of the user.
            ///
            /// Newest first.
            fn f() {}
        };
        assert_eq!(
            summary_and_description(&f.attrs),
            (
                Some("List articles of the user.".into()),
                Some("Newest first.".into())
            )
        );
        let g: syn::ItemFn = syn::parse_quote!(
            fn g() {}
        );
        assert_eq!(summary_and_description(&g.attrs), (None, None));
    }

    #[test]
    fn a_summary_is_plain_text_and_the_description_keeps_its_markdown() {
        let f: syn::ItemFn = syn::parse_quote! {
            /// Who holds the `Authed<Claims>`: see [the model](crate::Model), or [x].
            ///
            /// The `sub` claim.
            fn f() {}
        };
        assert_eq!(
            summary_and_description(&f.attrs),
            (
                Some("Who holds the Authed<Claims>: see the model, or [x].".into()),
                Some("The `sub` claim.".into())
            )
        );
    }
}
