//! A `WWW-Authenticate` challenge refined for one response: what a refused credential adds to
//! its auth's challenge (RFC 6750 section 3: `Bearer error="invalid_token"`).

use std::borrow::Cow;

/// The challenge of the auth that refused a credential, with the auth-params this one 401
/// adds to it.
///
/// An auth declares its challenge once ([`Auth::challenge`](super::Auth::challenge), sent
/// with every 401 of a chain that contains it). When it reads a credential and refuses it,
/// it can return [`AuthError::not_authenticated`](super::AuthError::not_authenticated)
/// `.with_challenge(..)`: the 401 then sends this challenge in place of the declared one,
/// and every other challenge of the chain unchanged. The error travels in the return value,
/// so it works for sync chains (run on the blocking pool) as for async ones.
///
/// Parameter values are sent as quoted strings, escaped; a character that cannot be sent in
/// a header (a control character, anything outside ASCII) becomes `?`. Never put the client's
/// own input in a value: the description is for the client's developer, not an echo.
///
/// ```
/// use dmr_runtime::auth::Challenge;
///
/// let refused = Challenge::invalid_token("Bearer", "The access token expired");
/// assert_eq!(
///     refused.render(),
///     r#"Bearer error="invalid_token", error_description="The access token expired""#,
/// );
/// let with_realm = Challenge::new(r#"Bearer realm="api""#).param("error", "invalid_token");
/// assert_eq!(with_realm.render(), r#"Bearer realm="api", error="invalid_token""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    base: Cow<'static, str>,
    params: Vec<(&'static str, Cow<'static, str>)>,
}

impl Challenge {
    /// Refines `base`, the challenge the auth declares (exactly as its
    /// [`Auth::challenge`](super::Auth::challenge) returns it).
    pub fn new(base: impl Into<Cow<'static, str>>) -> Self {
        Self {
            base: base.into(),
            params: Vec::new(),
        }
    }

    /// RFC 6750's answer to a bearer token that was presented and refused:
    /// `error="invalid_token"` and a short `error_description`.
    pub fn invalid_token(base: impl Into<Cow<'static, str>>, description: &'static str) -> Self {
        Self::new(base)
            .param("error", "invalid_token")
            .param("error_description", description)
    }

    /// Adds `name="value"`. A name that is not an HTTP token (letters, digits and
    /// ``!#$%&'*+-.^_`|~``) is left out when the challenge is rendered.
    pub fn param(mut self, name: &'static str, value: impl Into<Cow<'static, str>>) -> Self {
        self.params.push((name, value.into()));
        self
    }

    /// The declared challenge this one refines.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The challenge as sent: the declared one followed by the parameters.
    pub fn render(&self) -> String {
        let mut out = self.base.clone().into_owned();
        // `Basic realm="x"` has parameters already; `Bearer` has none yet.
        let mut separator = if out.trim().contains(' ') { ", " } else { " " };
        for (name, value) in self.params.iter().filter(|(n, _)| is_token(n)) {
            out.push_str(separator);
            out.push_str(name);
            out.push_str("=\"");
            for c in value.chars() {
                match c {
                    '"' | '\\' => {
                        out.push('\\');
                        out.push(c);
                    }
                    ' ' | '\t' | '!'..='~' => out.push(c),
                    _ => out.push('?'),
                }
            }
            out.push('"');
            separator = ", ";
        }
        out
    }
}

/// Whether `s` is an HTTP token (RFC 9110 section 5.6.2).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_and_unsendable_characters_replaced() {
        let c = Challenge::new("Bearer")
            .param("error_description", "a \"quoted\" \\ back\r\nslash é")
            .param("bad name", "left out")
            .param("", "left out");
        assert_eq!(
            c.render(),
            r#"Bearer error_description="a \"quoted\" \\ back??slash ?""#
        );
        assert_eq!(c.base(), "Bearer");
    }

    #[test]
    fn no_params_is_the_declared_challenge() {
        assert_eq!(Challenge::new("Bearer").render(), "Bearer");
    }
}
