//! `newslens ingest`: analyse articles and store them in the corpus database, then update stories.
//!
//! Inputs are read and analysed exactly as `analyze` does (same chunks, same parallelism, same one
//! line per failed input), and each chunk is stored as one transaction, so killing the process
//! loses at most the chunk in flight; running the command again skips what is stored (same text
//! or same URL, checked on the read document before any analysis) and completes the batch.
//! Stories are recomputed over the whole corpus at the end. A progress bar with rate and ETA shows
//! on a terminal; otherwise one summary line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use newslens_core::Document;
use newslens_read::{expand, open, Input, ReadError, ReadOptions, Record};
use newslens_store::{
    prepare, update_stories, AddOutcome, AlreadyStored, ArticleRecord, CorpusCounts, SqliteStore,
    Store, StoryConfig,
};

use crate::analyze::{analyze_records, with_defaults, CHUNK_BYTES, CHUNK_RECORDS};

#[derive(Args, Clone)]
pub struct IngestArgs {
    /// Files, folders (read recursively) or - for standard input: the same inputs as `analyze`.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// The corpus database (created if missing).
    #[arg(long, value_name = "PATH", default_value = "newslens.db")]
    pub db: PathBuf,
    /// Outlet name for inputs that do not give one.
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// URL for inputs that do not give one.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Threads to analyse with (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Largest input read (one file, JSON line or archive record), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    pub max_bytes: u64,
    /// No progress bar, even on a terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// What an ingest did.
#[derive(Debug, Clone, Default)]
pub struct IngestReport {
    /// Articles read (analysed and stored, or found stored already).
    pub n_analysed: usize,
    /// What the store did with them.
    pub outcome: AddOutcome,
    /// Inputs that failed.
    pub n_failed: usize,
    /// The corpus after the story update.
    pub counts: CorpusCounts,
    /// Reading, analysing and storing.
    pub store_time: Duration,
    /// Updating stories.
    pub story_time: Duration,
    /// CPU time of the thread that wrote to the database (storing only, not analysis).
    pub writer_cpu: Duration,
}

/// An input after analysis: a record to store, or a document found stored before analysis.
enum Prepared {
    Record(Box<ArticleRecord>),
    Stored(AlreadyStored),
}

type Writer = std::thread::JoinHandle<Result<(SqliteStore, AddOutcome, Duration)>>;

/// A thread that stores each batch it is sent as one transaction, and answers the store and what
/// it did once the sender is dropped (or the first error).
fn spawn_writer(
    mut store: SqliteStore,
    db: PathBuf,
) -> (std::sync::mpsc::SyncSender<Vec<ArticleRecord>>, Writer) {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<ArticleRecord>>(2);
    let writer = std::thread::spawn(move || {
        let mut total = AddOutcome::default();
        for batch in receiver {
            let outcome = store
                .add_articles(&batch)
                .with_context(|| format!("cannot store articles in {}", db.display()))?;
            total.added += outcome.added;
            total.same_text += outcome.same_text;
            total.same_url += outcome.same_url;
        }
        Ok((store, total, thread_cpu_time()))
    });
    (sender, writer)
}

/// CPU time the calling thread has used (zero where the system cannot tell).
pub(crate) fn thread_cpu_time() -> Duration {
    cpu_clock(Clock::Thread)
}

/// CPU time the whole process has used, all threads (zero where the system cannot tell).
pub(crate) fn process_cpu_time() -> Duration {
    cpu_clock(Clock::Process)
}

enum Clock {
    Thread,
    Process,
}

#[cfg(unix)]
fn cpu_clock(clock: Clock) -> Duration {
    let id = match clock {
        Clock::Thread => libc::CLOCK_THREAD_CPUTIME_ID,
        Clock::Process => libc::CLOCK_PROCESS_CPUTIME_ID,
    };
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer and nothing else.
    let status = unsafe { libc::clock_gettime(id, &mut time) };
    if status != 0 {
        return Duration::ZERO;
    }
    Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
}

#[cfg(not(unix))]
fn cpu_clock(_clock: Clock) -> Duration {
    Duration::ZERO
}

/// Runs the command; returns how many inputs failed.
pub fn run(args: &IngestArgs) -> Result<usize> {
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let report = ingest(args, show_progress)?;
    let total = report.store_time + report.story_time;
    let skipped = report.outcome.same_text + report.outcome.same_url;
    eprintln!(
        "newslens: {}: {} added, {} already stored, {} failed; corpus {} articles ({} near-copies) in {} stories; {:.1} s, {:.0} articles/s",
        args.db.display(),
        report.outcome.added,
        skipped,
        report.n_failed,
        report.counts.articles,
        report.counts.duplicates,
        report.counts.stories,
        total.as_secs_f64(),
        report.n_analysed as f64 / total.as_secs_f64().max(1e-9),
    );
    Ok(report.n_failed)
}

/// Ingests the inputs into the database; `show_progress` draws a bar on stderr.
pub fn ingest(args: &IngestArgs, show_progress: bool) -> Result<IngestReport> {
    let started = Instant::now();
    let pool = crate::analyze::analysis_pool(args.jobs)?;
    let options = ReadOptions {
        max_bytes: args.max_bytes,
    };
    let store = SqliteStore::open(&args.db)
        .with_context(|| format!("cannot open the corpus {}", args.db.display()))?;
    // What is stored already is skipped before analysis, so running an interrupted ingest again
    // costs reading the inputs, not analysing them again.
    let stored = store
        .stored_keys()
        .with_context(|| format!("cannot read the corpus {}", args.db.display()))?;
    store
        .tune_for_bulk_writes()
        .with_context(|| format!("cannot set up the corpus {}", args.db.display()))?;
    // Storing runs on its own thread, up to two chunks behind the analysis, so the cores analyse
    // the next chunks while SQLite writes this one (each chunk is still one transaction).
    let (batches, writer) = spawn_writer(store, args.db.clone());

    let inputs = expand(&args.paths);
    let total_bytes: u64 = inputs
        .iter()
        .filter_map(|input| match input {
            Ok(Input::File(path)) => std::fs::metadata(path).ok().map(|m| m.len()),
            _ => None,
        })
        .sum();
    let bar = if show_progress {
        let bar =
            ProgressBar::with_draw_target(Some(total_bytes.max(1)), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}%  {msg}  ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };

    let mut report = IngestReport::default();
    let mut skipped = AddOutcome::default();
    let already_stored = |document: &Document| {
        stored
            .find(&document.text, document.source.url.as_deref())
            .map(Prepared::Stored)
    };
    let prepare = |article| Prepared::Record(Box::new(prepare(article)));
    let mut chunk: Vec<std::result::Result<Record, ReadError>> = Vec::new();
    let mut chunk_bytes = 0usize;
    let mut flush = |chunk: &mut Vec<std::result::Result<Record, ReadError>>,
                     report: &mut IngestReport|
     -> Result<()> {
        let results = analyze_records(&pool, chunk, &options, &already_stored, &prepare);
        let mut batch = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok((prepared, warnings)) => {
                    for warning in warnings {
                        bar.suspend(|| eprintln!("newslens: {warning}"));
                    }
                    report.n_analysed += 1;
                    match prepared {
                        Prepared::Record(record) => batch.push(*record),
                        Prepared::Stored(AlreadyStored::SameText) => skipped.same_text += 1,
                        Prepared::Stored(AlreadyStored::SameUrl) => skipped.same_url += 1,
                    }
                }
                Err(error) => {
                    report.n_failed += 1;
                    bar.suspend(|| eprintln!("newslens: {error}"));
                }
            }
        }
        if batches.send(batch).is_err() {
            // The writer stopped on an error; joining it below reports that error.
            return Ok(());
        }
        let seconds = started.elapsed().as_secs_f64().max(1e-9);
        bar.set_message(format!(
            "{} articles, {:.0}/s",
            report.n_analysed,
            report.n_analysed as f64 / seconds
        ));
        Ok(())
    };
    for input in inputs {
        let records: newslens_read::inputs::Records = match input {
            Ok(input) => open(&input, &options),
            Err(error) => Box::new(std::iter::once(Err(error))),
        };
        for record in records {
            let record =
                record.map(|record| with_defaults(record, args.outlet.as_ref(), args.url.as_ref()));
            let n_bytes = record.as_ref().map_or(0, |r| r.bytes.len());
            chunk_bytes += n_bytes;
            bar.inc(n_bytes as u64);
            chunk.push(record);
            if chunk.len() >= CHUNK_RECORDS || chunk_bytes >= CHUNK_BYTES {
                flush(&mut chunk, &mut report)?;
                chunk_bytes = 0;
            }
        }
    }
    flush(&mut chunk, &mut report)?;
    drop(batches);
    let (mut store, outcome, writer_cpu) = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the corpus writer failed"))??;
    report.outcome = AddOutcome {
        added: outcome.added,
        same_text: outcome.same_text + skipped.same_text,
        same_url: outcome.same_url + skipped.same_url,
    };
    report.writer_cpu = writer_cpu;
    store
        .end_bulk_writes()
        .with_context(|| format!("cannot set up the corpus {}", args.db.display()))?;
    report.store_time = started.elapsed();

    bar.set_message(format!("{} articles; updating stories", report.n_analysed));
    let stories_started = Instant::now();
    report.counts = update_stories(&mut store, &StoryConfig::default())
        .with_context(|| format!("cannot update stories in {}", args.db.display()))?;
    report.story_time = stories_started.elapsed();
    bar.finish_and_clear();
    Ok(report)
}
