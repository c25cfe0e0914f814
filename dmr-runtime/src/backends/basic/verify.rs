//! The three kinds of Basic verification function; the kind decides which endpoints can use
//! the auth.

/// A verification function that neither blocks nor awaits (see `HttpBasic::new`).
#[derive(Debug, Clone)]
pub struct InlineVerifier<F>(pub(super) F);

/// A verification function that may block (see `HttpBasic::blocking`).
#[derive(Debug, Clone)]
pub struct BlockingVerifier<F>(pub(super) F);

/// An async verification function (see `HttpBasic::with_async`).
#[derive(Debug, Clone)]
pub struct AsyncVerifier<F>(pub(super) F);
