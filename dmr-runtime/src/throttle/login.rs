//! The default throttles of the credential controllers (`SessionLogin`, `JwtObtain`,
//! `JwtObtainSync`, `TokenObtain`): per client address and per user name, or per trusted
//! device instead of per user name (device cookies), checked before any password is hashed.

use std::sync::{Arc, OnceLock};

use actix_web::HttpRequest;
use actix_web::body::BoxBody;

use crate::description::{DescribeResponse, ResponseDoc};
use crate::throttle::counters::Counters;
use crate::throttle::stage::{
    Refusal, StageThrottle, check_value, check_value_blocking, key_value,
};
use crate::throttle::{AsyncStore, Key, Throttle};

/// The login throttles of a credential config (session config, JWT issuer, API tokens),
/// shared by its clones.
#[derive(Clone)]
pub(crate) struct LoginThrottles {
    per_address: Option<Throttle>,
    /// The per-address throttle is the default one: its key follows the config's
    /// trusted-proxy setting.
    default_address_key: bool,
    per_username: Option<Throttle>,
    /// With device cookies: their cookie's name, and the throttle of one trusted device
    /// (counted instead of the per-user-name one).
    per_device: Option<(String, Throttle)>,
    /// Where the counters live when not in this process's memory: a store that several
    /// servers share (Redis), so that one account has one guess budget across all of them.
    store: Counters,
    /// Bound once, shared by the clones (and by every configuration holding one
    /// `PasswordLogin`, whatever their trusted-proxy settings).
    bound: Arc<OnceLock<Bound>>,
}

/// The stored-key namespace of every credential controller's login throttles: one namespace,
/// so that the session login, the JWT obtain controllers and the token obtain controller
/// count one account's guesses together.
const OPERATION: &str = "login";

struct Bound {
    per_address: Option<Arc<dyn StageThrottle>>,
    per_username: Option<Arc<dyn StageThrottle>>,
    per_device: Option<Arc<dyn StageThrottle>>,
}

/// The default of both: 10 attempts, then one more every 6 seconds (GCRA, 10 per minute).
pub(crate) fn default_login_throttle() -> Throttle {
    Throttle::per_minute(10).smooth().name("login")
}

impl Default for LoginThrottles {
    fn default() -> Self {
        Self {
            per_address: Some(default_login_throttle()),
            default_address_key: true,
            per_username: Some(default_login_throttle().name("username")),
            per_device: None,
            store: Counters::default(),
            bound: Arc::default(),
        }
    }
}

impl LoginThrottles {
    pub(crate) fn set_per_address(&mut self, throttle: Option<Throttle>) {
        self.per_address = throttle;
        self.default_address_key = false;
        self.bound = Arc::default();
    }

    pub(crate) fn set_per_username(&mut self, throttle: Option<Throttle>) {
        self.per_username = throttle;
        self.bound = Arc::default();
    }

    /// Reads device cookies named `cookie` and counts a trusted device's attempts with
    /// `throttle` (`None`: no device cookies).
    pub(crate) fn set_per_device(&mut self, device: Option<(String, Throttle)>) {
        self.per_device = device;
        self.bound = Arc::default();
    }

    /// Keeps the counters of every throttle in `store` (awaited; a sync controller waits for
    /// it on the blocking pool).
    pub(crate) fn set_store<S: AsyncStore>(&mut self, store: S) {
        self.store.set(store);
        self.bound = Arc::default();
    }

    pub(crate) fn per_address(&self) -> Option<&Throttle> {
        self.per_address.as_ref()
    }

    pub(crate) fn per_username(&self) -> Option<&Throttle> {
        self.per_username.as_ref()
    }

    /// The throttles bound to their stored-key namespace (one for every credential
    /// controller, sync and async).
    fn bound(&self) -> &Bound {
        self.bound.get_or_init(|| {
            let bind = |t: &Throttle, what: &str| self.store.bind(t, OPERATION, "POST", what);
            Bound {
                per_address: self.per_address.as_ref().map(|t| bind(t, "address")),
                per_username: self.per_username.as_ref().map(|t| bind(t, "username")),
                per_device: self.per_device.as_ref().map(|(_, t)| bind(t, "device")),
            }
        })
    }

    /// What to count for this request: its address key and its device cookie, read now
    /// (sync controllers count on the blocking pool, where the request is not available).
    /// The default per-address throttle reads forwarding headers when `trust_forwarded`; one
    /// given by the user keeps its own key.
    pub(crate) fn attempt(&self, req: &HttpRequest, trust_forwarded: bool) -> LoginAttempt {
        let bound = self.bound();
        let address = |t: &Arc<dyn StageThrottle>| {
            if self.default_address_key {
                Key::client_addr()
                    .trust_forwarded_headers(trust_forwarded)
                    .value(req)
            } else {
                key_value(t, req)
            }
        };
        LoginAttempt {
            per_address: bound
                .per_address
                .as_ref()
                .and_then(|t| Some((Arc::clone(t), address(t)?))),
            per_username: bound.per_username.clone(),
            device: self.per_device.as_ref().and_then(|(name, _)| {
                let cookie = req.cookie(name)?;
                Some((bound.per_device.clone()?, cookie.value().to_owned()))
            }),
        }
    }
}

/// One login attempt to count: the address key and the device cookie taken from the
/// request, and the throttles.
#[derive(Default)]
pub(crate) struct LoginAttempt {
    per_address: Option<(Arc<dyn StageThrottle>, String)>,
    per_username: Option<Arc<dyn StageThrottle>>,
    /// The device throttle and the device cookie the request sent (not verified yet).
    device: Option<(Arc<dyn StageThrottle>, String)>,
}

/// Whom the account half of an attempt counts against: the account (its user name, hashed)
/// or the trusted device (its cookie's nonce) presenting it.
pub(crate) enum Counted<'a> {
    /// An untrusted client: the account's lockout counter.
    Account(&'a str),
    /// A trusted device: its own counter.
    Device(&'a str),
}

impl LoginAttempt {
    /// The device cookie the request sent, to verify before [`check_account`](Self::check_account).
    pub(crate) fn device_cookie(&self) -> Option<&str> {
        self.device.as_ref().map(|(_, value)| value.as_str())
    }

    /// The throttle and key of the account half.
    fn account(&self, counted: &Counted<'_>) -> Option<(&Arc<dyn StageThrottle>, String)> {
        match counted {
            Counted::Account(username) => self
                .per_username
                .as_ref()
                .map(|t| (t, crate::throttle::hex_sha256(username))),
            Counted::Device(nonce) => self.device.as_ref().map(|(t, _)| (t, (*nonce).to_owned())),
        }
    }

    fn lockout(counted: &Counted<'_>) {
        crate::observe::audit::lockout(match counted {
            Counted::Account(_) => "user name",
            Counted::Device(_) => "device",
        });
    }

    /// Counts the attempt from the address; `Err` with the 429 when its throttle refuses.
    pub(crate) async fn check_address(&self) -> Result<(), Refusal> {
        match &self.per_address {
            Some((t, addr)) => check_value(t, addr).await,
            None => Ok(()),
        }
    }

    /// Counts the attempt for the account, or for the trusted device presenting it; `Err`
    /// with the 429 when its throttle refuses (a lockout).
    pub(crate) async fn check_account(&self, counted: Counted<'_>) -> Result<(), Refusal> {
        match self.account(&counted) {
            Some((t, key)) => check_value(t, &key)
                .await
                .inspect_err(|_| Self::lockout(&counted)),
            None => Ok(()),
        }
    }

    /// [`check_address`](Self::check_address) for sync controllers, on the blocking pool.
    pub(crate) fn check_address_blocking(&self) -> Result<(), Refusal> {
        match &self.per_address {
            Some((t, addr)) => check_value_blocking(t, addr),
            None => Ok(()),
        }
    }

    /// [`check_account`](Self::check_account) for sync controllers, on the blocking pool.
    pub(crate) fn check_account_blocking(&self, counted: Counted<'_>) -> Result<(), Refusal> {
        match self.account(&counted) {
            Some((t, key)) => {
                check_value_blocking(t, &key).inspect_err(|_| Self::lockout(&counted))
            }
            None => Ok(()),
        }
    }
}

/// A credential controller's success, documented with the 429 its login throttles answer.
#[derive(Debug, Clone)]
pub struct LoginThrottled<T>(pub T);

impl<T: DescribeResponse> DescribeResponse for LoginThrottled<T> {
    fn response_doc() -> ResponseDoc {
        T::response_doc().with(crate::throttle::doc::login_throttled())
    }
}

impl<T: actix_web::Responder> actix_web::Responder for LoginThrottled<T> {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> actix_web::HttpResponse {
        self.0.respond_to(req).map_into_boxed_body()
    }
}

/// A credential config with login throttles, read from app data.
pub(crate) trait LoginConfig: Send + Sync + 'static {
    /// Its throttles.
    fn login_throttles(&self) -> &LoginThrottles;
    /// Whether its default per-address key reads forwarding headers.
    fn trust_forwarded(&self) -> bool;
}

/// The login attempt of a sync credential controller, taken from the request before the
/// handler moves to the blocking pool. Without the config in app data it counts nothing
/// (the handler's own `Data<C>` then fails the request).
pub(crate) struct AttemptOf<C>(LoginAttempt, std::marker::PhantomData<fn() -> C>);

impl<C> AttemptOf<C> {
    /// The attempt to count.
    pub(crate) fn attempt(&self) -> &LoginAttempt {
        &self.0
    }
}

impl<C: LoginConfig> actix_web::FromRequest for AttemptOf<C> {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let attempt = match req.app_data::<actix_web::web::Data<C>>() {
            Some(config) => config
                .login_throttles()
                .attempt(req, config.trust_forwarded()),
            None => LoginAttempt::default(),
        };
        std::future::ready(Ok(Self(attempt, std::marker::PhantomData)))
    }
}
