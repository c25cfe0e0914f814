//! What a handler argument reads from the chain's result, found by type in the expansion and
//! checked against the whole chain when the API is built.

use crate::auth::IdentityType;

/// What one handler argument reads from the chain's result.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum IdentityNeed {
    /// `Authed<T>`: an auth whose identity is a `T`.
    Typed {
        /// `T`.
        identity: IdentityType,
        /// The argument as written by `type_name` (`Authed<Claims>`), for the error.
        argument: &'static str,
    },
    /// `AuthInfo`: any auth at all.
    AnyAuth,
}
