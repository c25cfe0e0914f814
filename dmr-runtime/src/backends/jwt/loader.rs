//! Loading your user for a checked token (after the signature and claims pass: find the
//! user the token names, then check it may log in; a refusal is a 401): the loader's kind
//! decides which endpoints can use the auth.

use std::fmt;

use super::blocklist::Revocation;
use super::{JwtAuth, JwtToken};
use crate::auth::{AsyncAuth, AuthError, AuthRequest, AuthResult, SyncAuth};

/// A user loader written as a plain function: what [`JwtUserAuth`] holds.
pub type UserLoaderFn<U> = fn(&JwtToken) -> Result<Option<U>, AuthError>;

/// A JWT auth that loads your user with a plain function (it may block: plain `fn` endpoints
/// and, with [`SyncOrAsync`](crate::SyncOrAsync), the layers): the short name of the type a
/// helper returns.
///
/// ```
/// use dmr_runtime::auth::AuthError;
/// use dmr_runtime::backends::jwt::{JwtAuth, JwtConfigError, JwtToken, JwtUserAuth, UserLoaderFn};
///
/// #[derive(Clone)]
/// struct User {
///     name: String,
/// }
///
/// fn load(token: &JwtToken) -> Result<Option<User>, AuthError> {
///     Ok(Some(User { name: token.sub.clone() }))
/// }
///
/// fn users(secret: &[u8]) -> Result<JwtUserAuth<User>, JwtConfigError> {
///     Ok(JwtAuth::hs256(secret)?.with_user_loader(load as UserLoaderFn<User>))
/// }
/// # let _ = users(b"a secret of at least thirty-two bytes");
/// ```
pub type JwtUserAuth<U, B = super::blocklist::NoBlocklist> =
    JwtAuth<SyncLoader<UserLoaderFn<U>>, B>;

/// No user loader: the identity is the [`JwtToken`] itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoLoader;

/// A user loader that may block (see [`JwtAuth::with_user_loader`]).
#[derive(Clone)]
pub struct SyncLoader<F>(F);

/// An async user loader (see [`JwtAuth::with_async_user_loader`]).
#[derive(Clone)]
pub struct AsyncLoader<F>(F);

impl<F> fmt::Debug for SyncLoader<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SyncLoader(..)")
    }
}

impl<F> fmt::Debug for AsyncLoader<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AsyncLoader(..)")
    }
}

/// What a JWT auth makes of a checked token: the loader decides the identity type (and, through
/// the `SyncAuth` / `AsyncAuth` impls, which endpoints can use the auth).
pub trait Loader: Send + Sync + 'static {
    /// The identity the auth yields.
    type Identity: Clone + Send + Sync + 'static;
}

impl Loader for NoLoader {
    type Identity = JwtToken;
}

impl<F, U> Loader for SyncLoader<F>
where
    F: Fn(&JwtToken) -> Result<Option<U>, AuthError> + Send + Sync + 'static,
    U: Clone + Send + Sync + 'static,
{
    type Identity = JwtUser<U>;
}

impl<F, Fut, U> Loader for AsyncLoader<F>
where
    F: Fn(JwtToken) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<U>, AuthError>>,
    U: Clone + Send + Sync + 'static,
{
    type Identity = JwtUser<U>;
}

/// The identity of a JWT auth with a user loader: the checked token and the loaded user.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtUser<U> {
    /// The checked token.
    pub token: JwtToken,
    /// What the loader returned.
    pub user: U,
}

impl<B> JwtAuth<NoLoader, B> {
    /// Loads the user of every checked token with `load`, which may block (a synchronous
    /// database): only sync endpoints can use the result.
    ///
    /// `Ok(Some(user))` succeeds with a [`JwtUser`]; `Ok(None)` (no such user, or an inactive
    /// one) is a 401; `Err(e)` stops the chain with `e`. Read the claim you match on
    /// (`token.sub`, `token.extras["email"]`) in `load`; a claim that cannot be converted to
    /// your key type should be `Ok(None)`, not a panic.
    ///
    /// ```
    /// use dmr_runtime::backends::jwt::JwtAuth;
    ///
    /// #[derive(Clone)]
    /// struct User {
    ///     id: u64,
    /// }
    ///
    /// let auth = JwtAuth::hs256("0123456789abcdef0123456789abcdef")
    ///     .unwrap()
    ///     .with_user_loader(|token| Ok(token.sub.parse().ok().map(|id| User { id })));
    /// # let _ = auth;
    /// ```
    pub fn with_user_loader<F, U>(self, load: F) -> JwtAuth<SyncLoader<F>, B>
    where
        F: Fn(&JwtToken) -> Result<Option<U>, AuthError> + Send + Sync + 'static,
        U: Clone + Send + Sync + 'static,
    {
        JwtAuth {
            core: self.core,
            loader: SyncLoader(load),
            revocation: self.revocation,
        }
    }

    /// Loads the user of every checked token with an async `load` (it gets its own copy of
    /// the token): only async endpoints can use the result. Results as in
    /// [`JwtAuth::with_user_loader`].
    ///
    /// ```
    /// use dmr_runtime::auth::AuthError;
    /// use dmr_runtime::backends::jwt::{JwtAuth, JwtToken};
    ///
    /// async fn find_user(token: JwtToken) -> Result<Option<String>, AuthError> {
    ///     Ok((token.sub == "1").then(|| "admin".to_owned()))
    /// }
    ///
    /// let auth = JwtAuth::hs256("0123456789abcdef0123456789abcdef")
    ///     .unwrap()
    ///     .with_async_user_loader(find_user);
    /// # let _ = auth;
    /// ```
    pub fn with_async_user_loader<F, Fut, U>(self, load: F) -> JwtAuth<AsyncLoader<F>, B>
    where
        F: Fn(JwtToken) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Option<U>, AuthError>>,
        U: Clone + Send + Sync + 'static,
    {
        JwtAuth {
            core: self.core,
            loader: AsyncLoader(load),
            revocation: self.revocation,
        }
    }
}

fn found<U>(token: JwtToken, user: Option<U>) -> AuthResult<JwtUser<U>> {
    match user {
        Some(user) => Ok(Some(JwtUser { token, user })),
        None => Err(AuthError::not_authenticated()),
    }
}

impl<F, U, B: Revocation> SyncAuth for JwtAuth<SyncLoader<F>, B>
where
    F: Fn(&JwtToken) -> Result<Option<U>, AuthError> + Send + Sync + 'static,
    U: Clone + Send + Sync + 'static,
{
    fn authenticate_sync(&self, req: &AuthRequest<'_>) -> AuthResult<JwtUser<U>> {
        let Some(token) = self.token(req)? else {
            return Ok(None);
        };
        // a 401 after the token was read: a revoked token, no such user
        let checked = self.revocation.check_sync(&token).and_then(|()| {
            let user = (self.loader.0)(&token)?;
            found(token, user)
        });
        checked.map_err(|e| self.refine(e, super::TOKEN_INVALID))
    }
}

impl<F, Fut, U, B: Revocation> AsyncAuth for JwtAuth<AsyncLoader<F>, B>
where
    F: Fn(JwtToken) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<U>, AuthError>>,
    U: Clone + Send + Sync + 'static,
{
    async fn authenticate(&self, req: &AuthRequest<'_>) -> AuthResult<JwtUser<U>> {
        let Some(token) = self.token(req)? else {
            return Ok(None);
        };
        // a 401 after the token was read: a revoked token, no such user
        let checked = async {
            self.revocation.check_async(&token).await?;
            let user = (self.loader.0)(token.clone()).await?;
            found(token, user)
        };
        checked
            .await
            .map_err(|e| self.refine(e, super::TOKEN_INVALID))
    }
}
