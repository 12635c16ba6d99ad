//! Timestamps as the API sends them.

use std::fmt;
use std::time::{Duration, SystemTime};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A UTC instant with millisecond precision, the resolution of every Stoat timestamp.
///
/// Reads ISO-8601 / RFC 3339 strings with or without fractional seconds and with any offset
/// (JSON), and integer milliseconds since the Unix epoch (msgpack frames). Writes the API form,
/// `2023-03-24T07:05:59.005Z`, to human-readable formats and integer milliseconds to binary
/// ones, as the server does. Finer fractions are truncated to the millisecond.
///
/// ```
/// use ermine_model::Timestamp;
///
/// let t: Timestamp = "2026-11-24T09:58:31+01:00".parse()?;
/// assert_eq!(t.to_string(), "2026-11-24T08:58:31.000Z");
/// # Ok::<(), ermine_model::timestamp::TimestampParseError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The instant `millis` milliseconds after the Unix epoch.
    pub const fn from_unix_millis(millis: i64) -> Self {
        Self(millis)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// The current time.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// This instant plus `duration` (saturating).
    #[must_use]
    pub fn saturating_add(self, duration: Duration) -> Self {
        let ms = i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
        Self(self.0.saturating_add(ms))
    }

    /// This instant minus `duration` (saturating).
    #[must_use]
    pub fn saturating_sub(self, duration: Duration) -> Self {
        let ms = i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
        Self(self.0.saturating_sub(ms))
    }

    /// As a [`time::OffsetDateTime`] in UTC, or `None` when outside its range.
    pub fn to_offset_date_time(self) -> Option<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000).ok()
    }

    /// From a [`time::OffsetDateTime`] in any offset (truncated to milliseconds).
    pub fn from_offset_date_time(value: OffsetDateTime) -> Self {
        let ms = value.unix_timestamp_nanos().div_euclid(1_000_000);
        Self(i64::try_from(ms).unwrap_or(if ms < 0 { i64::MIN } else { i64::MAX }))
    }
}

impl From<SystemTime> for Timestamp {
    fn from(value: SystemTime) -> Self {
        let ms = match value.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
        };
        Self(ms)
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(value: OffsetDateTime) -> Self {
        Self::from_offset_date_time(value)
    }
}

/// Why a string is not a timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampParseError(String);

impl fmt::Display for TimestampParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid ISO-8601 timestamp: {}", self.0)
    }
}

impl std::error::Error for TimestampParseError {}

impl std::str::FromStr for Timestamp {
    type Err = TimestampParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(fast) = parse_api_form(s.as_bytes()) {
            return Ok(fast);
        }
        OffsetDateTime::parse(s, &Rfc3339)
            .map(Self::from_offset_date_time)
            .or_else(|e| {
                // The server reads a timestamp without an offset as UTC (Python's
                // `datetime.isoformat()` of a naive time writes that form); so does ermine.
                // Written timestamps always carry `Z`.
                let naive = time::macros::format_description!(
                    version = 2,
                    "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
                );
                time::PrimitiveDateTime::parse(s, &naive)
                    .map(|t| Self::from_offset_date_time(t.assume_utc()))
                    .map_err(|_| TimestampParseError(e.to_string()))
            })
    }
}

/// The form the API writes, `YYYY-MM-DDTHH:MM:SS.mmmZ` (or without the fraction), read
/// without the general parser; `None` for anything else (the general parser decides).
fn parse_api_form(b: &[u8]) -> Option<Timestamp> {
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        b.get(range)?.iter().try_fold(0i64, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let millis = match b.len() {
        24 if b[19] == b'.' && b[23] == b'Z' => digits(20..23)?,
        20 if b[19] == b'Z' => 0,
        _ => return None,
    };
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let valid_day = usize::try_from(month - 1)
        .ok()
        .and_then(|m| month_days.get(m))
        .is_some_and(|max| (1..=*max).contains(&day));
    if !valid_day || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    // Days from the civil date (proleptic Gregorian), as in Howard Hinnant's algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(Timestamp(
        ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis,
    ))
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_offset_date_time() {
            Some(t) => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                t.millisecond()
            ),
            None => write!(f, "{}ms", self.0),
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            serializer.serialize_i64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO-8601 timestamp or integer milliseconds since the epoch")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                v.parse().map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v)
                    .map(Timestamp)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
        }

        deserializer.deserialize_any(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_agrees_with_the_general_parser() {
        for s in [
            "1970-01-01T00:00:00.000Z",
            "2026-11-24T09:58:31.004Z",
            "2000-02-29T23:59:59.999Z",
            "1900-03-01T00:00:00Z",
            "2100-12-31T12:34:56.789Z",
            "1969-12-31T23:59:59.999Z",
        ] {
            let general = OffsetDateTime::parse(s, &Rfc3339)
                .map(Timestamp::from_offset_date_time)
                .unwrap();
            assert_eq!(parse_api_form(s.as_bytes()), Some(general), "{s}");
        }
        for s in [
            "2026-02-30T00:00:00.000Z",
            "2026-13-01T00:00:00.000Z",
            "2026-11-24T24:00:00.000Z",
            "2026-11-24 09:58:31.004Z",
        ] {
            assert_eq!(parse_api_form(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn parses_api_forms() {
        for (input, want) in [
            ("2023-03-24T07:05:59.005Z", "2023-03-24T07:05:59.005Z"),
            ("2023-03-24T07:05:59Z", "2023-03-24T07:05:59.000Z"),
            ("2023-03-24T07:05:59.123456789Z", "2023-03-24T07:05:59.123Z"),
            ("2023-03-24T09:05:59.005+02:00", "2023-03-24T07:05:59.005Z"),
        ] {
            let t: Timestamp = input.parse().unwrap();
            assert_eq!(t.to_string(), want, "{input}");
        }
        assert!("yesterday".parse::<Timestamp>().is_err());
    }

    #[test]
    fn serde_json_and_msgpack() {
        let t = Timestamp::from_unix_millis(1_795_510_821_029);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"2026-11-24T09:00:21.029Z\"");
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
        assert_eq!(
            serde_json::from_str::<Timestamp>("1795510821029").unwrap(),
            t
        );
        let packed = rmp_serde::to_vec_named(&t).unwrap();
        assert_eq!(rmp_serde::from_slice::<Timestamp>(&packed).unwrap(), t);
        // Without an offset: UTC, as the server reads it; written back with `Z`.
        let naive: Timestamp = "2030-01-01T00:00:00".parse().unwrap();
        assert_eq!(naive, "2030-01-01T00:00:00Z".parse().unwrap());
        let fraction: Timestamp = "2026-11-29T17:02:45.445265".parse().unwrap();
        assert_eq!(fraction, "2026-11-29T17:02:45.445Z".parse().unwrap());
        assert!(serde_json::to_string(&naive).unwrap().ends_with("Z\""));
        assert!("2030-01-01T00:00".parse::<Timestamp>().is_err());
        let as_int: i64 = rmp_serde::from_slice(&packed).unwrap();
        assert_eq!(as_int, 1_795_510_821_029);
    }

    #[test]
    fn pre_epoch_and_extremes_do_not_panic() {
        let t: Timestamp = "1969-12-31T23:59:59.999Z".parse().unwrap();
        assert_eq!(t.unix_millis(), -1);
        assert_eq!(t.to_string(), "1969-12-31T23:59:59.999Z");
        let _ = Timestamp::from_unix_millis(i64::MAX).to_string();
        let _ = Timestamp::from_unix_millis(i64::MIN).to_string();
        assert_eq!(
            Timestamp::from_unix_millis(i64::MAX).saturating_add(Duration::from_secs(1)),
            Timestamp::from_unix_millis(i64::MAX)
        );
    }
}
