//! `components.securitySchemes` (merged by name, in order of first use) and the operation
//! `security` list, from the [`AuthDoc`]s of an endpoint's chain.

use utoipa::openapi::security::{self as us, SecurityRequirement};

use super::AuthDoc;
use crate::auth::{AuthResponses, SchemeDoc};
use crate::build_error::ApiError;

/// The security schemes seen so far, each with the operation that first used it.
#[derive(Default)]
pub(crate) struct Schemes {
    seen: Vec<(SchemeDoc, String)>,
}

impl Schemes {
    /// Registers every scheme of a chain: identical definitions merge, two different ones
    /// under one name are an error naming both.
    pub(crate) fn register(&mut self, chain: &[AuthDoc], site: &str) -> Result<(), ApiError> {
        for scheme in chain.iter().flat_map(|auth| &auth.schemes) {
            match self.seen.iter().find(|(seen, _)| seen.name == scheme.name) {
                Some((seen, _)) if seen == scheme => {}
                Some((seen, first_site)) => {
                    return Err(ApiError::SchemeConflict {
                        name: scheme.name.clone(),
                        first: to_json(seen),
                        first_site: first_site.clone(),
                        second: to_json(scheme),
                        second_site: site.to_owned(),
                    });
                }
                None => self.seen.push((scheme.clone(), site.to_owned())),
            }
        }
        Ok(())
    }

    /// The schemes, in order of first use.
    pub(crate) fn into_vec(self) -> Vec<SchemeDoc> {
        self.seen.into_iter().map(|(scheme, _)| scheme).collect()
    }
}

/// The scheme object as the document prints it.
fn to_json(doc: &SchemeDoc) -> String {
    serde_json::to_string(&doc.scheme).unwrap_or_default()
}

/// The operation's `security`: one requirement object per auth, in chain order, each distinct
/// object once (an auth reachable through two layers is one alternative, listed where it first
/// appears); `None`, so no `security` key, when the chain is empty.
pub(crate) fn requirements(chain: &[AuthDoc]) -> Option<Vec<SecurityRequirement>> {
    if chain.is_empty() {
        return None;
    }
    // A requirement object is a set of scheme names: `{"a":[],"b":[]}` and `{"b":[],"a":[]}`
    // are the same alternative.
    let mut seen: Vec<Vec<&str>> = Vec::with_capacity(chain.len());
    let mut requirements = Vec::with_capacity(chain.len());
    for auth in chain {
        let mut names: Vec<&str> = auth.requirement.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        if seen.contains(&names) {
            continue;
        }
        requirements.push(
            auth.requirement
                .iter()
                .fold(SecurityRequirement::default(), |req, name| {
                    req.add(name.as_str(), Vec::<String>::new())
                }),
        );
        seen.push(names);
    }
    Some(requirements)
}

/// The error responses the chain can cause: 401 whenever there is a chain (all skipping is
/// 401), 403 when an auth checks CSRF.
pub(crate) fn responses(chain: &[AuthDoc]) -> AuthResponses {
    if chain.is_empty() {
        return AuthResponses::NONE;
    }
    chain.iter().fold(AuthResponses::UNAUTHORIZED, |all, auth| {
        all | auth.responses
    })
}

/// utoipa's model of a scheme, for [`Api::openapi`](crate::Api::openapi). It cannot say
/// everything ours does (an `http` scheme `Bearer` prints as `bearer`, and key order
/// differs), which is why the JSON document is printed from [`SchemeDoc`] directly.
pub(crate) fn to_utoipa(doc: &SchemeDoc) -> Option<us::SecurityScheme> {
    let scheme = &doc.scheme;
    let description = Some(scheme.description.clone());
    match (scheme.kind, scheme.location, &scheme.name, &scheme.scheme) {
        ("apiKey", Some(location), Some(name), _) => {
            let value = us::ApiKeyValue::with_description(name.clone(), scheme.description.clone());
            let key = match location {
                "header" => us::ApiKey::Header(value),
                "cookie" => us::ApiKey::Cookie(value),
                "query" => us::ApiKey::Query(value),
                _ => return None,
            };
            Some(us::SecurityScheme::ApiKey(key))
        }
        ("http", _, _, Some(http_scheme)) => {
            let kind = match http_scheme.to_ascii_lowercase().as_str() {
                "basic" => us::HttpAuthScheme::Basic,
                "bearer" => us::HttpAuthScheme::Bearer,
                "digest" => us::HttpAuthScheme::Digest,
                "negotiate" => us::HttpAuthScheme::Negotiate,
                _ => return None,
            };
            let mut http = us::HttpBuilder::new().scheme(kind).description(description);
            if let Some(format) = &scheme.bearer_format {
                http = http.bearer_format(format.clone());
            }
            Some(us::SecurityScheme::Http(http.build()))
        }
        ("openIdConnect", ..) => {
            let url = scheme.open_id_connect_url.clone()?;
            Some(us::SecurityScheme::OpenIdConnect(
                us::OpenIdConnect::with_description(url, scheme.description.clone()),
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Auth;

    struct Described(Vec<SchemeDoc>, AuthResponses);

    impl Auth for Described {
        type Identity = ();
        fn scheme_name(&self) -> &str {
            "described"
        }
        fn schemes(&self) -> Vec<SchemeDoc> {
            self.0.clone()
        }
        fn responses(&self) -> AuthResponses {
            self.1
        }
    }

    fn auth(schemes: Vec<SchemeDoc>, responses: AuthResponses) -> AuthDoc {
        AuthDoc::of(&Described(schemes, responses))
    }

    #[test]
    fn same_name_merges_when_identical_and_fails_when_not() {
        let jwt = SchemeDoc::http("jwt", "Bearer", Some("JWT"), "JWT token auth");
        let cookie = SchemeDoc::api_key_cookie("jwt", "access_token", "JWT token auth via cookie");
        let mut schemes = Schemes::default();
        schemes
            .register(&[auth(vec![jwt.clone()], AuthResponses::UNAUTHORIZED)], "a")
            .unwrap();
        schemes
            .register(&[auth(vec![jwt], AuthResponses::UNAUTHORIZED)], "b")
            .unwrap();
        let err = schemes
            .register(&[auth(vec![cookie], AuthResponses::UNAUTHORIZED)], "c")
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains(r#"{"type":"http","description":"JWT token auth","scheme":"Bearer","bearerFormat":"JWT"}"#), "{text}");
        assert!(text.contains(r#"{"type":"apiKey","description":"JWT token auth via cookie","name":"access_token","in":"cookie"}"#), "{text}");
        assert!(text.contains("`a`") && text.contains("`c`"), "{text}");
        assert_eq!(schemes.into_vec().len(), 1);
    }

    #[test]
    fn one_requirement_per_auth_and_none_without_a_chain() {
        let session = auth(
            vec![
                SchemeDoc::api_key_cookie("django_session", "sessionid", "s"),
                SchemeDoc::api_key_cookie("csrf", "csrftoken", "c"),
            ],
            AuthResponses::UNAUTHORIZED | AuthResponses::CSRF_FORBIDDEN,
        );
        let basic = auth(
            vec![SchemeDoc::http("http_basic", "basic", None, "b")],
            AuthResponses::UNAUTHORIZED,
        );
        let reqs = requirements(&[session.clone(), basic.clone()]).unwrap();
        let json = serde_json::to_value(&reqs).unwrap();
        assert_eq!(
            json,
            serde_json::json!([{"django_session": [], "csrf": []}, {"http_basic": []}])
        );
        assert!(requirements(&[]).is_none());
        let twice = requirements(&[
            basic.clone(),
            session.clone(),
            basic.clone(),
            session.clone(),
        ]);
        assert_eq!(
            serde_json::to_value(twice.unwrap()).unwrap(),
            serde_json::json!([{"http_basic": []}, {"django_session": [], "csrf": []}])
        );
        assert!(responses(&[session]).contains(AuthResponses::CSRF_FORBIDDEN));
        assert_eq!(responses(&[]), AuthResponses::NONE);
    }
}
