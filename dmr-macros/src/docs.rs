//! Doc comments to OpenAPI text: the first paragraph is the summary, the rest the
//! description.

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
        Some((summary, rest)) => (
            Some(summary.replace('\n', " ")),
            Some(rest.trim().to_owned()),
        ),
        None => (Some(text.replace('\n', " ")), None),
    }
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
}
