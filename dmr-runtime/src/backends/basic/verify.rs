//! The three kinds of Basic verification function; the kind decides which endpoints can use
//! the auth.

/// A verification function that neither blocks nor awaits (see `HttpBasic::new`).
#[derive(Debug, Clone)]
pub struct InlineVerifier<F>(pub(super) F);

/// A verification function that may block (see `HttpBasic::blocking`).
#[derive(Debug, Clone)]
pub struct BlockingVerifier<F>(pub(super) F);

/// An async verification function (see `HttpBasic::with_async`).
#[derive(Debug, Clone)]
pub struct AsyncVerifier<F>(pub(super) F);

/// A password check written as a plain function, `fn(user, password) -> bool`: what
/// [`BasicAuth`] and [`BlockingBasicAuth`] hold.
pub type CheckFn = fn(&str, &str) -> bool;

/// A Basic auth whose check is a plain function that neither blocks nor awaits: the short name
/// of the type a helper returns (fits sync and async endpoints, settings and scopes).
///
/// ```
/// use dmr_runtime::backends::basic::{BasicAuth, constant_time_eq};
///
/// fn check(user: &str, password: &str) -> bool {
///     constant_time_eq(user, "admin") & constant_time_eq(password, "a long password")
/// }
///
/// fn admin() -> BasicAuth {
///     BasicAuth::new(check).realm("admin")
/// }
/// # let _ = admin();
/// ```
pub type BasicAuth = super::HttpBasic<InlineVerifier<CheckFn>>;

/// A Basic auth whose check is a plain function that may block (a synchronous database
/// lookup): plain `fn` endpoints only.
///
/// ```
/// use dmr_runtime::backends::basic::BlockingBasicAuth;
///
/// fn check(user: &str, password: &str) -> bool {
///     // a blocking lookup would go here
///     user == "reports" && !password.is_empty()
/// }
///
/// fn reports() -> BlockingBasicAuth {
///     BlockingBasicAuth::blocking(check)
/// }
/// # let _ = reports();
/// ```
pub type BlockingBasicAuth = super::HttpBasic<BlockingVerifier<CheckFn>>;
