//! The one flow of newslens: read → analyse → (skip what is stored) → prepare → store.
//!
//! Every entry point that turns inputs into articles calls this crate: `newslens analyze` and
//! `ingest`, `POST /v1/analyze` and `POST /v1/ingest`, the evaluations and the benchmarks. So they
//! share one behaviour:
//! - records are analysed in parallel a chunk at a time ([`Chunks`]), and results come back in
//!   input order;
//! - a panic costs only the input that raised it: it becomes a one-line error naming that input;
//! - `--outlet` / `--url` style defaults fill only what an input did not give ([`Defaults`]);
//! - when storing, a document whose text or URL is stored already is skipped before analysis, and
//!   [`newslens_store::prepare`] runs on the analysis threads, so the one writer only binds values
//!   ([`ingest`]).
//!
//! It does not parse arguments, print, draw progress bars or speak HTTP: callers do, through the
//! [`Event`]s an ingest reports.
//!
//! # Brief overview
//! ```
//! use newslens_pipeline::{Chunks, Defaults, Pipeline, Settings};
//! use newslens_read::{Format, Given, Origin, Record};
//!
//! let pipeline = Pipeline::new(Settings { jobs: Some(1), ..Settings::default() }).unwrap();
//! let record = Record {
//!     origin: Origin::file("-"),
//!     bytes: b"Lifeboat crews rescued twelve sailors near Harwich on Sunday.".to_vec(),
//!     format: Format::Text,
//!     given: Given::default(),
//!     fallback: Given::default(),
//! };
//! for chunk in Chunks::new(vec![Ok(record)]) {
//!     for result in pipeline.analyze_chunk(chunk) {
//!         let analysed = result.unwrap();
//!         assert_eq!(analysed.value.sentences.len(), 1);
//!     }
//! }
//! ```
#![warn(missing_docs)]

pub mod bench;

mod batch;
mod chunks;
mod clock;
mod ingest;

pub use batch::{
    Analysed, Defaults, Done, Input, LoadedTagger, Pipeline, Prepared, Settings,
    DEFAULT_TIME_BUDGET,
};
pub use chunks::{records_of, Chunks, CHUNK_BYTES, CHUNK_RECORDS};
pub use clock::{peak_memory_kib, process_cpu_time, resident_memory_kib, thread_cpu_time};
pub use ingest::{ingest, store_chunks, Event, IngestReport, Stored};

/// What can stop a pipeline (a failed input never does: it is reported and the rest goes on).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The analysis threads could not be started.
    #[error("cannot start the analysis threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// The store refused a read or a write.
    #[error(transparent)]
    Store(#[from] newslens_store::StoreError),
    /// The thread that writes to the store stopped without an answer.
    #[error("the corpus writer failed")]
    Writer,
    /// A file of the pipeline's own (a benchmark's input or corpus) could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The benchmark found too few development texts to build articles from.
    #[error("{}: no development texts found (PolNeAR, ECB+, PTC)", .0.display())]
    NoBenchTexts(std::path::PathBuf),
}

/// The result type of the pipeline's fallible steps.
pub type Result<T> = std::result::Result<T, PipelineError>;
