//! The typed cells every export format writes: a table is a list of [`Column`]s and each row a
//! list of [`Value`]s in that order.
//!
//! One description of the tables (`tables.rs`) serves every format, so a column has the same name
//! and meaning in JSON lines, CSV and Parquet. The types are the ones researchers' tools have in
//! common: text, 64-bit integers, floats, booleans, timestamps (UTC, microseconds) and lists of
//! text or integers. This module knows nothing of articles or files.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text.
    Text,
    /// A 64-bit signed integer (offsets, counts, indexes).
    Int,
    /// A 64-bit float.
    Float,
    /// True or false.
    Bool,
    /// An instant, microseconds since 1970 UTC.
    Timestamp,
    /// A list of texts.
    TextList,
    /// A list of integers.
    IntList,
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Its name, the same in every format.
    pub name: &'static str,
    /// Its type.
    pub kind: ColumnType,
    /// Whether a row may leave it empty (lists are never null, only empty).
    pub nullable: bool,
    /// What it means, for the documentation and `newslens export --describe`.
    pub doc: &'static str,
}

impl Column {
    pub(crate) const fn required(
        name: &'static str,
        kind: ColumnType,
        doc: &'static str,
    ) -> Column {
        Column {
            name,
            kind,
            nullable: false,
            doc,
        }
    }

    pub(crate) const fn optional(
        name: &'static str,
        kind: ColumnType,
        doc: &'static str,
    ) -> Column {
        Column {
            name,
            kind,
            nullable: true,
            doc,
        }
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value (a nullable column).
    Null,
    /// Text.
    Text(String),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// Microseconds since 1970-01-01T00:00:00Z.
    Timestamp(i64),
    /// A list of texts.
    TextList(Vec<String>),
    /// A list of integers.
    IntList(Vec<i64>),
}

impl Value {
    /// Text, or null when absent.
    pub(crate) fn text(value: Option<&str>) -> Value {
        value.map_or(Value::Null, |text| Value::Text(text.to_string()))
    }

    /// An offset or count (they never exceed `i64` in a text that fits in memory).
    pub(crate) fn int(value: usize) -> Value {
        Value::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }

    /// A publication date of the contract as a timestamp, null when absent or unreadable.
    pub(crate) fn published(value: Option<&str>) -> Value {
        value
            .and_then(timestamp_micros)
            .map_or(Value::Null, Value::Timestamp)
    }
}

/// Reads an ISO 8601 date of the contract (`2020-01-06`, `2020-01-06T12:31:00`, with or without a
/// zone) as microseconds since 1970 UTC. A date or time without a zone is taken as UTC: the
/// contract keeps the zone only when the article gave one, and an export must pick one instant.
pub fn timestamp_micros(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(instant) = text.parse::<Timestamp>() {
        return Some(instant.as_microsecond());
    }
    if let Ok(civil) = text.parse::<DateTime>() {
        return civil
            .to_zoned(TimeZone::UTC)
            .ok()
            .map(|zoned| zoned.timestamp().as_microsecond());
    }
    if let Ok(date) = text.parse::<Date>() {
        return date
            .to_zoned(TimeZone::UTC)
            .ok()
            .map(|zoned| zoned.timestamp().as_microsecond());
    }
    None
}

/// A timestamp as RFC 3339 in UTC (`2020-01-06T12:31:00Z`), as JSON lines and CSV write it.
pub fn format_timestamp(micros: i64) -> String {
    Timestamp::from_microsecond(micros)
        .map(|instant| instant.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_dates_read_as_utc_instants() {
        let noon = timestamp_micros("2020-01-06T12:31:00").unwrap();
        assert_eq!(format_timestamp(noon), "2020-01-06T12:31:00Z");
        let zoned = timestamp_micros("2020-01-06T12:31:00+01:00").unwrap();
        assert_eq!(format_timestamp(zoned), "2020-01-06T11:31:00Z");
        let day = timestamp_micros("2020-01-06").unwrap();
        assert_eq!(format_timestamp(day), "2020-01-06T00:00:00Z");
        assert_eq!(timestamp_micros("last Tuesday"), None);
    }
}
