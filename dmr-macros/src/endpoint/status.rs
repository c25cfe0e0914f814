//! `status = 201` on `#[endpoint]`: the status a successful call answers and its operation
//! documents.

use darling::{Error, FromMeta};
use syn::{Expr, Lit, Meta};

/// A checked final status code (200 to 599).
#[derive(Clone, Copy)]
pub struct StatusDecl(pub u16);

const HINT: &str = "write the number, like `status = 201`";

impl FromMeta for StatusDecl {
    fn from_meta(item: &Meta) -> darling::Result<Self> {
        let Meta::NameValue(nv) = item else {
            return Err(
                Error::custom(format!("expected `status = <code>`, {HINT}")).with_span(item)
            );
        };
        let lit = match &nv.value {
            Expr::Lit(e) => &e.lit,
            // `status = (201)`, `status = StatusCode::CREATED`, `status = CREATED`
            other => {
                return Err(Error::custom(format!(
                    "expected an integer status code, found an expression; {HINT}"
                ))
                .with_span(other));
            }
        };
        let found = match lit {
            Lit::Int(int) => return check(int),
            Lit::Str(_) => "a string",
            Lit::Float(_) => "a float",
            Lit::Bool(_) => "a boolean",
            Lit::Char(_) => "a character",
            _ => "a literal of another kind",
        };
        Err(Error::custom(format!(
            "expected an integer status code, found {found}; {HINT}"
        ))
        .with_span(lit))
    }
}

fn check(int: &syn::LitInt) -> darling::Result<StatusDecl> {
    let digits = int.base10_digits();
    match int.base10_parse::<u16>() {
        Ok(code @ 200..=599) => Ok(StatusDecl(code)),
        Ok(code @ 100..=199) => Err(Error::custom(format!(
            "`{code}` is an informational status, which cannot end a response; use a final status from 200 to 599"
        ))
        .with_span(int)),
        _ => Err(Error::custom(format!(
            "`{digits}` is not an HTTP status code, use one from 200 to 599"
        ))
        .with_span(int)),
    }
}
