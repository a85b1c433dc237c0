//! Gold data for newslens: readers of the development sets in `../shared/data`, the scoring that
//! every `newslens eval` command prints, the evaluation runs themselves and the training glue that
//! turns gold data into the shipped models.
//!
//! - The readers ([`conll`], [`gmb`], [`polnear`], [`ptc`], [`basil`], [`ecb`], [`allsides`]) turn
//!   one data set's files into plain Rust values (sentences with tags, spans with types).
//! - [`score`], [`bcubed`] and [`polnear`]'s scorer count matches: precision, recall and F1.
//! - [`evaluate`] runs the analysis over gold data and returns reports whose `Display` is the text
//!   `newslens eval` prints; [`train`] reads gold data, calls the core's trainers and writes the
//!   model files `newslens train` builds.
//!
//! Nothing here parses arguments or prints: the `newslens` binary does both, and reports progress
//! it receives through callbacks. The core stays free of I/O; reading gold files and writing model
//! files happens here.
#![warn(missing_docs)]

pub mod allsides;
pub mod basil;
pub mod bcubed;
pub mod conll;
pub mod ecb;
pub mod evaluate;
pub mod extraction;
pub mod gmb;
pub mod polnear;
pub mod ptc;
pub mod score;
pub mod train;

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

/// Errors of an evaluation or training run: the file that could not be read or written, with the
/// cause as its source.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A gold file or folder could not be read.
    #[error("cannot read {path}")]
    Gold {
        /// The file or folder.
        path: String,
        /// Why.
        source: GoldError,
    },
    /// A named corpus (GMB, PTC, BASIL) could not be read.
    #[error("cannot read {corpus} from {path}")]
    Corpus {
        /// The corpus's name.
        corpus: &'static str,
        /// Its file or folder.
        path: String,
        /// Why.
        source: GoldError,
    },
    /// A file could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A folder could not be listed.
    #[error("cannot list {path}")]
    List {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// An output file could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A trained model could not be written.
    #[error("cannot write the model to {path}")]
    WriteModel {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Encoder weights could not be loaded.
    #[error(transparent)]
    Encoder(#[from] newslens_encoder::EncoderError),
    /// A model file's bytes are not an entity tagger.
    #[error("{path}")]
    Model {
        /// The file.
        path: String,
        /// Why.
        source: newslens_core::ner::ModelError,
    },
    /// The seed folder's `gold.json` does not parse as the seed reference.
    #[error("{path} is not the seed reference")]
    SeedReference {
        /// The `gold.json` file.
        path: String,
        /// Why.
        source: serde_json::Error,
    },
    /// A seed article could not be read.
    #[error(transparent)]
    Input(#[from] newslens_read::ReadError),
    /// The pipeline's analysis threads could not be started.
    #[error(transparent)]
    Pipeline(#[from] newslens_pipeline::PipelineError),
    /// The store refused.
    #[error(transparent)]
    Store(#[from] newslens_store::StoreError),
    /// A seed file held no article.
    #[error("{path}: no article read")]
    NoArticle {
        /// The file.
        path: String,
    },
}
