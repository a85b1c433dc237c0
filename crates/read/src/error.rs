//! Read errors: what went wrong, and with which input (path, line or record).
//!
//! Every error names its input so the binary can print one line per failed input and carry on with
//! the rest of the batch. It does not print anything itself.
//!
//! A file may be named anything, newlines and terminal escapes included, so an error shows names
//! through [`printable`]: one error is always one line, and a name cannot forge a second
//! `newslens: …` line or move the cursor.

use std::borrow::Cow;
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

impl Origin {
    /// The origin as data (an article's `source.path`): the path exactly as given, with its line or
    /// record number. [`Origin`]'s `Display` is the same with control characters escaped, for
    /// messages.
    pub fn location(&self) -> String {
        self.with_path(&self.path)
    }

    fn with_path(&self, path: &str) -> String {
        match (self.line, self.record) {
            (Some(line), _) => format!("{path}:{line}"),
            (None, Some(record)) => format!("{path}: record {record}"),
            (None, None) => path.to_string(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.with_path(&printable(&self.path)))
    }
}

/// Text as it may be printed on a terminal line: control characters (C0, DEL, C1), line and
/// paragraph separators and the bidirectional overrides are written as Rust escapes (`\n`, `\u{1b}`).
/// Everything else, backslashes included, is left alone, so ordinary names print unchanged; the
/// result has no control characters, so escaping it again changes nothing.
///
/// ```
/// use newslens_read::printable;
/// assert_eq!(printable("a.txt"), "a.txt");
/// assert_eq!(printable("a\nnewslens: fake.txt"), "a\\nnewslens: fake.txt");
/// assert_eq!(printable("\u{1b}[2Ka.txt"), "\\u{1b}[2Ka.txt");
/// ```
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
    /// A file of many records (JSON lines, a web archive) that holds none, like an empty text file.
    #[error("no records")]
    NoRecords,
    /// A web archive whose records hold no HTML response, so no article.
    #[error("no HTML responses among its {0} records")]
    NoHtmlResponses(usize),
    /// A page whose shape would make parsing it cost far more than its size (tags nested
    /// thousands deep, a tag with thousands of attributes).
    #[error("page refused: {0}")]
    Shape(String),
    /// The input has no article text (for example an HTML page with no main text).
    #[error("no article text found")]
    NoText,
    /// The analysis of the input ran past its time budget (`newslens_core::analyze_within`): the
    /// last guard against a document far slower to analyse than its size suggests.
    #[error("analysis ran past its time budget of {} s", .0.as_secs_f64())]
    OverBudget(std::time::Duration),
    /// A bug: the program failed on this input (please report it with the input).
    #[error("internal error on this input, please report it: {0}")]
    Internal(String),
    /// A path with an extension newslens does not read.
    #[error(
        "unsupported file type (expected .txt, .html, .htm, .jsonl, .ndjson, .warc or .warc.gz)"
    )]
    Unsupported,
}

/// An error with the input it happened to. Its `Display` is one line: `origin: what went wrong`,
/// with control characters escaped in both halves (a JSON parser's message may quote the input).
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
#[error("{origin}: {}", printable(&kind.to_string()))]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_a_newline_cannot_forge_a_second_error_line() {
        let error = ReadError::new(
            Origin::file("a.txt: empty input\nnewslens: b.txt"),
            ErrorKind::Empty,
        );
        assert_eq!(
            error.to_string(),
            "a.txt: empty input\\nnewslens: b.txt: empty input"
        );
        assert_eq!(error.to_string().lines().count(), 1);
    }

    #[test]
    fn terminal_escapes_and_bidi_overrides_in_names_are_shown_escaped() {
        let origin = Origin::line("\u{1b}[1A\u{1b}[2K\u{202e}txt.exe", 3);
        assert_eq!(origin.to_string(), "\\u{1b}[1A\\u{1b}[2K\\u{202e}txt.exe:3");
        let record = Origin::record("crawl\r.warc", 2);
        assert_eq!(record.to_string(), "crawl\\r.warc: record 2");
    }

    #[test]
    fn ordinary_names_print_as_given_and_data_keeps_the_raw_name() {
        let origin = Origin::line("données/été 2024.jsonl", 7);
        assert_eq!(origin.to_string(), "données/été 2024.jsonl:7");
        let odd = Origin::line("a\nb.jsonl", 1);
        assert_eq!(odd.location(), "a\nb.jsonl:1");
        assert!(matches!(printable("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn an_error_message_quoting_the_input_stays_on_one_line() {
        let error = ReadError::new(
            Origin::line("dump.jsonl", 2),
            ErrorKind::Json("unknown value `x\ny`".to_string()),
        );
        assert_eq!(
            error.to_string(),
            "dump.jsonl:2: malformed JSON line: unknown value `x\\ny`"
        );
    }
}
