//! Records: one article's worth of input bytes with its origin and any metadata the input gave,
//! and the step that turns a record into a document.
//!
//! Reading is split in two so a batch can run in parallel: splitting inputs into records is
//! sequential I/O (`inputs`, `jsonl`, `warc`); turning a record into a document ([`read_record`]) is
//! pure CPU work with no I/O.

use newslens_contract::Document;

use crate::decode::decode;
use crate::error::{ErrorKind, Origin, ReadError, Result};
use crate::html::read_html;
use crate::normalize::normalize;
use crate::plain::{self, Known};

/// What kind of bytes a record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text.
    Text,
    /// An HTML page.
    Html,
}

/// Metadata an input gave with its text: it wins over metadata found in the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Given {
    /// Caller's id for the article.
    pub id: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Outlet name.
    pub outlet: Option<String>,
    /// Publication date, as given.
    pub published: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
}

/// One article's input.
#[derive(Debug, Clone)]
pub struct Record {
    /// Where it came from.
    pub origin: Origin,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// What the bytes are.
    pub format: Format,
    /// Metadata given with it.
    pub given: Given,
    /// Metadata given by the container (a WARC header), used when the page says nothing.
    pub fallback: Given,
}

/// A document read from a record, with warnings for the user.
#[derive(Debug)]
pub struct Reading {
    /// The document.
    pub document: Document,
    /// Things the user should know (an encoding guessed, say), one line each.
    pub warnings: Vec<String>,
}

/// Settings for reading.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Largest input (one file, one JSON line or one archive record) read, in bytes.
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            max_bytes: 10_000_000,
        }
    }
}

/// Turns a record into a document: decode, extract (HTML), normalise, clean, apply given metadata.
pub fn read_record(record: Record, options: &ReadOptions) -> Result<Reading> {
    let Record {
        origin,
        bytes,
        format,
        given,
        fallback,
    } = record;
    let fail = |kind| ReadError::new(origin.clone(), kind);
    if bytes.len() as u64 > options.max_bytes {
        return Err(fail(ErrorKind::TooLarge {
            size: bytes.len() as u64,
            limit: options.max_bytes,
        }));
    }
    let declared = match format {
        Format::Html => declared_charset(&bytes),
        Format::Text => None,
    };
    let decoded = decode(&bytes, declared.as_deref()).map_err(fail)?;
    let mut warnings = Vec::new();
    if let Some(warning) = decoded.warning {
        warnings.push(format!("{origin}: warning: {warning}"));
    }
    let mut document = match format {
        Format::Html => {
            crate::html::shape::check(&decoded.text)
                .map_err(|refused| fail(ErrorKind::Shape(refused.to_string())))?;
            read_html(&decoded.text).ok_or_else(|| fail(ErrorKind::NoText))?
        }
        Format::Text => {
            let known = Known {
                title: given.title.clone(),
            };
            plain::clean(&normalize(&decoded.text), &known)
        }
    };
    if document.text.trim().is_empty() {
        return Err(fail(ErrorKind::NoText));
    }
    apply_given(&mut document, given, fallback);
    document.source.path = Some(origin.location());
    Ok(Reading { document, warnings })
}

fn apply_given(document: &mut Document, given: Given, fallback: Given) {
    let published = given
        .published
        .map(|p| newslens_contract::dates::parse_date_phrase(&p).unwrap_or(p));
    document.title = given.title.or(document.title.take()).or(fallback.title);
    document.published = published
        .or(document.published.take())
        .or(fallback.published);
    if !given.authors.is_empty() {
        document.authors = given.authors;
    } else if document.authors.is_empty() {
        document.authors = fallback.authors;
    }
    document.source.url = given.url.or(document.source.url.take()).or(fallback.url);
    document.source.outlet = given
        .outlet
        .or(document.source.outlet.take())
        .or(fallback.outlet);
}

/// The charset an HTML page declares in its first kilobytes (`<meta charset>` or `http-equiv`).
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let value: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(bytes: &[u8], format: Format) -> Record {
        Record {
            origin: Origin::file("a.txt"),
            bytes: bytes.to_vec(),
            format,
            given: Given::default(),
            fallback: Given::default(),
        }
    }

    #[test]
    fn given_metadata_wins_over_found_metadata() {
        let mut rec = record(b"Council to close library\n\nThe council voted on Tuesday to close the Elm Street library.", Format::Text);
        rec.given = Given {
            title: Some("Given title".into()),
            published: Some("March 5, 2024".into()),
            ..Given::default()
        };
        let reading = read_record(rec, &ReadOptions::default()).unwrap();
        assert_eq!(reading.document.title.as_deref(), Some("Given title"));
        assert_eq!(reading.document.published.as_deref(), Some("2024-03-05"));
    }

    #[test]
    fn oversized_records_are_refused_with_the_limit() {
        let err = read_record(
            record(&[b'a'; 100], Format::Text),
            &ReadOptions { max_bytes: 10 },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.txt: input of 100 bytes is over the limit of 10 bytes (see --max-bytes)"
        );
    }

    #[test]
    fn html_declared_charset_is_found() {
        assert_eq!(
            declared_charset(br#"<meta charset="ISO-8859-1">"#).as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(declared_charset(b"<p>no charset</p>"), None);
    }
}
