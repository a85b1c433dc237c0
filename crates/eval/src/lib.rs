//! Gold data for newslens: readers of the development sets in `../shared/data` and the scoring
//! that every `newslens eval` command prints.
//!
//! Each reader turns one data set's files into plain Rust values (sentences with tags, spans with
//! types); [`score`] counts matches and prints precision, recall and F1. Nothing here analyses
//! articles: the evaluation commands run the analysis and hand its output to these scorers.
#![warn(missing_docs)]

pub mod allsides;
pub mod basil;
pub mod bcubed;
pub mod conll;
pub mod ecb;
pub mod gmb;
pub mod polnear;
pub mod ptc;
pub mod score;

/// Errors reading a gold file.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line that does not follow the format.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}
