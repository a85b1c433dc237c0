//! `newslens ingest`: analyse articles and store them in the corpus database, then update stories.
//!
//! The flow is the pipeline's (`newslens_pipeline::ingest`): inputs are read and analysed exactly
//! as `analyze` does (same chunks, same parallelism, same one line per failed input), and each
//! chunk is stored as one transaction, so killing the process loses at most the chunks in flight;
//! running the command again skips what is stored (same text or same URL, checked on the read
//! document before any analysis) and completes the batch. Stories are recomputed over the whole
//! corpus at the end. This module parses the arguments and reports: a progress bar with rate and
//! ETA on a terminal, otherwise one summary line.
//!
//! http(s) arguments and `--urls FILE` are fetched (`newslens_fetch`): feeds and sitemaps expand
//! to their articles, URLs stored or fetched before are skipped, and the pages join the files'
//! records in the same pipeline, after them; the fetch log is written once they are stored.
//! Ctrl-C (or SIGTERM) while fetching stops new requests; the pages fetched are stored, the fetch
//! log written and the command exits with status 130 (a second Ctrl-C quits at once).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use newslens_fetch::{
    discover, is_web_url, remember, Discovery, Expect, Known, PageRecords, Tally,
};
use newslens_pipeline::{records_of, Chunks, Event, IngestReport};
use newslens_read::{expand, printable, Input};

use crate::analyze::PipelineArgs;
use crate::database::{self, shown, DEFAULT_DB};
use crate::web::{read_url_list, FetchArgs};

#[derive(Args, Clone)]
pub struct IngestArgs {
    /// Files, folders (read recursively) or - for standard input: the same inputs as `analyze`;
    /// and http(s) URLs of article pages, feeds (RSS, Atom, JSON Feed) or sitemaps.
    #[arg(required_unless_present = "urls", value_name = "PATH|URL")]
    pub paths: Vec<String>,
    /// A file of URLs to fetch, one a line (`#` starts a comment line).
    #[arg(long, value_name = "FILE")]
    pub urls: Option<PathBuf>,
    /// The corpus (created if missing): an SQLite file, or a PostgreSQL database as
    /// postgres://USER@HOST:PORT/DB.
    #[arg(long, value_name = "PATH|URL", default_value = DEFAULT_DB)]
    pub db: String,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// No progress bar, even on a terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

/// Runs the command; returns how many inputs failed.
pub fn run(args: &IngestArgs) -> Result<usize> {
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let (report, web) = ingest(args, show_progress)?;
    if let Some(web) = &web {
        eprintln!(
            "newslens: web: {} pages fetched, {} known before, {} feeds unchanged",
            web.n_fetched, web.n_known, web.n_unchanged
        );
    }
    let stopped = web.as_ref().is_some_and(|web| web.stopped);
    let total = report.store_time + report.story_time;
    let stored = &report.stored;
    let skipped = stored.outcome.same_text + stored.outcome.same_url;
    eprintln!(
        "newslens: {}: {} added, {} already stored, {} failed; corpus {} articles ({} near-copies) in {} stories; {:.1} s, {:.0} articles/s",
        shown(&args.db),
        stored.outcome.added,
        skipped,
        stored.n_failed,
        report.counts.articles,
        report.counts.duplicates,
        report.counts.stories,
        total.as_secs_f64(),
        stored.n_read as f64 / total.as_secs_f64().max(1e-9),
    );
    if stopped {
        // Everything fetched is stored and in the fetch log; running the same command again
        // fetches the rest. 130 (128 + SIGINT) tells a script the batch is not complete.
        eprintln!("newslens: stopped: what was fetched is stored; run the same command again to fetch the rest");
        std::process::exit(130);
    }
    Ok(stored.n_failed)
}

/// What the web part of an ingest did.
pub struct WebReport {
    /// Pages fetched.
    pub n_fetched: usize,
    /// URLs skipped as stored or fetched before.
    pub n_known: usize,
    /// Feeds that answered 304.
    pub n_unchanged: usize,
    /// Whether a signal stopped the fetching before the end.
    pub stopped: bool,
}

/// Ingests the inputs into the database; `show_progress` draws a bar on stderr.
pub fn ingest(args: &IngestArgs, show_progress: bool) -> Result<(IngestReport, Option<WebReport>)> {
    let started = Instant::now();
    let (mut urls, paths): (Vec<String>, Vec<String>) =
        args.paths.iter().cloned().partition(|arg| is_web_url(arg));
    if let Some(list) = &args.urls {
        urls.extend(read_url_list(list)?);
    }
    let pipeline = args.pipeline.pipeline()?;
    let mut store = database::open(&args.db)?;
    let bar = progress_bar(show_progress, input_bytes(&paths));
    // Feeds and sitemaps are fetched and expanded before the pipeline starts; pages are fetched
    // as the pipeline asks for them.
    let (mut discovery, fetcher) = if urls.is_empty() {
        (Discovery::default(), None)
    } else {
        let fetcher = args.fetch.fetcher(args.pipeline.max_bytes)?;
        let known = Known::open(&args.db)
            .with_context(|| format!("cannot read the corpus {}", shown(&args.db)))?;
        // Pages have no size before they are fetched: a spinner with counts, not a percentage.
        bar.unset_length();
        bar.set_message(format!("fetching {} URLs", urls.len()));
        (
            discover(&fetcher, &urls, Expect::Anything, &known),
            Some(fetcher),
        )
    };
    let tally = Tally::default();
    let pages = fetcher
        .clone()
        .map(|fetcher| PageRecords::new(fetcher, std::mem::take(&mut discovery.targets), &tally));
    let records = records_of(&paths, &pipeline.settings().read)
        .chain(pages.into_iter().flatten())
        .inspect(|record| bar.inc(record.as_ref().map_or(0, |r| r.bytes.len()) as u64));
    let report =
        newslens_pipeline::ingest(&pipeline, &mut store, Chunks::new(records), &mut |event| {
            match event {
                Event::Warning(warning) => {
                    bar.suspend(|| eprintln!("newslens: {}", printable(warning)))
                }
                Event::Failed(error) => bar.suspend(|| eprintln!("newslens: {error}")),
                Event::Chunk { n_read } => bar.set_message(format!(
                    "{n_read} articles, {:.0}/s",
                    n_read as f64 / started.elapsed().as_secs_f64().max(1e-9)
                )),
                Event::UpdatingStories => bar.set_message("updating stories"),
            }
        })
        .with_context(|| format!("cannot ingest into the corpus {}", shown(&args.db)))?;
    bar.finish_and_clear();
    let web = match &fetcher {
        Some(_) => {
            remember(&mut store, &discovery.feeds, &tally)
                .with_context(|| format!("cannot write the fetch log in {}", shown(&args.db)))?;
            Some(WebReport {
                n_fetched: tally.n_fetched(),
                n_known: discovery.n_known,
                n_unchanged: discovery.n_unchanged,
                stopped: fetcher.as_ref().is_some_and(|f| f.is_stopping()),
            })
        }
        None => None,
    };
    Ok((report, web))
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
