//! Errors found while building the API (at startup, never per request).

use std::fmt;

/// A configuration error of an auth value, raised when the API is built (for example an HMAC
/// secret shorter than its hash).
#[derive(Debug)]
pub struct AuthConfigError(Box<dyn std::error::Error + Send + Sync>);

impl AuthConfigError {
    /// Wraps any error.
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(e.into())
    }
}

impl fmt::Display for AuthConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for AuthConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// Why [`ApiBuilder::build`](crate::ApiBuilder::build) failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// A scope both lists auth and says `no_auth()`.
    ScopeAuthConflict {
        /// The scope's prefix.
        prefix: String,
    },
    /// Two endpoints, in different controllers or scopes, handle the same method and path
    /// (parameter names aside): actix would send every request to the first one.
    RouteConflict {
        /// The method.
        method: String,
        /// The path of the second endpoint.
        path: String,
        /// `Controller::function` of the first.
        first: String,
        /// `Controller::function` of the second.
        second: String,
    },
    /// Two different OpenAPI security schemes share one name (identical ones merge).
    SchemeConflict {
        /// The scheme name both use.
        name: String,
        /// The first definition, as JSON.
        first: String,
        /// The operation that uses the first one (`GET /path (Controller::endpoint)`).
        first_site: String,
        /// The second definition, as JSON.
        second: String,
        /// The operation that uses the second one.
        second_site: String,
    },
    /// Two different schemas share one component name under `components.schemas`.
    SchemaConflict {
        /// The component name.
        name: String,
        /// The operation that brought the first definition.
        first_site: String,
        /// The operation that brought the second one.
        second_site: String,
    },
    /// Two operations share one `operationId`.
    OperationIdConflict {
        /// The id.
        id: String,
        /// The first operation.
        first: String,
        /// The second operation.
        second: String,
    },
    /// A component of an error model's schema is not JSON.
    ErrorSchema {
        /// The operation whose error model it is.
        site: String,
        /// The component name.
        name: String,
        /// Why it does not parse.
        source: serde_json::Error,
    },
    /// An auth value of an endpoint or controller could not be built.
    Auth {
        /// `Controller::endpoint` (or `Controller` for controller-level auth).
        site: String,
        /// The type of the auth (as `std::any::type_name` prints it).
        auth: &'static str,
        /// What went wrong.
        source: AuthConfigError,
    },
    /// A throttle declaration cannot be built (for example a rate string that does not parse).
    Throttle {
        /// `Controller::endpoint`, `Controller`, `settings` or `scope ".."`.
        site: String,
        /// What went wrong.
        source: AuthConfigError,
    },
    /// A scope both lists throttles and says `no_throttle()`.
    ScopeThrottleConflict {
        /// The scope's prefix.
        prefix: String,
    },
    /// An endpoint reads an identity (`Authed<T>`, `AuthInfo`) that no auth in its effective
    /// chain (endpoint, controller, scope, settings) can yield, so every request would get 401.
    MissingIdentity {
        /// `Controller::endpoint`.
        site: String,
        /// The argument type, like `Authed<Claims>`.
        argument: String,
        /// The scheme names of the endpoint's chain, in order (empty when auth is off).
        chain: Vec<String>,
    },
    /// A declaration reads application state of a type that was never registered with
    /// [`ApiBuilder::state`](crate::ApiBuilder::state).
    MissingState {
        /// The declaration: `Controller`, `Controller::endpoint`, `settings` or `scope "/p"`.
        site: String,
        /// The type it reads.
        type_name: &'static str,
        /// The types that are registered.
        registered: Vec<&'static str>,
    },
    /// Two values of one type were registered with [`ApiBuilder::state`](crate::ApiBuilder::state).
    DuplicateState {
        /// The type.
        type_name: &'static str,
    },
    /// A test override of a controller's auth (`ApiBuilder::override_auth`) cannot apply.
    Override {
        /// The controller (and endpoint) it names.
        site: String,
        /// Why, and what to do instead.
        reason: String,
    },
    /// [`ApiBuilder::docs_login`](crate::ApiBuilder::docs_login) cannot work as configured.
    DocsLogin {
        /// What to change.
        fix: &'static str,
    },
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ScopeAuthConflict { prefix } => write!(
                f,
                "scope `{prefix}` lists auth and also says `no_auth()`, which turns off every auth \
                 of the scope; remove one of the two"
            ),
            Self::RouteConflict {
                method,
                path,
                first,
                second,
            } => write!(
                f,
                "`{first}` and `{second}` both handle `{method} {path}` (path parameter names \
                 aside), so one would shadow the other; give one of them another method or path"
            ),
            Self::SchemeConflict {
                name,
                first,
                first_site,
                second,
                second_site,
            } => write!(
                f,
                "security scheme `{name}` has two different definitions: {first} (used by `{first_site}`) \
                 and {second} (used by `{second_site}`); give one of the auths another scheme name"
            ),
            Self::SchemaConflict {
                name,
                first_site,
                second_site,
            } => write!(
                f,
                "schema component `{name}` has two different definitions (used by `{first_site}` and \
                 by `{second_site}`); give one of the types another schema name"
            ),
            Self::OperationIdConflict { id, first, second } => write!(
                f,
                "operationId `{id}` is used by both `{first}` and `{second}`; set \
                 `operation_id = \"..\"` on one of them"
            ),
            Self::ErrorSchema { site, name, source } => write!(
                f,
                "schema component `{name}` of the error model of `{site}` is not JSON: {source}"
            ),
            Self::Auth { site, auth, source } => write!(
                f,
                "auth `{}` in `auth = [..]` of {} cannot be built: {source}",
                short_type_name(auth),
                Site(site)
            ),
            Self::Throttle { site, source } => {
                write!(f, "throttle of {} cannot be built: {source}", Site(site))
            }
            Self::ScopeThrottleConflict { prefix } => write!(
                f,
                "scope \"{prefix}\" lists throttles and says `no_throttle()`, remove one of them"
            ),
            Self::MissingIdentity {
                site,
                argument,
                chain,
            } if chain.is_empty() => write!(
                f,
                "`{site}` takes `{argument}` but has no auth (`auth = none`, or no layer lists any), so it can never be extracted"
            ),
            Self::MissingIdentity {
                site,
                argument,
                chain,
            } => write!(
                f,
                "`{site}` takes `{argument}` but no auth in its chain ({}) yields that identity, so it can never be extracted",
                chain
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::MissingState {
                site,
                type_name,
                registered,
            } => {
                write!(
                    f,
                    "`{site}` builds its auth from application state of type `{type_name}`, which \
                     was not registered; add `.state(value)` with a `{type_name}` to the API builder"
                )?;
                if registered.is_empty() {
                    write!(f, " (no state is registered)")?;
                } else {
                    let names: Vec<String> = registered.iter().map(|t| format!("`{t}`")).collect();
                    write!(f, " (registered: {})", names.join(", "))?;
                }
                // auth is built once, before any `App` (and its app data) exists
                f.write_str(
                    "; a value given to `App::app_data` is not visible to auth: register it with \
                     `.state(value)`, which handlers also read as `web::Data`",
                )
            }
            Self::DuplicateState { type_name } => write!(
                f,
                "application state of type `{type_name}` is registered twice; register it once, \
                 or wrap one of the values in a type of its own"
            ),
            Self::Override { site, reason } => {
                write!(f, "cannot override the auth of `{site}`: {reason}")
            }
            Self::DocsLogin { fix } => write!(f, "the docs page cannot log in: {fix}"),
        }
    }
}

/// A declaration site as a reader finds it: `controller `C``, `endpoint `C::f``, `settings`
/// or `scope "/p"`.
struct Site<'a>(&'a str);

impl fmt::Display for Site<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            site if site == "settings" || site.starts_with("scope ") => f.write_str(site),
            site if site.contains("::") => write!(f, "endpoint `{site}`"),
            site => write!(f, "controller `{site}`"),
        }
    }
}

/// The name of a type without its module path and generic arguments: `HttpBasic` rather
/// than `dmr_runtime::backends::basic::HttpBasic<dmr_runtime::..::InlineVerifier<..>>`.
fn short_type_name(name: &str) -> &str {
    let path = name.split('<').next().unwrap_or(name);
    path.rsplit("::").next().unwrap_or(path)
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Auth { source, .. } | Self::Throttle { source, .. } => Some(source),
            Self::ErrorSchema { source, .. } => Some(source),
            Self::SchemeConflict { .. }
            | Self::SchemaConflict { .. }
            | Self::OperationIdConflict { .. } => None,
            Self::MissingIdentity { .. }
            | Self::MissingState { .. }
            | Self::DuplicateState { .. }
            | Self::Override { .. }
            | Self::ScopeAuthConflict { .. }
            | Self::ScopeThrottleConflict { .. }
            | Self::RouteConflict { .. }
            | Self::DocsLogin { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_lose_their_paths_and_arguments() {
        assert_eq!(
            short_type_name(
                "dmr_runtime::backends::basic::HttpBasic<dmr_runtime::backends::basic::InlineVerifier<fn(&str, &str) -> bool>>"
            ),
            "HttpBasic"
        );
        assert_eq!(short_type_name("JwtAuth"), "JwtAuth");
        assert_eq!(short_type_name("my_app::auth::Ldap"), "Ldap");
    }

    fn auth_error(site: &str) -> String {
        ApiError::Auth {
            site: site.to_owned(),
            auth: "dmr_runtime::backends::jwt::JwtAuth<dmr_runtime::backends::jwt::NoLoader>",
            source: AuthConfigError::new("the HS256 secret is 5 bytes long; use a longer one"),
        }
        .to_string()
    }

    #[test]
    fn an_auth_error_names_the_auth_its_site_and_the_fix() {
        assert_eq!(
            auth_error("Articles"),
            "auth `JwtAuth` in `auth = [..]` of controller `Articles` cannot be built: the HS256 \
             secret is 5 bytes long; use a longer one"
        );
        assert_eq!(
            auth_error("Articles::list"),
            "auth `JwtAuth` in `auth = [..]` of endpoint `Articles::list` cannot be built: the \
             HS256 secret is 5 bytes long; use a longer one"
        );
    }

    #[test]
    fn a_throttle_error_names_its_layer() {
        let err = |site: &str| ApiError::Throttle {
            site: site.to_owned(),
            source: AuthConfigError::new("`5/fortnight` is not a rate"),
        };
        assert_eq!(
            err("settings").to_string(),
            "throttle of settings cannot be built: `5/fortnight` is not a rate"
        );
        assert_eq!(
            err("scope \"/api\"").to_string(),
            "throttle of scope \"/api\" cannot be built: `5/fortnight` is not a rate"
        );
        assert_eq!(
            err("Reports::today").to_string(),
            "throttle of endpoint `Reports::today` cannot be built: `5/fortnight` is not a rate"
        );
    }
}
