//! `newslens analyze`: inputs in, one article contract per article out, in input order.
//!
//! Inputs are split into records sequentially and analysed in parallel a chunk at a time, so
//! output keeps the input order and memory stays bounded however large the batch. A failed input
//! prints one line on stderr and the rest of the batch goes on.

use std::io::Write;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use rayon::prelude::*;

use newslens_core::{analyze, Article, Document};
use newslens_read::{
    expand, open, read_record, ErrorKind, ReadError, ReadOptions, Reading, Record,
};

use crate::output::{ArticleWriter, OutputFormat};

/// Records analysed together: enough to keep every core busy, few enough to bound memory.
pub(crate) const CHUNK_RECORDS: usize = 256;
/// Bytes of input analysed together at most.
pub(crate) const CHUNK_BYTES: usize = 32 * 1024 * 1024;

#[derive(Args)]
pub struct AnalyzeArgs {
    /// Files, folders (read recursively) or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Outlet name for inputs that do not give one.
    #[arg(long, value_name = "NAME")]
    outlet: Option<String>,
    /// URL for inputs that do not give one.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Threads to analyse with (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Largest input read (one file, JSON line or archive record), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    max_bytes: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One JSON object for one article, else an array.
    Json,
    /// One JSON object a line.
    Jsonl,
    /// A short summary for people.
    Text,
}

/// The threads that analyse: `jobs` of them, or one per core.
pub fn analysis_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = jobs {
        builder = builder.num_threads(jobs.max(1));
    }
    builder.build().context("cannot start the analysis threads")
}

/// Runs the command; returns how many inputs failed.
pub fn run(args: &AnalyzeArgs) -> Result<usize> {
    let pool = analysis_pool(args.jobs)?;
    let options = ReadOptions {
        max_bytes: args.max_bytes,
    };
    let format = match args.format {
        Format::Json => OutputFormat::Json,
        Format::Jsonl => OutputFormat::JsonLines,
        Format::Text => OutputFormat::Text,
    };
    // Only the text summary has colour; JSON goes straight out, without anstream scanning it for
    // escape codes to strip.
    let out: Box<dyn Write> = match format {
        OutputFormat::Text => Box::new(anstream::stdout().lock()),
        OutputFormat::Json | OutputFormat::JsonLines => Box::new(
            std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
        ),
    };
    let mut writer = ArticleWriter::new(out, format);
    let mut n_failed = 0usize;

    let mut chunk: Vec<std::result::Result<Record, ReadError>> = Vec::new();
    let mut chunk_bytes = 0usize;
    for input in expand(&args.paths) {
        let records: newslens_read::inputs::Records = match input {
            Ok(input) => open(&input, &options),
            Err(error) => Box::new(std::iter::once(Err(error))),
        };
        for record in records {
            let record =
                record.map(|record| with_defaults(record, args.outlet.as_ref(), args.url.as_ref()));
            chunk_bytes += record.as_ref().map_or(0, |r| r.bytes.len());
            chunk.push(record);
            if chunk.len() >= CHUNK_RECORDS || chunk_bytes >= CHUNK_BYTES {
                n_failed += flush(&pool, &mut chunk, &options, &mut writer)?;
                chunk_bytes = 0;
            }
        }
    }
    n_failed += flush(&pool, &mut chunk, &options, &mut writer)?;
    writer.finish()?;
    Ok(n_failed)
}

/// `--outlet` and `--url` fill what the input did not give.
pub(crate) fn with_defaults(
    mut record: Record,
    outlet: Option<&String>,
    url: Option<&String>,
) -> Record {
    if record.given.outlet.is_none() {
        record.given.outlet = outlet.cloned();
    }
    if record.given.url.is_none() {
        record.given.url = url.cloned();
    }
    record
}

/// Analyses a chunk in parallel and writes it in order; returns how many inputs failed.
fn flush<W: Write>(
    pool: &rayon::ThreadPool,
    chunk: &mut Vec<std::result::Result<Record, ReadError>>,
    options: &ReadOptions,
    writer: &mut ArticleWriter<W>,
) -> Result<usize> {
    let results = analyze_records(pool, chunk, options, &|_| None, &|article| article);
    let mut n_failed = 0;
    for result in results {
        match result {
            Ok((article, warnings)) => {
                for warning in warnings {
                    eprintln!("newslens: {warning}");
                }
                writer.write(&article)?;
            }
            Err(error) => {
                n_failed += 1;
                writer.flush()?;
                eprintln!("newslens: {error}");
            }
        }
    }
    Ok(n_failed)
}

/// Reads and analyses a chunk in parallel, then runs `then` on each article on the same thread;
/// results come back in input order. A document for which `instead` answers is not analysed: its
/// answer is the result (`ingest` skips what is stored). Shared by `analyze` and `ingest`.
pub(crate) fn analyze_records<T: Send>(
    pool: &rayon::ThreadPool,
    chunk: &mut Vec<std::result::Result<Record, ReadError>>,
    options: &ReadOptions,
    instead: &(dyn Fn(&Document) -> Option<T> + Sync),
    then: &(dyn Fn(Article) -> T + Sync),
) -> Vec<std::result::Result<(T, Vec<String>), ReadError>> {
    pool.install(|| {
        chunk
            .par_drain(..)
            .map(|record| {
                let record = record?;
                let origin = record.origin.clone();
                // Readers and the core are tested never to panic; a third-party parser might. A
                // panic costs that one input, never the batch.
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let Reading { document, warnings } = read_record(record, options)?;
                    if let Some(answer) = instead(&document) {
                        return Ok((answer, warnings));
                    }
                    Ok((then(analyze(&document)), warnings))
                }))
                .unwrap_or_else(|panic| {
                    Err(ReadError::new(
                        origin,
                        ErrorKind::Internal(panic_message(&panic)),
                    ))
                })
            })
            .collect()
    })
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}
