//! [`PasswordLogin`]: the password half of every credential controller (session login, JWT
//! obtain, token obtain): the user store, the password gate, the login throttles and the
//! device cookies, written once and read by each of them.

use std::sync::Arc;

use actix_web::HttpRequest;
use actix_web::cookie::Cookie;

use super::device::{DeviceClaim, DeviceCookies};
use super::{CredentialError, GateError, PasswordGate};
use crate::backends::users::{StoredUser, UserStore, UserStoreError};
use crate::throttle::login::{Counted, LoginAttempt, LoginThrottles};
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
/// waiting for at most 5 seconds, shared by every configuration not given a gate of its own);
/// 10 attempts per minute per client address and per user name (GCRA: 10 at once, then one
/// every 6 seconds); no device cookies (with [`device_cookies`](Self::device_cookies), the
/// per-user-name limit locks out untrusted clients only, not the devices the account's owner
/// logged in from).
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
    devices: Option<Arc<DeviceCookies>>,
}

/// A successful [`PasswordLogin::login`]: the user, and the device cookie to send with the
/// answer (with [`device_cookies`](PasswordLogin::device_cookies)), which makes the client
/// a trusted device of the account for its next logins.
#[derive(Debug, Clone)]
pub struct LoginSuccess {
    /// The active user whose password it was.
    pub user: StoredUser,
    /// The device cookie to set, if device cookies are on.
    pub device_cookie: Option<Cookie<'static>>,
}

impl std::fmt::Debug for PasswordLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordLogin")
            .field("password_gate", &self.gate)
            .field("login_throttle", &self.throttles.per_address())
            .field("username_throttle", &self.throttles.per_username())
            .field("device_cookies", &self.devices)
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
            devices: None,
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

    /// Issues a device cookie on every successful login, and judges a client presenting a
    /// valid one for the account by that device's own throttle instead of the account's
    /// (OWASP's device cookies: see [`DeviceCookies`]). `None` turns them off (the default).
    ///
    /// ```
    /// use dmr_runtime::backends::credentials::{DeviceCookies, PasswordLogin};
    /// use dmr_runtime::backends::users::MemoryUsers;
    /// use dmr_runtime::throttle::Throttle;
    ///
    /// let devices = DeviceCookies::new(b"0123456789abcdef0123456789abcdef")
    ///     .unwrap()
    ///     .throttle(Throttle::per_hour(20).smooth());
    /// let login = PasswordLogin::new(MemoryUsers::new()).device_cookies(devices);
    /// assert_eq!(login.get_device_cookies().unwrap().get_throttle().rate().max(), 20);
    /// ```
    pub fn device_cookies(mut self, devices: impl Into<Option<DeviceCookies>>) -> Self {
        self.devices = devices.into().map(Arc::new);
        let device = self
            .devices
            .as_ref()
            .map(|d| (d.get_cookie_name().to_owned(), d.get_throttle().clone()));
        self.throttles.set_per_device(device);
        self
    }

    /// The device cookies, if on.
    pub fn get_device_cookies(&self) -> Option<&DeviceCookies> {
        self.devices.as_deref()
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
    /// With [`device_cookies`](Self::device_cookies), a request presenting a valid device
    /// cookie for this account is counted by that device's throttle instead of the
    /// per-user-name one (one look-up of the user, no password hashed, to see that the cookie
    /// predates no password change), and a success carries a new device cookie to send.
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
    /// let ok = login
    ///     .login(&req().to_http_request(), false, ("ada".into(), "correct horse".into()))
    ///     .await
    ///     .unwrap();
    /// assert_eq!(ok.user.id, "1");
    /// assert!(ok.device_cookie.is_none(), "device cookies are off by default");
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
    ) -> Result<LoginSuccess, CredentialError> {
        let attempt = self.throttles.attempt(req, trust_forwarded);
        let throttled = CredentialError::Throttled;
        attempt.check_address().await.map_err(throttled)?;
        let device = match self.device_claim(&attempt, &username) {
            Some((devices, claim)) => {
                let found = self.find_by_name(&username).await;
                confirmed(devices, claim, found)
            }
            None => None,
        };
        attempt
            .check_account(counted(&username, device.as_deref()))
            .await
            .map_err(throttled)?;
        let found = self
            .authenticate(username, password)
            .await
            .map_err(|e| CredentialError::gate(SITE, e))?;
        self.succeeded(found)
    }

    /// [`login`](Self::login) on the blocking pool, with the attempt taken from the request
    /// before the controller moved there (where the request is not available).
    pub(crate) fn login_blocking(
        &self,
        attempt: &LoginAttempt,
        (username, password): (String, String),
    ) -> Result<LoginSuccess, CredentialError> {
        let throttled = CredentialError::Throttled;
        attempt.check_address_blocking().map_err(throttled)?;
        let device = self
            .device_claim(attempt, &username)
            .and_then(|(devices, claim)| {
                confirmed(devices, claim, self.users.find_by_username(&username))
            });
        attempt
            .check_account_blocking(counted(&username, device.as_deref()))
            .map_err(throttled)?;
        let found = self
            .authenticate_blocking(&username, &password)
            .map_err(|e| CredentialError::gate(SITE, e))?;
        self.succeeded(found)
    }

    /// The device cookie of `attempt`, if it is a valid one for the account `username` (its
    /// stamp not checked yet).
    fn device_claim(
        &self,
        attempt: &LoginAttempt,
        username: &str,
    ) -> Option<(&DeviceCookies, DeviceClaim)> {
        let devices = self.devices.as_deref()?;
        let claim = devices.presented(attempt.device_cookie()?, username)?;
        Some((devices, claim))
    }

    /// The answer to a checked password: the user and a new device cookie, or 401.
    fn succeeded(&self, found: Option<StoredUser>) -> Result<LoginSuccess, CredentialError> {
        let user = found.ok_or(CredentialError::NotAuthenticated)?;
        let device_cookie = self.devices.as_ref().map(|d| d.issue(&user));
        Ok(LoginSuccess {
            user,
            device_cookie,
        })
    }

    /// The user with this login name, from an async context (as [`find_user`](Self::find_user)).
    async fn find_by_name(&self, username: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.look_up(username, |users, name| users.find_by_username(name))
            .await
    }

    /// The user with this id, from an async context: a blocking store is asked on actix's
    /// blocking pool, any other one right here.
    pub async fn find_user(&self, id: &str) -> Result<Option<StoredUser>, UserStoreError> {
        self.look_up(id, |users, id| users.find_by_id(id)).await
    }

    /// `find(users, key)`: on actix's blocking pool for a blocking store, right here otherwise.
    async fn look_up(
        &self,
        key: &str,
        find: fn(&dyn UserStore, &str) -> Result<Option<StoredUser>, UserStoreError>,
    ) -> Result<Option<StoredUser>, UserStoreError> {
        if !self.users.is_blocking() {
            return find(&*self.users, key);
        }
        let (users, key) = (Arc::clone(&self.users), key.to_owned());
        actix_web::web::block(move || find(&*users, &key))
            .await
            .map_err(UserStoreError::new)?
    }

    /// The throttles, for the sync controllers' request extractor.
    pub(crate) fn throttles(&self) -> &LoginThrottles {
        &self.throttles
    }
}

/// The nonce of a device whose cookie still holds for the user found: a trusted device. A
/// user store that fails leaves the client untrusted (the account's counter applies).
fn confirmed(
    devices: &DeviceCookies,
    claim: DeviceClaim,
    found: Result<Option<StoredUser>, UserStoreError>,
) -> Option<String> {
    let user = found.ok().flatten()?;
    devices.confirms(&claim, &user).then_some(claim.nonce)
}

/// Whom an attempt for `username` counts against: the trusted `device`, else the account.
fn counted<'a>(username: &'a str, device: Option<&'a str>) -> Counted<'a> {
    match device {
        Some(nonce) => Counted::Device(nonce),
        None => Counted::Account(username),
    }
}

/// The delegating methods a credential configuration has over its [`PasswordLogin`] field
/// `login` and its other operations' throttles `ops` (its documented `login_throttle` and `max_concurrent_logins` stay its own: their
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

        #[doc = concat!("Device cookies for ", $view, " (account lockout that does not lock out ")]
        /// the owner): see
        /// [`PasswordLogin::device_cookies`](crate::backends::credentials::PasswordLogin::device_cookies).
        pub fn device_cookies(
            mut self,
            devices: impl Into<Option<crate::backends::credentials::DeviceCookies>>,
        ) -> Self {
            self.login = self.login.device_cookies(devices);
            self
        }

        #[doc = concat!("Keeps the counters of every credential throttle of ", $view, " in `store` ")]
        /// (shared by every server): its login throttles (see
        /// [`PasswordLogin::throttle_store`](crate::backends::credentials::PasswordLogin::throttle_store))
        /// and the throttles of its other credential operations.
        pub fn throttle_store<S: crate::throttle::AsyncStore>(mut self, store: S) -> Self {
            self.ops.set_store(store.clone());
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
