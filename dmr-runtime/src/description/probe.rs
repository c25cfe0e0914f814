//! Autoref-specialized probes: the expansion asks each handler argument and return type what
//! it contributes to OpenAPI, and types that know answer while anything else falls back to
//! "nothing known", without a trait bound on the handler.
//!
//! The expansion writes, for an argument type `T`,
//! `{ use ..::{ArgFallback as _, ArgSpecific as _}; (&&Probe::<T>::new()).arg_doc() }`
//! (and `.response_doc()` for the return type). Method lookup tries the receiver types
//! `&&Probe<T>`, `&&&Probe<T>`, `&Probe<T>` and `Probe<T>` in that order and takes the first
//! impl whose bounds hold, so the impls are layered by priority:
//!
//! | priority | `Self` of the impl | matches |
//! | --- | --- | --- |
//! | 1 | `&Probe<T>` | `T: DescribeArg` / `T: DescribeResponse` (this includes `Path<T: IntoParams>`) |
//! | 2 | `&&Probe<Path<T>>` | `T` a tuple of types with a schema: positional path parameters |
//! | 3 | `Probe<Path<T>>` | `T` with a schema (`Path<u32>`, or a `ToSchema` struct): by position |
//! | last | `Probe<T>` (by value) | anything: [`ArgDoc::none`], [`ResponseDoc::unknown`] |
//!
//! ```
//! use actix_web::web::{Json, Path};
//! use dmr_runtime::openapi::probe::{ArgFallback as _, ArgSpecific as _, Probe};
//!
//! #[derive(utoipa::ToSchema)]
//! struct NewArticle {
//!     title: String,
//! }
//!
//! assert!((&&Probe::<Json<NewArticle>>::new()).arg_doc().has_body());
//! assert!(!(&&Probe::<actix_web::HttpRequest>::new()).arg_doc().has_body());
//! let _by_position = (&&Probe::<Path<(u32, String)>>::new()).arg_doc();
//! ```

use std::marker::PhantomData;

use actix_web::web::Path;
use utoipa::PartialSchema;

pub use super::arg::{ArgDoc, DescribeArg, PathTuple};
pub use super::response::{DescribeResponse, ResponseDoc};

/// A zero-sized stand-in for the type `T` whose documentation is asked for.
pub struct Probe<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> Probe<T> {
    /// A probe for `T`.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T: ?Sized> Clone for Probe<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Probe<T> {}

/// The fallback for arguments: found last, when no specific impl applies.
pub trait ArgFallback {
    /// What the argument contributes: nothing.
    fn arg_doc(self) -> ArgDoc;
}

impl<T: ?Sized> ArgFallback for Probe<T> {
    fn arg_doc(self) -> ArgDoc {
        ArgDoc::none()
    }
}

/// Specific argument impls (see the module docs for their priorities).
pub trait ArgSpecific {
    /// What the argument contributes.
    fn arg_doc(&self) -> ArgDoc;
}

impl<T: DescribeArg> ArgSpecific for &Probe<T> {
    fn arg_doc(&self) -> ArgDoc {
        T::arg_doc()
    }
}

impl<T: PathTuple> ArgSpecific for &&Probe<Path<T>> {
    fn arg_doc(&self) -> ArgDoc {
        ArgDoc::path_tuple::<T>()
    }
}

impl<T: PartialSchema> ArgSpecific for Probe<Path<T>> {
    fn arg_doc(&self) -> ArgDoc {
        ArgDoc::path_single::<T>()
    }
}

/// The fallback for return types: found last, when no specific impl applies.
pub trait ResponseFallback {
    /// What the return type contributes: unknown.
    fn response_doc(self) -> ResponseDoc;
}

impl<T: ?Sized> ResponseFallback for Probe<T> {
    fn response_doc(self) -> ResponseDoc {
        ResponseDoc::unknown()
    }
}

/// Specific return-type impls (on `&Probe<T: DescribeResponse>`).
pub trait ResponseSpecific {
    /// What the return type contributes.
    fn response_doc(&self) -> ResponseDoc;
}

impl<T: DescribeResponse> ResponseSpecific for &Probe<T> {
    fn response_doc(&self) -> ResponseDoc {
        T::response_doc()
    }
}
