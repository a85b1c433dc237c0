//! Reading news inputs into newslens documents: plain text, HTML, JSON lines and web archives.
//!
//! Reading has two halves. [`inputs`] turns the user's paths into streams of [`Record`]s, one per
//! article (a file, a JSON line, a WARC response): sequential I/O. [`read_record`] turns one record
//! into a [`newslens_contract::Document`]: decode, extract the main text of HTML, normalise, move
//! datelines, headlines, bylines and boilerplate into metadata. The second half does no I/O, so a
//! batch runs it in parallel. Every error names its input ([`ReadError`]) and affects that input only.
//!
//! # Brief overview
//! ```
//! use newslens_read::{read_record, Format, Given, Origin, ReadOptions, Record};
//!
//! let bytes = "Council to close library\n\nBy Mara Ellison\n\nThe council voted on Tuesday to close the library.".as_bytes().to_vec();
//! let record = Record { origin: Origin::file("a.txt"), bytes, format: Format::Text, given: Given::default(), fallback: Given::default() };
//! let reading = read_record(record, &ReadOptions::default()).unwrap();
//! assert_eq!(reading.document.title.as_deref(), Some("Council to close library"));
//! assert_eq!(reading.document.authors, ["Mara Ellison"]);
//! ```
#![warn(missing_docs)]

pub mod content_coding;
pub mod decode;
pub mod error;
pub mod gzip;
pub mod html;
pub mod inputs;
pub mod jsonl;
pub mod normalize;
pub mod plain;
pub mod record;
pub mod warc;

pub use error::{printable, ErrorKind, Origin, ReadError, Result};
pub use inputs::{expand, open, Input};
pub use record::{read_record, Format, Given, ReadOptions, Reading, Record};
