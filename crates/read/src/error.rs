//! Read errors: what went wrong, and with which input (path, line or record).
//!
//! Every error names its input so the binary can print one line per failed input and carry on with
//! the rest of the batch. It does not print anything itself.

use std::fmt;

/// Where a record came from: a path (`-` for standard input) and, inside a file of many records,
/// the line or record number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The input path as the user gave it, `-` for standard input.
    pub path: String,
    /// 1-based line number in a JSON-lines file.
    pub line: Option<usize>,
    /// 1-based record number in a web archive.
    pub record: Option<usize>,
}

impl Origin {
    /// The origin of a whole file.
    pub fn file(path: impl Into<String>) -> Origin {
        Origin {
            path: path.into(),
            line: None,
            record: None,
        }
    }

    /// The origin of one line of a JSON-lines file.
    pub fn line(path: impl Into<String>, line: usize) -> Origin {
        Origin {
            path: path.into(),
            line: Some(line),
            record: None,
        }
    }

    /// The origin of one record of a web archive.
    pub fn record(path: impl Into<String>, record: usize) -> Origin {
        Origin {
            path: path.into(),
            line: None,
            record: Some(record),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.record) {
            (Some(line), _) => write!(f, "{}:{line}", self.path),
            (None, Some(record)) => write!(f, "{}: record {record}", self.path),
            (None, None) => f.write_str(&self.path),
        }
    }
}

/// What went wrong with one input.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum ErrorKind {
    /// The input could not be opened or read.
    #[error("{0}")]
    Io(String),
    /// The input is empty, or holds only white space.
    #[error("empty input")]
    Empty,
    /// The input looks like a binary file, not text.
    #[error("binary file (not text)")]
    Binary,
    /// The input is larger than the limit.
    #[error("input of {size} bytes is over the limit of {limit} bytes (see --max-bytes)")]
    TooLarge {
        /// Bytes seen (at least).
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A JSON line that is not a JSON object of the expected shape.
    #[error("malformed JSON line: {0}")]
    Json(String),
    /// A web archive that does not follow the WARC format.
    #[error("malformed WARC: {0}")]
    Warc(String),
    /// A page whose shape would make parsing it cost far more than its size (tags nested
    /// thousands deep, a tag with thousands of attributes).
    #[error("page refused: {0}")]
    Shape(String),
    /// The input has no article text (for example an HTML page with no main text).
    #[error("no article text found")]
    NoText,
    /// A bug: the program failed on this input (please report it with the input).
    #[error("internal error on this input, please report it: {0}")]
    Internal(String),
    /// A path with an extension newslens does not read.
    #[error(
        "unsupported file type (expected .txt, .html, .htm, .jsonl, .ndjson, .warc or .warc.gz)"
    )]
    Unsupported,
}

/// An error with the input it happened to.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
#[error("{origin}: {kind}")]
pub struct ReadError {
    /// The input.
    pub origin: Origin,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl ReadError {
    /// An error of this kind for this input.
    pub fn new(origin: Origin, kind: ErrorKind) -> ReadError {
        ReadError { origin, kind }
    }

    /// An I/O error for this input, worded for people ("No such file or directory").
    pub fn io(origin: Origin, error: &std::io::Error) -> ReadError {
        let message = match error.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => error.to_string(),
        };
        ReadError::new(origin, ErrorKind::Io(message))
    }
}

/// Results of reading.
pub type Result<T> = std::result::Result<T, ReadError>;
