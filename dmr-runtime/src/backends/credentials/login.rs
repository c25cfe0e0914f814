//! [`PasswordLogin`]: the password half of every credential controller (session login, JWT
//! obtain, token obtain): the user store, the password gate and the login throttles, written
//! once and read by each of them.

use std::sync::Arc;

use actix_web::HttpRequest;

use super::{CredentialError, GateError, PasswordGate};
use crate::backends::users::{StoredUser, UserStore, UserStoreError};
use crate::throttle::login::{LoginAttempt, LoginThrottles};
use crate::throttle::{AsyncStore, Throttle};

/// Where failed logins are logged from.
const SITE: &str = "password login";

/// How a credential controller checks a user name and a password: the user store, the
/// [`PasswordGate`] the Argon2 checks pass through and the login throttles counted before
/// any password is hashed.
///
/// [`SessionConfig`](crate::backends::session::SessionConfig),
/// [`JwtIssuer`](crate::backends::jwt::JwtIssuer) and
/// [`ApiTokens`](crate::backends::tokens::ApiTokens) each hold one. Clones share the gate's
/// slots and queue; give the same `PasswordLogin` to all three (their `password_login`
/// method) and the process has one bound on password checks across every credential
/// endpoint. The throttles' counters live in their stores under one namespace for every
/// credential endpoint, so one account has one guess budget whichever endpoint is asked
/// (the in-memory store is shared by the process; a Redis store by every server using it).
///
/// The defaults: the process's gate ([`PasswordGate::default`]: one running check per CPU, 64
/// waiting for at most 5 seconds, shared by every configuration not given a gate of its own); 10 attempts per minute per client address and per user name
/// (GCRA: 10 at once, then one every 6 seconds).
///
/// ```
/// use dmr_runtime::backends::credentials::PasswordLogin;
/// use dmr_runtime::backends::users::MemoryUsers;
/// use dmr_runtime::throttle::Throttle;
///
/// let users = MemoryUsers::new();
/// users.add("1", "ada", "correct horse").unwrap();
/// let login = PasswordLogin::new(users)
///     .max_concurrent_logins(2)
///     .login_throttle(Some(Throttle::per_minute(5).smooth()));
/// assert_eq!(login.get_password_gate().get_max_running(), 2);
/// assert_eq!(login.get_login_throttle().unwrap().rate().max(), 5);
/// # actix_web::rt::System::new().block_on(async {
/// let found = login.authenticate("ada".into(), "correct horse".into()).await.unwrap();
/// assert_eq!(found.unwrap().id, "1");
/// # });
/// ```
#[derive(Clone)]
pub struct PasswordLogin {
    users: Arc<dyn UserStore>,
    gate: PasswordGate,
    throttles: LoginThrottles,
}

impl std::fmt::Debug for PasswordLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordLogin")
            .field("password_gate", &self.gate)
            .field("login_throttle", &self.throttles.per_address())
            .field("username_throttle", &self.throttles.per_username())
            .finish_non_exhaustive()
    }
}

impl PasswordLogin {
    /// Logins against `users`, with the default gate and throttles.
    pub fn new(users: impl UserStore) -> Self {
        Self::with_users(Arc::new(users))
    }

    /// [`new`](Self::new) over a user store already shared (an `Arc` another component holds).
    pub fn with_users(users: Arc<dyn UserStore>) -> Self {
        Self {
            users,
            gate: PasswordGate::default(),
            throttles: LoginThrottles::default(),
        }
    }

    /// The user store.
    pub fn users(&self) -> &Arc<dyn UserStore> {
        &self.users
    }

    /// The gate password checks pass through (a full gate answers 503 with `Retry-After`).
    pub fn password_gate(mut self, gate: PasswordGate) -> Self {
        self.gate = gate;
        self
    }

    /// The gate password checks pass through.
    pub fn get_password_gate(&self) -> &PasswordGate {
        &self.gate
    }

    /// How many password checks may run at once (at least 1): a gate of its own with that
    /// bound and the current gate's queue and wait.
    pub fn max_concurrent_logins(mut self, max: usize) -> Self {
        self.gate = self.gate.max_running(max);
        self
    }

    /// The per-client-address throttle, `None` to turn it off. The default one keys by the
    /// connection's peer address, or by the address a trusted proxy forwarded when the
    /// controller's configuration trusts forwarding headers; a throttle given here keeps its
    /// own key.
    pub fn login_throttle(mut self, throttle: Option<Throttle>) -> Self {
        self.throttles.set_per_address(throttle);
        self
    }

    /// The per-user-name throttle (the name is hashed before it is used as a key), `None` to
    /// turn it off. It protects one account from guessing spread over many addresses, at the
    /// price of letting anyone delay that account's logins.
    pub fn username_throttle(mut self, throttle: Option<Throttle>) -> Self {
        self.throttles.set_per_username(throttle);
        self
    }

    /// Keeps the login throttles' counters in `store` instead of this process's memory: give
    /// every server the same store (a [`RedisStore`](crate::throttle::RedisStore)) and one
    /// address, and one account, have one guess budget across all of them. The store is
    /// awaited; a sync credential controller waits for it on actix's blocking pool. A store
    /// that does not answer refuses the login with 503 (the throttles fail closed).
    ///
    /// ```
    /// use dmr_runtime::backends::credentials::PasswordLogin;
    /// use dmr_runtime::backends::users::MemoryUsers;
    /// use dmr_runtime::throttle::RedisStore;
    ///
    /// let shared = RedisStore::new("redis://127.0.0.1:6379").unwrap().prefix("shop:throttle:");
    /// let login = PasswordLogin::new(MemoryUsers::new()).throttle_store(shared);
    /// assert_eq!(login.get_login_throttle().unwrap().rate().max(), 10); // the default limits
    /// ```
    pub fn throttle_store<S: AsyncStore>(mut self, store: S) -> Self {
        self.throttles.set_store(store);
        self
    }

    /// The per-client-address login throttle, if any.
    pub fn get_login_throttle(&self) -> Option<&Throttle> {
        self.throttles.per_address()
    }

    /// The per-user-name login throttle, if any.
    pub fn get_username_throttle(&self) -> Option<&Throttle> {
        self.throttles.per_username()
    }

    /// The active user with these credentials ([`UserStore::authenticate`]) through the gate
    /// (waiting for a turn holds no thread). Counts no throttle: a login endpoint of your own
    /// should call [`login`](Self::login).
    pub async fn authenticate(
        &self,
        username: String,
        password: String,
    ) -> Result<Option<StoredUser>, GateError> {
        self.gate
            .authenticate(Arc::clone(&self.users), username, password)
            .await
    }

    /// [`authenticate`](Self::authenticate) for a caller already on actix's blocking pool.
    pub fn authenticate_blocking(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<StoredUser>, GateError> {
        self.gate
            .authenticate_blocking(&*self.users, username, password)
    }

    /// A whole login, as the credential controllers run it: counts the attempt against the
    /// throttles (429 when one refuses, before any password is hashed), then checks the
    /// password through the gate. `Err` is the answer: 401 for an unknown user, a wrong
    /// password or an inactive user, 429, 503 when the gate is full, 500 when the store failed.
    /// `trust_forwarded`: whether the default per-address throttle reads forwarding headers.
    ///
    /// ```
    /// use actix_web::test::TestRequest;
    /// use dmr_runtime::backends::credentials::{CredentialError, PasswordLogin};
    /// use dmr_runtime::backends::users::MemoryUsers;
    ///
    /// let users = MemoryUsers::new();
    /// users.add("1", "ada", "correct horse").unwrap();
    /// let login = PasswordLogin::new(users);
    /// let req = || TestRequest::default().peer_addr("192.0.2.7:4000".parse().unwrap());
    /// # actix_web::rt::System::new().block_on(async {
    /// let user = login
    ///     .login(&req().to_http_request(), false, ("ada".into(), "correct horse".into()))
    ///     .await
    ///     .unwrap();
    /// assert_eq!(user.id, "1");
    /// let refused = login
    ///     .login(&req().to_http_request(), false, ("ada".into(), "guess".into()))
    ///     .await;
    /// assert!(matches!(refused, Err(CredentialError::NotAuthenticated)));
    /// # });
    /// ```
    pub async fn login(
        &self,
        req: &HttpRequest,
        trust_forwarded: bool,
        (username, password): (String, String),
    ) -> Result<StoredUser, CredentialError> {
        self.throttles
            .check(req, &username, trust_forwarded)
            .await
            .map_err(CredentialError::Throttled)?;
        let found = self
            .authenticate(username, password)
            .await
            .map_err(|e| CredentialError::gate(SITE, e))?;
        found.ok_or(CredentialError::NotAuthenticated)
    }

    /// [`login`](Self::login) on the blocking pool, with the attempt taken from the request
    /// before the controller moved there (where the request is not available).
    pub(crate) fn login_blocking(
        &self,
        attempt: &LoginAttempt,
        (username, password): (String, String),
    ) -> Result<StoredUser, CredentialError> {
        attempt
            .check_blocking(&username)
            .map_err(CredentialError::Throttled)?;
        let found = self
            .authenticate_blocking(&username, &password)
            .map_err(|e| CredentialError::gate(SITE, e))?;
        found.ok_or(CredentialError::NotAuthenticated)
    }

    /// The user with this id, from an async context: a blocking store is asked on actix's
    /// blocking pool, any other one right here.
    pub async fn find_user(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        if !self.users.is_blocking() {
            return self.users.find_by_id(id);
        }
        let users = Arc::clone(&self.users);
        let id = id.to_owned();
        actix_web::web::block(move || users.find_by_id(&id))
            .await
            .map_err(UserStoreError::new)?
    }

    /// The throttles, for the sync controllers' request extractor.
    pub(crate) fn throttles(&self) -> &LoginThrottles {
        &self.throttles
    }
}

/// The delegating methods a credential configuration has over its [`PasswordLogin`] field
/// `login` (its documented `login_throttle` and `max_concurrent_logins` stay its own: their
/// defaults differ). `$view` names its login controller.
macro_rules! password_login_accessors {
    ($view:literal) => {
        /// The [`PasswordLogin`](crate::backends::credentials::PasswordLogin) of
        #[doc = concat!($view, ": its user store, password gate and login throttles. Give ")]
        /// one `PasswordLogin` to every credential configuration so that they share one
        /// bound on password checks.
        pub fn password_login(
            mut self,
            login: crate::backends::credentials::PasswordLogin,
        ) -> Self {
            self.login = login;
            self
        }

        /// Its [`PasswordLogin`](crate::backends::credentials::PasswordLogin).
        pub fn get_password_login(&self) -> &crate::backends::credentials::PasswordLogin {
            &self.login
        }

        #[doc = concat!("The per-user-name throttle of ", $view, ": see ")]
        /// [`PasswordLogin::username_throttle`](crate::backends::credentials::PasswordLogin::username_throttle).
        /// Default: the same rate as [`login_throttle`](Self::login_throttle).
        pub fn username_throttle(mut self, throttle: Option<crate::throttle::Throttle>) -> Self {
            self.login = self.login.username_throttle(throttle);
            self
        }

        #[doc = concat!("Keeps the login throttles' counters of ", $view, " in `store` (shared ")]
        /// by every server): see
        /// [`PasswordLogin::throttle_store`](crate::backends::credentials::PasswordLogin::throttle_store).
        pub fn throttle_store<S: crate::throttle::AsyncStore>(mut self, store: S) -> Self {
            self.login = self.login.throttle_store(store);
            self
        }

        /// The per-client-address login throttle, if any.
        pub fn get_login_throttle(&self) -> Option<&crate::throttle::Throttle> {
            self.login.get_login_throttle()
        }

        /// The per-user-name login throttle, if any.
        pub fn get_username_throttle(&self) -> Option<&crate::throttle::Throttle> {
            self.login.get_username_throttle()
        }

        #[doc = concat!("The gate the password checks of ", $view, " pass through (a full ")]
        /// gate answers 503 with `Retry-After`). Share one gate between every credential
        /// endpoint (or one [`password_login`](Self::password_login)) so that together they
        /// stay within one bound.
        pub fn password_gate(mut self, gate: crate::backends::credentials::PasswordGate) -> Self {
            self.login = self.login.password_gate(gate);
            self
        }

        /// The gate password checks pass through.
        pub fn get_password_gate(&self) -> &crate::backends::credentials::PasswordGate {
            self.login.get_password_gate()
        }

        /// The bound on concurrent password verifications.
        pub fn get_max_concurrent_logins(&self) -> usize {
            self.login.get_password_gate().get_max_running()
        }

        /// The user store.
        pub fn users(&self) -> &std::sync::Arc<dyn crate::backends::users::UserStore> {
            self.login.users()
        }
    };
}
pub(crate) use password_login_accessors;
