//! JSON lines: one article a line, `{"text": …}` or `{"html": …}` with optional `id`, `url`,
//! `outlet`, `published`, `title` and `authors`.
//!
//! Lines are read one at a time, so a dump of any size streams. A malformed line is an error for
//! that line only; blank lines are skipped. A stream with no line but blank ones is one error, `no
//! records`, as an empty text file is `empty input`: a run that read nothing must not look like a
//! run that succeeded. It does not decode the article text (JSON is UTF-8).

use std::io::{BufRead, Read};

use serde::Deserialize;

use crate::error::{ErrorKind, Origin, ReadError, Result};
use crate::record::{Format, Given, Record};

#[derive(Deserialize)]
struct Line {
    text: Option<String>,
    html: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    id: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
    published: Option<String>,
    title: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    authors: Vec<String>,
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => vec![s],
        serde_json::Value::Array(items) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    })
}

/// The records of a JSON-lines stream, in order.
pub struct JsonLines<R> {
    reader: R,
    path: String,
    line_number: usize,
    max_bytes: u64,
    buffer: Vec<u8>,
    /// Whether any line held something (a record or an error).
    seen_any: bool,
}

impl<R: BufRead> JsonLines<R> {
    /// Reads records from `reader`, naming them after `path`.
    pub fn new(reader: R, path: impl Into<String>, max_bytes: u64) -> JsonLines<R> {
        JsonLines {
            reader,
            path: path.into(),
            line_number: 0,
            max_bytes,
            buffer: Vec::new(),
            seen_any: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        loop {
            self.buffer.clear();
            self.line_number += 1;
            let origin = Origin::line(self.path.clone(), self.line_number);
            // A JSON line holds the article plus escapes and metadata: allow some slack over the limit.
            let line_limit = self.max_bytes.saturating_mul(2).saturating_add(1);
            match Read::take(&mut self.reader, line_limit).read_until(b'\n', &mut self.buffer) {
                Ok(0) if self.seen_any => return None,
                Ok(0) => {
                    self.seen_any = true;
                    let origin = Origin::file(self.path.clone());
                    return Some(Err(ReadError::new(origin, ErrorKind::NoRecords)));
                }
                Ok(_) => {}
                Err(error) => {
                    self.seen_any = true;
                    return Some(Err(ReadError::io(origin, &error)));
                }
            }
            if self.buffer.last() != Some(&b'\n') && self.buffer.len() as u64 >= line_limit {
                // Skip the rest of the oversized line so the next one reads cleanly.
                let size = self.buffer.len() as u64 + skip_line(&mut self.reader);
                self.seen_any = true;
                return Some(Err(ReadError::new(
                    origin,
                    ErrorKind::TooLarge {
                        size,
                        limit: self.max_bytes,
                    },
                )));
            }
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.seen_any = true;
            return Some(parse_record(&self.buffer, origin));
        }
    }
}

fn skip_line(reader: &mut impl BufRead) -> u64 {
    let mut skipped = 0u64;
    loop {
        let (done, used) = match reader.fill_buf() {
            Ok([]) | Err(_) => return skipped,
            Ok(buf) => match memchr::memchr(b'\n', buf) {
                Some(idx) => (true, idx + 1),
                None => (false, buf.len()),
            },
        };
        reader.consume(used);
        skipped += used as u64;
        if done {
            return skipped;
        }
    }
}

/// One JSON record (`{"text": …}` or `{"html": …}` with its metadata) as a [`Record`]; the JSON
/// may span lines. For callers that get one article at a time, such as the HTTP server.
pub fn parse_record(bytes: &[u8], origin: Origin) -> Result<Record> {
    let line: Line = serde_json::from_slice(bytes)
        .map_err(|error| ReadError::new(origin.clone(), ErrorKind::Json(error.to_string())))?;
    let (text, format) = match (line.text, line.html) {
        (Some(text), _) if !text.trim().is_empty() => (text, Format::Text),
        (_, Some(html)) => (html, Format::Html),
        (Some(text), None) => (text, Format::Text),
        (None, None) => {
            return Err(ReadError::new(
                origin,
                ErrorKind::Json("no \"text\" or \"html\" field".to_string()),
            ))
        }
    };
    let given = Given {
        id: line.id,
        url: line.url,
        outlet: line.outlet,
        published: line.published,
        title: line.title,
        authors: line.authors,
    };
    Ok(Record {
        origin,
        bytes: text.into_bytes(),
        format,
        given,
        fallback: Given::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str) -> Vec<Result<Record>> {
        JsonLines::new(input.as_bytes(), "dump.jsonl", 1000).collect()
    }

    #[test]
    fn each_line_is_a_record_with_its_metadata() {
        let records = read("{\"text\":\"One.\",\"id\":7,\"authors\":\"Mara\"}\n\n{\"html\":\"<p>Two</p>\",\"outlet\":\"Courier\"}\n");
        assert_eq!(records.len(), 2);
        let first = records[0].as_ref().unwrap();
        assert_eq!(first.given.id.as_deref(), Some("7"));
        assert_eq!(first.given.authors, ["Mara"]);
        let second = records[1].as_ref().unwrap();
        assert_eq!(second.format, Format::Html);
        assert_eq!(second.origin.to_string(), "dump.jsonl:3");
    }

    #[test]
    fn a_malformed_line_fails_alone_with_its_number() {
        let records =
            read("{\"text\":\"One.\"}\n{not json\n{\"title\":\"no text\"}\n{\"text\":\"Four.\"}");
        assert!(records[0].is_ok());
        let err = records[1].as_ref().unwrap_err().to_string();
        assert!(
            err.starts_with("dump.jsonl:2: malformed JSON line:"),
            "{err}"
        );
        assert!(records[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("no \"text\" or \"html\""));
        assert!(records[3].is_ok());
    }

    #[test]
    fn an_empty_stream_is_one_no_records_error_naming_the_input() {
        for input in ["", "\n\n  \n"] {
            let records = read(input);
            assert_eq!(records.len(), 1, "{input:?}");
            assert_eq!(
                records[0].as_ref().unwrap_err().to_string(),
                "dump.jsonl: no records"
            );
        }
    }

    #[test]
    fn a_stream_of_only_bad_lines_has_no_extra_no_records_error() {
        let records = read("{broken\n");
        assert_eq!(records.len(), 1);
        assert!(matches!(
            records[0].as_ref().unwrap_err().kind,
            ErrorKind::Json(_)
        ));
    }

    #[test]
    fn an_oversized_line_fails_and_the_next_line_still_reads() {
        let long = format!(
            "{{\"text\":\"{}\"}}\n{{\"text\":\"ok\"}}\n",
            "a".repeat(5000)
        );
        let records = read(&long);
        assert!(matches!(
            records[0].as_ref().unwrap_err().kind,
            ErrorKind::TooLarge { .. }
        ));
        assert_eq!(records[1].as_ref().unwrap().bytes, b"ok");
    }
}
