//! Rates: `max` requests per `period`, written `"10/minute"` or built with
//! [`Rate::per_minute`] and friends.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// How many requests a key may make per period.
///
/// ```
/// use std::time::Duration;
/// use dmr_runtime::throttle::Rate;
///
/// let rate: Rate = "10/minute".parse().unwrap();
/// assert_eq!(rate, Rate::per_minute(10));
/// assert_eq!(rate.period(), Duration::from_secs(60));
/// assert_eq!("100/5m".parse::<Rate>().unwrap().period(), Duration::from_secs(300));
/// assert_eq!("3/s".parse::<Rate>().unwrap(), Rate::per_second(3));
/// assert!("0/minute".parse::<Rate>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    max: u32,
    period: Duration,
}

/// Why a rate was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateError(String);

impl fmt::Display for RateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RateError {}

impl Rate {
    /// `max` requests per `period`; both must be non-zero (the period at least a millisecond).
    pub fn new(max: u32, period: Duration) -> Result<Self, RateError> {
        if max == 0 {
            return Err(RateError(
                "a rate allows at least one request per period, write `1/..` or more, or turn the throttle off".into(),
            ));
        }
        if period < Duration::from_millis(1) {
            return Err(RateError(
                "a rate's period is at least one millisecond".into(),
            ));
        }
        Ok(Self { max, period })
    }

    const fn of(max: u32, secs: u64) -> Self {
        assert!(max > 0, "a rate allows at least one request per period");
        Self {
            max,
            period: Duration::from_secs(secs),
        }
    }

    /// `max` requests per second (panics on 0).
    pub const fn per_second(max: u32) -> Self {
        Self::of(max, 1)
    }

    /// `max` requests per minute (panics on 0).
    pub const fn per_minute(max: u32) -> Self {
        Self::of(max, 60)
    }

    /// `max` requests per hour (panics on 0).
    pub const fn per_hour(max: u32) -> Self {
        Self::of(max, 3600)
    }

    /// `max` requests per day (panics on 0).
    pub const fn per_day(max: u32) -> Self {
        Self::of(max, 86_400)
    }

    /// The number of requests allowed per period.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }
}

impl FromStr for Rate {
    type Err = RateError;

    /// `<max>/<period>`: the period is a unit (`second`, `minute`, `hour`, `day`, their plurals,
    /// `sec`, `min`, or the first letter), optionally preceded by a count (`5m`, `10 seconds`).
    fn from_str(s: &str) -> Result<Self, RateError> {
        let bad = || {
            RateError(format!(
                "`{s}` is not a rate, write `<requests>/<period>` like `10/minute`, `100/hour` or `5/10s`"
            ))
        };
        let (max, period) = s.split_once('/').ok_or_else(bad)?;
        let max: u32 = max.trim().parse().map_err(|_| bad())?;
        let period = period.trim();
        let digits = period.len()
            - period
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        let count: u64 = if digits == 0 {
            1
        } else {
            period[..digits].parse().map_err(|_| bad())?
        };
        let unit = match period[digits..].trim() {
            "s" | "sec" | "second" | "seconds" => 1,
            "m" | "min" | "minute" | "minutes" => 60,
            "h" | "hour" | "hours" => 3600,
            "d" | "day" | "days" => 86_400,
            _ => return Err(bad()),
        };
        let secs = count.checked_mul(unit).ok_or_else(bad)?;
        Self::new(max, Duration::from_secs(secs))
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.period.as_millis();
        if ms.is_multiple_of(1000) {
            write!(f, "{}/{}s", self.max, ms / 1000)
        } else {
            write!(f, "{}/{}ms", self.max, ms)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rate;
    use std::time::Duration;

    #[test]
    fn parses_units_counts_and_refuses_garbage() {
        assert_eq!("10/minute".parse::<Rate>().unwrap(), Rate::per_minute(10));
        assert_eq!("10/minutes".parse::<Rate>().unwrap(), Rate::per_minute(10));
        assert_eq!(" 7 / hour ".parse::<Rate>().unwrap(), Rate::per_hour(7));
        assert_eq!("1/d".parse::<Rate>().unwrap(), Rate::per_day(1));
        assert_eq!(
            "5/10s".parse::<Rate>().unwrap().period(),
            Duration::from_secs(10)
        );
        for bad in [
            "",
            "10",
            "x/minute",
            "10/fortnight",
            "0/s",
            "-1/s",
            "10/0s",
            "10/99999999999999999999d",
        ] {
            assert!(bad.parse::<Rate>().is_err(), "{bad}");
        }
        assert_eq!(Rate::per_minute(10).to_string(), "10/60s");
    }
}
