//! What a store keeps of a token: its metadata ([`TokenInfo`]) and, for issuing, the row to
//! insert ([`NewToken`]). The hash never leaves the store.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::ser::SerializeStruct as _;

/// One token's metadata, as stores return it and handlers see it: never the raw token, never
/// its hash.
///
/// Serialized for the list endpoint as
/// `{"id":1,"name":"..","created_at":"2026-01-01T00:00:00Z","expires_at":..,"revoked_at":null,"last_used_at":null}`
/// (RFC 3339 times; the owner is the caller, so `user_id` is left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The row id.
    pub id: i64,
    /// The token's name (32 hex characters unless given).
    pub name: String,
    /// The owner's user id.
    pub user_id: String,
    /// When it was issued.
    pub created_at: SystemTime,
    /// When it stops working; `None` never.
    pub expires_at: Option<SystemTime>,
    /// When it was revoked; `None` while it is not.
    pub revoked_at: Option<SystemTime>,
    /// When it was last used (only with last-used tracking on, at most once per interval).
    pub last_used_at: Option<SystemTime>,
}

impl TokenInfo {
    /// Whether `now` is at or past the expiry (the reference's `is_expired`).
    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }

    /// Not expired and not revoked (the reference's `is_active`).
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use dmr_runtime::backends::tokens::TokenInfo;
    ///
    /// let now = SystemTime::now();
    /// let mut token = TokenInfo {
    ///     id: 1,
    ///     name: "ci".into(),
    ///     user_id: "1".into(),
    ///     created_at: now,
    ///     expires_at: Some(now + Duration::from_secs(60)),
    ///     revoked_at: None,
    ///     last_used_at: None,
    /// };
    /// assert!(token.is_active(now));
    /// assert!(!token.is_active(now + Duration::from_secs(60)));
    /// token.revoked_at = Some(now);
    /// assert!(!token.is_active(now));
    /// ```
    pub fn is_active(&self, now: SystemTime) -> bool {
        !self.is_expired(now) && self.revoked_at.is_none()
    }
}

impl serde::Serialize for TokenInfo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("TokenInfo", 6)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("created_at", &rfc3339(self.created_at))?;
        st.serialize_field("expires_at", &self.expires_at.map(rfc3339))?;
        st.serialize_field("revoked_at", &self.revoked_at.map(rfc3339))?;
        st.serialize_field("last_used_at", &self.last_used_at.map(rfc3339))?;
        st.end()
    }
}

/// The OpenAPI schema of a serialized [`TokenInfo`].
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct TokenMetadata {
    /// The row id.
    pub id: i64,
    /// The token's name.
    pub name: String,
    /// When it was issued (RFC 3339).
    pub created_at: String,
    /// When it stops working (RFC 3339); null: never.
    pub expires_at: Option<String>,
    /// When it was revoked (RFC 3339); null: active.
    pub revoked_at: Option<String>,
    /// When it was last used (RFC 3339), if tracked.
    pub last_used_at: Option<String>,
}

/// `2026-01-01T00:00:00.123456Z`.
pub(crate) fn rfc3339(t: SystemTime) -> String {
    let micros = to_micros(t);
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// Microseconds since the Unix epoch (negative before it), what the SQLite store keeps.
pub(crate) fn to_micros(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_micros()).map_or(i64::MIN, |m| -m),
    }
}

/// The inverse of [`to_micros`] (the SQLite store reads its times with it).
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) fn from_micros(micros: i64) -> SystemTime {
    let d = Duration::from_micros(micros.unsigned_abs());
    if micros >= 0 {
        UNIX_EPOCH + d
    } else {
        UNIX_EPOCH - d
    }
}

/// When a new token expires (the reference's `expires_at` argument of `issue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expiry {
    /// The configured lifetime from now (30 days unless set).
    #[default]
    Default,
    /// Never.
    Never,
    /// At this instant.
    At(SystemTime),
}

/// A row to insert: the name, the owner, the hash and the times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// The token's name.
    pub name: String,
    /// The owner's user id.
    pub user_id: String,
    /// The salted HMAC of the raw token, lowercase hex.
    pub token_hash: String,
    /// When it was issued.
    pub created_at: SystemTime,
    /// When it expires; `None` never.
    pub expires_at: Option<SystemTime>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micros_round_trip() {
        let t = UNIX_EPOCH + Duration::from_micros(1_780_000_000_123_456);
        assert_eq!(from_micros(to_micros(t)), t);
        assert_eq!(rfc3339(t), "2026-05-28T20:26:40.123456Z");
    }
}
