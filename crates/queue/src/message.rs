//! The queue's message format: one [`Record`] is one NATS message.
//!
//! - **Payload**: the record's bytes exactly as read (an HTML page in any charset, a text file),
//!   so nothing is base64-inflated and the reader on the worker decodes them as `ingest` would.
//! - **`Newslens-Record`** header: a small JSON object with everything else a record carries —
//!   `{"origin":{"path","line","record"},"format":"text"|"html","given":{…},"fallback":{…}}`,
//!   the `given` and `fallback` objects holding `id`, `url`, `outlet`, `published`, `title` and
//!   `authors` when set. Every character outside ASCII is written as a `\uXXXX` escape and JSON
//!   escapes control characters, so a header is one ASCII line whatever a file name holds.
//! - **`Newslens-Submitted`** header: when `submit` published it, in microseconds since the Unix
//!   epoch (the benchmark's submit-to-stored latency).
//! - **`Nats-Msg-Id`**: the XXH3-64 of the header JSON and the bytes, so JetStream drops a copy
//!   submitted again within its duplicate window (a `submit` retried after a lost answer).
//!
//! A dead letter is the same message with two more headers, **`Newslens-Dead-Reason`** (one line)
//! and **`Newslens-Deliveries`**. This module converts; it does no I/O.

use async_nats::HeaderMap;
use serde::{Deserialize, Serialize};

use newslens_read::{Format, Given, Origin, Record};

/// The header holding the record's origin, format and given metadata as JSON.
pub const RECORD_HEADER: &str = "Newslens-Record";
/// The header holding the submit time, microseconds since the Unix epoch.
pub const SUBMITTED_HEADER: &str = "Newslens-Submitted";
/// The header holding why a record was dead-lettered.
pub const DEAD_REASON_HEADER: &str = "Newslens-Dead-Reason";
/// The header holding how many times a dead-lettered record was delivered.
pub const DELIVERIES_HEADER: &str = "Newslens-Deliveries";
/// JetStream's de-duplication header.
pub const MESSAGE_ID_HEADER: &str = "Nats-Msg-Id";

/// Why a message is not a record this version can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// No `Newslens-Record` header.
    #[error("not a newslens record (no {RECORD_HEADER} header)")]
    NoRecordHeader,
    /// The header is not the JSON object expected.
    #[error("malformed {RECORD_HEADER} header: {0}")]
    Malformed(String),
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    origin: OriginJson,
    format: FormatJson,
    #[serde(default, skip_serializing_if = "GivenJson::is_empty")]
    given: GivenJson,
    #[serde(default, skip_serializing_if = "GivenJson::is_empty")]
    fallback: GivenJson,
}

#[derive(Serialize, Deserialize)]
struct OriginJson {
    path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    record: Option<usize>,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum FormatJson {
    Text,
    Html,
}

#[derive(Serialize, Deserialize, Default)]
struct GivenJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    authors: Vec<String>,
}

impl GivenJson {
    fn is_empty(&self) -> bool {
        self.id.is_none()
            && self.url.is_none()
            && self.outlet.is_none()
            && self.published.is_none()
            && self.title.is_none()
            && self.authors.is_empty()
    }
}

impl From<&Given> for GivenJson {
    fn from(given: &Given) -> GivenJson {
        GivenJson {
            id: given.id.clone(),
            url: given.url.clone(),
            outlet: given.outlet.clone(),
            published: given.published.clone(),
            title: given.title.clone(),
            authors: given.authors.clone(),
        }
    }
}

impl From<GivenJson> for Given {
    fn from(given: GivenJson) -> Given {
        Given {
            id: given.id,
            url: given.url,
            outlet: given.outlet,
            published: given.published,
            title: given.title,
            authors: given.authors,
        }
    }
}

/// A record as the parts of a message: headers and payload.
#[derive(Debug, Clone)]
pub struct RecordMessage {
    /// `Newslens-Record`, `Newslens-Submitted` and `Nats-Msg-Id`.
    pub headers: HeaderMap,
    /// The record's bytes.
    pub payload: bytes::Bytes,
}

/// The message for `record`, stamped as submitted at `submitted_micros`.
pub fn to_message(record: Record, submitted_micros: u64) -> RecordMessage {
    let envelope = Envelope {
        origin: OriginJson {
            path: record.origin.path,
            line: record.origin.line,
            record: record.origin.record,
        },
        format: match record.format {
            Format::Text => FormatJson::Text,
            Format::Html => FormatJson::Html,
        },
        given: GivenJson::from(&record.given),
        fallback: GivenJson::from(&record.fallback),
    };
    // Serialising plain strings and numbers cannot fail.
    let json = ascii_json(&serde_json::to_string(&envelope).unwrap_or_default());
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(json.as_bytes());
    hasher.update(&[0]);
    hasher.update(&record.bytes);
    let mut headers = HeaderMap::new();
    headers.insert(
        MESSAGE_ID_HEADER,
        format!("{:016x}", hasher.digest()).as_str(),
    );
    headers.insert(RECORD_HEADER, json.as_str());
    headers.insert(SUBMITTED_HEADER, submitted_micros.to_string().as_str());
    RecordMessage {
        headers,
        payload: bytes::Bytes::from(record.bytes),
    }
}

/// The record a message carries.
pub fn from_message(headers: Option<&HeaderMap>, payload: &[u8]) -> Result<Record, MessageError> {
    let json = headers
        .and_then(|headers| headers.get(RECORD_HEADER))
        .ok_or(MessageError::NoRecordHeader)?;
    let envelope: Envelope = serde_json::from_str(json.as_str())
        .map_err(|error| MessageError::Malformed(error.to_string()))?;
    Ok(Record {
        origin: Origin {
            path: envelope.origin.path,
            line: envelope.origin.line,
            record: envelope.origin.record,
        },
        bytes: payload.to_vec(),
        format: match envelope.format {
            FormatJson::Text => Format::Text,
            FormatJson::Html => Format::Html,
        },
        given: envelope.given.into(),
        fallback: envelope.fallback.into(),
    })
}

/// The record's origin as `ingest` would name it in a message, without reading the rest (for
/// dead letters and status lines); `None` when the header is missing or malformed.
pub fn origin_of(headers: Option<&HeaderMap>) -> Option<String> {
    let json = headers?.get(RECORD_HEADER)?;
    let envelope: Envelope = serde_json::from_str(json.as_str()).ok()?;
    Some(
        Origin {
            path: envelope.origin.path,
            line: envelope.origin.line,
            record: envelope.origin.record,
        }
        .to_string(),
    )
}

/// The submit time a message carries, in microseconds since the Unix epoch.
pub fn submitted_micros(headers: Option<&HeaderMap>) -> Option<u64> {
    headers?.get(SUBMITTED_HEADER)?.as_str().parse().ok()
}

/// Now, in microseconds since the Unix epoch.
pub fn now_micros() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_micros() as u64)
}

/// JSON with every character outside ASCII written as `\uXXXX` (surrogate pairs beyond the BMP).
/// Valid because such characters only occur inside JSON strings.
fn ascii_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// A reason as one header line: control characters (newlines included) become spaces.
pub fn one_line(reason: &str) -> String {
    reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            origin: Origin::line("feeds/ma\u{308}rz\nzwei.jsonl", 7),
            bytes: vec![0xff, b'a', 0, b'\n'],
            format: Format::Html,
            given: Given {
                url: Some("https://harbour.example/a".into()),
                outlet: Some("Hafenblatt Münster".into()),
                authors: vec!["Dana Whitlock".into(), "Ömer Kaya 🚢".into()],
                ..Given::default()
            },
            fallback: Given {
                published: Some("2024-05-14".into()),
                ..Given::default()
            },
        }
    }

    #[test]
    fn a_record_survives_the_message_unchanged() {
        let message = to_message(record(), 1_700_000_000_000_000);
        let back = from_message(Some(&message.headers), &message.payload).unwrap();
        let original = record();
        assert_eq!(back.origin, original.origin);
        assert_eq!(back.bytes, original.bytes);
        assert_eq!(back.format, original.format);
        assert_eq!(back.given, original.given);
        assert_eq!(back.fallback, original.fallback);
        assert_eq!(
            submitted_micros(Some(&message.headers)),
            Some(1_700_000_000_000_000)
        );
    }

    #[test]
    fn the_record_header_is_one_ascii_line() {
        let message = to_message(record(), 0);
        let json = message.headers.get(RECORD_HEADER).unwrap().as_str();
        assert!(json.is_ascii() && !json.contains('\n'), "{json}");
    }

    #[test]
    fn the_message_id_ignores_the_submit_time_and_follows_the_bytes() {
        let id = |record: Record, at: u64| {
            to_message(record, at)
                .headers
                .get(MESSAGE_ID_HEADER)
                .unwrap()
                .to_string()
        };
        assert_eq!(id(record(), 1), id(record(), 2));
        let mut other = record();
        other.bytes.push(b'x');
        assert_ne!(id(record(), 1), id(other, 1));
    }

    #[test]
    fn a_message_without_the_header_is_refused() {
        assert_eq!(
            from_message(None, b"text").unwrap_err(),
            MessageError::NoRecordHeader
        );
        let mut headers = HeaderMap::new();
        headers.insert(RECORD_HEADER, "{\"origin\":1}");
        assert!(matches!(
            from_message(Some(&headers), b"text"),
            Err(MessageError::Malformed(_))
        ));
    }
}
