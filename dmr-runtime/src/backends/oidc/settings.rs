//! The key cache's timings and limits, with the defaults the providers' guidance suggests.

use std::time::Duration;

/// How the key cache fetches and keeps a provider's keys. Set through
/// [`OidcConfig`](super::OidcConfig); the defaults are listed on each setter there.
#[derive(Debug, Clone)]
pub(super) struct CacheSettings {
    /// How long building the auth waits for the first key set.
    pub(super) startup_wait: Duration,
    /// The least time between two fetches the requests cause (unknown `kid`, failed signature).
    pub(super) refetch_interval: Duration,
    /// Background refresh without `Cache-Control: max-age`.
    pub(super) refresh: Duration,
    /// The bounds `max-age` is clamped into.
    pub(super) min_refresh: Duration,
    /// See `min_refresh`.
    pub(super) max_refresh: Duration,
    /// How long the last good key set serves while the provider cannot be reached.
    pub(super) max_stale: Duration,
    /// TCP connect timeout of a fetch.
    pub(super) connect_timeout: Duration,
    /// Timeout of the whole response (headers and body) of a fetch.
    pub(super) read_timeout: Duration,
    /// The largest discovery or JWKS body read.
    pub(super) max_body: u64,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            startup_wait: Duration::from_secs(5),
            refetch_interval: Duration::from_secs(30),
            refresh: Duration::from_secs(15 * 60),
            min_refresh: Duration::from_secs(60),
            max_refresh: Duration::from_secs(24 * 60 * 60),
            max_stale: Duration::from_secs(24 * 60 * 60),
            connect_timeout: Duration::from_secs(2),
            read_timeout: Duration::from_secs(5),
            max_body: 256 * 1024,
        }
    }
}

impl CacheSettings {
    /// When to refresh after a good fetch whose `Cache-Control` said `max_age`.
    pub(super) fn refresh_after(&self, max_age: Option<Duration>) -> Duration {
        max_age
            .unwrap_or(self.refresh)
            .clamp(self.min_refresh, self.max_refresh.max(self.min_refresh))
    }
}

/// The `max-age` of a `Cache-Control` value (`no-store` and `no-cache` count as 0).
pub(super) fn max_age(cache_control: &str) -> Option<Duration> {
    cache_control.split(',').find_map(|directive| {
        let directive = directive.trim();
        if directive.eq_ignore_ascii_case("no-store") || directive.eq_ignore_ascii_case("no-cache")
        {
            return Some(Duration::ZERO);
        }
        let (name, value) = directive.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("max-age") {
            return None;
        }
        value
            .trim()
            .trim_matches('"')
            .parse()
            .ok()
            .map(Duration::from_secs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_is_read_and_clamped() {
        assert_eq!(
            max_age("public, max-age=600"),
            Some(Duration::from_secs(600))
        );
        assert_eq!(max_age("no-store"), Some(Duration::ZERO));
        assert_eq!(max_age("private"), None);
        let s = CacheSettings::default();
        assert_eq!(s.refresh_after(Some(Duration::ZERO)), s.min_refresh);
        assert_eq!(
            s.refresh_after(Some(Duration::from_secs(1 << 40))),
            s.max_refresh
        );
        assert_eq!(s.refresh_after(None), s.refresh);
    }
}
