//! `SyncOrAsync`: one settings or scope entry that serves both endpoint kinds.

/// A sync and an async variant of the same auth, for the settings and scope layers, which
/// serve both plain `fn` and `async fn` endpoints: sync endpoints run `sync`, async ones run
/// `async_`. Both yield the same identity type; the OpenAPI description is the sync variant's.
///
/// It cannot be listed on a controller or an endpoint (those know their kind; list the
/// matching variant there).
///
/// # Example
///
/// ```
/// use dmr_runtime::backends::basic::HttpBasic;
/// use dmr_runtime::{Settings, SyncOrAsync};
///
/// let blocking = HttpBasic::blocking(|user, pass| user == "admin" && pass == "pass");
/// let awaiting = HttpBasic::with_async(|user: String, pass: String| async move {
///     user == "admin" && pass == "pass"
/// });
/// let settings = Settings::new().auth(SyncOrAsync::new(blocking, awaiting));
/// # let _ = settings;
/// ```
#[derive(Debug, Clone)]
pub struct SyncOrAsync<S, A> {
    pub(crate) sync: S,
    pub(crate) async_: A,
}

impl<S, A> SyncOrAsync<S, A> {
    /// Pairs the variant for sync endpoints with the one for async endpoints.
    pub fn new(sync: S, async_: A) -> Self {
        Self { sync, async_ }
    }
}
