//! Building blocks of credential endpoints (session login; JWT and token obtain use them too):
//!
//! * [`CredentialBody`]: reads a small JSON body with a tight size limit and a read deadline
//!   ([`CredentialBodyConfig`]), so an anonymous request never holds more than a few KiB, and
//!   never echoes a value in its errors;
//! * [`PasswordGate`]: runs password checks on actix's blocking pool, a bounded number at a
//!   time, with a bounded queue and a bounded wait; a full gate answers 503 with `Retry-After`
//!   ([`GateBusy`]) instead of queueing without end. Each running check reuses its slot's
//!   Argon2 memory, so resident memory stays flat after a login flood;
//! * [`PasswordLogin`]: the user store, the gate and the login throttles of a credential
//!   controller, one value that the session, JWT and token configurations each hold (and can
//!   share);
//! * [`DeviceCookies`]: account lockout that does not lock out the owner (OWASP's device
//!   cookies), through [`PasswordLogin::device_cookies`].

mod body;
mod device;
pub(crate) mod doc;
mod field;
mod gate;
mod login;
mod pair;
mod refusal;

pub use crate::extract_failure::{CredentialBodyError, FieldError};
pub(crate) use crate::park::block_on_until;
pub(crate) use body::missing_body;
pub use body::{CredentialBody, CredentialBodyConfig};
pub(crate) use device::WithDeviceCookie;
pub use device::{DEVICE_KEY_BYTES, DeviceCookies, DeviceKeyError};
pub use field::CredentialField;
pub use gate::{GateBusy, GateError, MAX_PASSWORD_BYTES, PasswordGate};
pub(crate) use login::password_login_accessors;
pub use login::{LoginSuccess, PasswordLogin};
pub use pair::CredentialPair;
pub use refusal::{CredentialError, USER_STORE_UNAVAILABLE};
