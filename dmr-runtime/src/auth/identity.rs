//! The type of an auth's identity, kept on its description so that the API can check, when
//! it is built, that every `Authed<T>` argument has an auth in its chain that yields a `T`.

use std::any::TypeId;
use std::fmt;

/// A `'static` type, compared by [`TypeId`] and printed by name.
#[derive(Clone, Copy)]
pub struct IdentityType {
    id: TypeId,
    name: &'static str,
}

impl IdentityType {
    /// The identity type `T`.
    pub fn of<T: 'static>() -> Self {
        Self {
            id: TypeId::of::<T>(),
            name: std::any::type_name::<T>(),
        }
    }

    /// The type's name, as [`std::any::type_name`] spells it.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl PartialEq for IdentityType {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for IdentityType {}

impl fmt::Debug for IdentityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}
