//! `newslens ingest`: analyse articles and store them in the corpus database, then update stories.
//!
//! The flow is the pipeline's (`newslens_pipeline::ingest`): inputs are read and analysed exactly
//! as `analyze` does (same chunks, same parallelism, same one line per failed input), and each
//! chunk is stored as one transaction, so killing the process loses at most the chunks in flight;
//! running the command again skips what is stored (same text or same URL, checked on the read
//! document before any analysis) and completes the batch. Stories are recomputed over the whole
//! corpus at the end. This module parses the arguments and reports: a progress bar with rate and
//! ETA on a terminal, otherwise one summary line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use newslens_pipeline::{records_of, Chunks, Event, IngestReport};
use newslens_read::{expand, Input};

use crate::analyze::PipelineArgs;
use newslens_store::SqliteStore;

#[derive(Args, Clone)]
pub struct IngestArgs {
    /// Files, folders (read recursively) or - for standard input: the same inputs as `analyze`.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// The corpus database (created if missing).
    #[arg(long, value_name = "PATH", default_value = "newslens.db")]
    pub db: PathBuf,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// No progress bar, even on a terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Runs the command; returns how many inputs failed.
pub fn run(args: &IngestArgs) -> Result<usize> {
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let report = ingest(args, show_progress)?;
    let total = report.store_time + report.story_time;
    let stored = &report.stored;
    let skipped = stored.outcome.same_text + stored.outcome.same_url;
    eprintln!(
        "newslens: {}: {} added, {} already stored, {} failed; corpus {} articles ({} near-copies) in {} stories; {:.1} s, {:.0} articles/s",
        args.db.display(),
        stored.outcome.added,
        skipped,
        stored.n_failed,
        report.counts.articles,
        report.counts.duplicates,
        report.counts.stories,
        total.as_secs_f64(),
        stored.n_read as f64 / total.as_secs_f64().max(1e-9),
    );
    Ok(stored.n_failed)
}

/// Ingests the inputs into the database; `show_progress` draws a bar on stderr.
pub fn ingest(args: &IngestArgs, show_progress: bool) -> Result<IngestReport> {
    let started = Instant::now();
    let pipeline = args.pipeline.pipeline()?;
    let mut store = SqliteStore::open(&args.db)
        .with_context(|| format!("cannot open the corpus {}", args.db.display()))?;
    let bar = progress_bar(show_progress, input_bytes(&args.paths));
    let records = records_of(&args.paths, &pipeline.settings().read)
        .inspect(|record| bar.inc(record.as_ref().map_or(0, |r| r.bytes.len()) as u64));
    let report =
        newslens_pipeline::ingest(&pipeline, &mut store, Chunks::new(records), &mut |event| {
            match event {
                Event::Warning(warning) => bar.suspend(|| eprintln!("newslens: {warning}")),
                Event::Failed(error) => bar.suspend(|| eprintln!("newslens: {error}")),
                Event::Chunk { n_read } => bar.set_message(format!(
                    "{n_read} articles, {:.0}/s",
                    n_read as f64 / started.elapsed().as_secs_f64().max(1e-9)
                )),
                Event::UpdatingStories => bar.set_message("updating stories"),
            }
        })
        .with_context(|| format!("cannot ingest into the corpus {}", args.db.display()))?;
    bar.finish_and_clear();
    Ok(report)
}

/// The bytes of the input files, for the progress bar (folders and `-` are expanded first).
fn input_bytes(paths: &[String]) -> u64 {
    expand(paths)
        .iter()
        .filter_map(|input| match input {
            Ok(Input::File(path)) => std::fs::metadata(path).ok().map(|m| m.len()),
            _ => None,
        })
        .sum()
}

/// A bar with rate and ETA on stderr, or a hidden one.
fn progress_bar(show: bool, total_bytes: u64) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total_bytes.max(1)), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}%  {msg}  ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
