//! Autoref-specialized probes: the expansion asks each handler argument and return type what
//! it contributes to OpenAPI. Types that are known (`Json<T: ToSchema>`, `Path<T>`, ..) answer
//! through the `*Specific` traits; anything else falls back to "nothing known".

use std::marker::PhantomData;

/// A zero-sized stand-in for the type `T` whose documentation is asked for.
pub struct Probe<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> Probe<T> {
    /// A probe for `T`.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

/// What one handler argument contributes.
#[derive(Debug, Clone, Default)]
pub struct ArgDoc {
    _private: (),
}

impl ArgDoc {
    /// Nothing (an extractor OpenAPI does not describe, like `HttpRequest`).
    pub fn none() -> Self {
        Self::default()
    }
}

/// What the return type contributes.
#[derive(Debug, Clone, Default)]
pub struct ResponseDoc {
    _private: (),
}

impl ResponseDoc {
    /// Unknown (an `impl Responder` or a type OpenAPI does not describe).
    pub fn unknown() -> Self {
        Self::default()
    }
}

/// The fallback for arguments: found when no specific impl applies.
pub trait ArgFallback {
    /// What the argument contributes.
    fn arg_doc(&self) -> ArgDoc {
        ArgDoc::none()
    }
}

impl<T: ?Sized> ArgFallback for &Probe<T> {}

/// Specific argument impls (on `&&Probe<..>`, so they win over the fallback).
pub trait ArgSpecific {
    /// What the argument contributes.
    fn arg_doc(&self) -> ArgDoc;
}

/// The fallback for return types.
pub trait ResponseFallback {
    /// What the return type contributes.
    fn response_doc(&self) -> ResponseDoc {
        ResponseDoc::unknown()
    }
}

impl<T: ?Sized> ResponseFallback for &Probe<T> {}

/// Specific return-type impls (on `&&Probe<..>`).
pub trait ResponseSpecific {
    /// What the return type contributes.
    fn response_doc(&self) -> ResponseDoc;
}
