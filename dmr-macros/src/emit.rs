//! Fail soft: on any error, emit the user's item unchanged followed by the errors, so the
//! rest of the crate (and the IDE) keeps working.

use proc_macro2::TokenStream;
use quote::quote;

/// The original item plus one `compile_error!` per error in `err`.
pub fn with_errors(item: TokenStream, err: darling::Error) -> TokenStream {
    let errors = err.flatten().into_iter().map(compile_error);
    quote! { #item #(#errors)* }
}

/// One error, without the ` at <field>` suffix darling appends to errors raised while parsing a
/// field (`auth = []` would read "... or list at least one auth at auth"): every error here
/// already carries the span of the token at fault, which says the same thing better. darling
/// does not expose the location, so the suffix is recognised by its shape: ` at ` and a
/// `/`-separated path of field names, at the very end.
fn compile_error(err: darling::Error) -> TokenStream {
    let span = err.span();
    let message = err.to_string();
    let message = match message.rsplit_once(" at ") {
        Some((text, location))
            if !location.is_empty()
                && location.split('/').all(|f| {
                    !f.is_empty() && f.chars().all(|c| c.is_alphanumeric() || c == '_')
                }) =>
        {
            text
        }
        _ => message.as_str(),
    };
    syn::Error::new(span, message).into_compile_error()
}

#[cfg(test)]
mod tests {
    use super::with_errors;

    #[test]
    fn drops_darling_locations_and_keeps_the_item() {
        let err = darling::Error::custom("`auth = []` adds no auth").at("auth");
        let out = with_errors(
            quote::quote!(
                fn kept() {}
            ),
            err,
        )
        .to_string();
        assert!(out.starts_with("fn kept"), "{out}");
        assert!(out.contains("\"`auth = []` adds no auth\""), "{out}");
        let err = darling::Error::custom("write `/x` at the start").at("path");
        assert!(
            with_errors(quote::quote!(), err)
                .to_string()
                .contains("\"write `/x` at the start\"")
        );
    }
}
