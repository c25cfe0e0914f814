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
    /// `Option<Authed<T>>`: the identity if it is a `T`; needs no auth.
    Optional,
    /// An argument that may read the request's record (`HttpRequest`, an extractor of the
    /// user's, which could call `request_auth`); needs no auth, but keeps the record stored.
    Record,
}

impl IdentityNeed {
    /// Whether an endpoint whose arguments need `needs` must store the identity on the request
    /// as its record: when an argument may read the record, or more than one reads the
    /// identity. Otherwise the pipeline lends the identity to the one `Authed<T>` that takes it.
    pub(crate) fn keep_record(needs: &[Option<IdentityNeed>]) -> bool {
        let mut typed = 0;
        for need in needs.iter().flatten() {
            match need {
                Self::Typed { .. } | Self::Optional => typed += 1,
                Self::AnyAuth | Self::Record => return true,
            }
        }
        typed > 1
    }

    /// Whether any argument reads the identity (`Authed<T>`, `Option<Authed<T>>`, `AuthInfo`).
    pub(crate) fn reads_identity(needs: &[Option<IdentityNeed>]) -> bool {
        needs.iter().flatten().any(|n| !matches!(n, Self::Record))
    }
}
