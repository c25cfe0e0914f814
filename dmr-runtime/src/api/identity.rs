//! The build-time half of "an `Authed<T>` needs an auth that yields `T`": the macro knows the
//! endpoint's own and its controller's auths, but the scope and settings layers are only known
//! when the API is built, so the check that covers the whole chain runs here.

use crate::auth::AuthDoc;
use crate::build_error::ApiError;
use crate::description::EndpointSpec;
use crate::description::IdentityNeed;

/// Checks every need of one endpoint against the descriptions of its effective chain.
pub(crate) fn check(
    spec: &EndpointSpec,
    needs: &[Option<IdentityNeed>],
    chain: &[AuthDoc],
) -> Result<(), ApiError> {
    for need in needs.iter().flatten() {
        let (met, argument) = match need {
            IdentityNeed::Typed { identity, argument } => {
                (chain.iter().any(|doc| doc.identity == *identity), *argument)
            }
            IdentityNeed::AnyAuth => (!chain.is_empty(), "AuthInfo"),
            IdentityNeed::Optional | IdentityNeed::Record => continue,
        };
        if !met {
            let chain = chain
                .iter()
                .map(|doc| doc.scheme_name.to_string())
                .collect();
            let site = format!("{}::{}", spec.controller, spec.name);
            return Err(ApiError::MissingIdentity {
                site,
                argument: short_name(argument),
                chain,
            });
        }
    }
    Ok(())
}

/// `dmr_runtime::extract::Authed<my_app::Claims>` -> `Authed<Claims>`: module paths dropped,
/// generics kept.
fn short_name(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut segment = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            segment.push(c);
        } else {
            out.push_str(segment.rsplit("::").next().unwrap_or_default());
            segment.clear();
            out.push(c);
        }
    }
    out.push_str(segment.rsplit("::").next().unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn short_names_keep_generics() {
        assert_eq!(
            short_name("dmr_runtime::extract::Authed<app::Claims>"),
            "Authed<Claims>"
        );
        assert_eq!(short_name("a::B<c::D, (u8, e::F)>"), "B<D, (u8, F)>");
    }
}
