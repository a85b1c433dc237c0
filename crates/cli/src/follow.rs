//! `newslens follow --feeds FILE`: poll feeds (or sitemaps), fetch and ingest the articles that
//! are new, one progress line per round, until stopped.
//!
//! Each round is an ingest through the pipeline like any other: feeds are fetched with the
//! validators of their last complete round (so an unchanged feed costs one 304), articles the
//! corpus stores or the fetch log lists are not fetched, the rest are read, analysed and stored a
//! chunk per transaction, stories are updated when something was added, and then the fetch log is
//! written. Ctrl-C or SIGTERM stops it gently: no new request starts, the pages already fetched
//! are stored, stories updated, the fetch log written, one line printed, and it exits 0 (a second
//! signal quits at once). Even a kill loses nothing: stored chunks are committed, and a feed whose
//! round did not finish has no new validators, so the next run fetches it again and skips what
//! is stored. This module parses, loops and prints.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;

use newslens_fetch::{
    discover, parse_duration, remember, Expect, Fetcher, Known, PageRecords, Tally,
};
use newslens_pipeline::{store_chunks, Chunks, Defaults, Event, Pipeline, Settings, CHUNK_BYTES};
use newslens_read::{printable, ReadOptions};
use newslens_store::{update_stories, Store, StoryConfig};

use crate::analyze::LoadedArgs;
use crate::database::{self, shown, DEFAULT_DB};
use crate::web::{read_url_list, FetchArgs};

/// Pages stored per transaction: fetched pages arrive a second apart per host, so a smaller chunk
/// than a file ingest's 256 commits each few dozen pages instead of holding them for minutes.
const FOLLOW_CHUNK_RECORDS: usize = 32;

#[derive(Args, Clone)]
pub struct FollowArgs {
    /// Feeds (RSS, Atom, JSON Feed) or sitemaps to follow: a file of URLs, one a line (`#`
    /// starts a comment line).
    #[arg(long, value_name = "FILE")]
    pub feeds: PathBuf,
    /// Time between the starts of two rounds.
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    pub every: Duration,
    /// One round, then stop (exit status 1 when any URL failed).
    #[arg(long)]
    pub once: bool,
    /// The corpus (created if missing): an SQLite file, or a PostgreSQL database as
    /// postgres://USER@HOST:PORT/DB.
    #[arg(long, value_name = "PATH|URL", default_value = DEFAULT_DB)]
    pub db: String,
    /// Outlet name for articles that do not give one.
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// Threads to analyse with (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Largest body fetched and read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    pub max_bytes: u64,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub loaded: LoadedArgs,
}

/// Runs rounds until stopped (or one with `--once`); returns how many inputs failed.
pub fn run(args: &FollowArgs) -> Result<usize> {
    let feeds = read_url_list(&args.feeds)?;
    let pipeline = Pipeline::new(Settings {
        jobs: args.jobs,
        read: ReadOptions {
            max_bytes: args.max_bytes,
        },
        defaults: Defaults {
            outlet: args.outlet.clone(),
            url: None,
        },
        loaded: args.loaded.tagger()?,
        ..Settings::default()
    })?;
    let mut store = database::open(&args.db)?;
    let fetcher = args.fetch.fetcher(args.max_bytes)?;
    let known = Known::open(&args.db)
        .with_context(|| format!("cannot read the corpus {}", shown(&args.db)))?;
    let mut n_failed_total = 0;
    for round in 1.. {
        let started = Instant::now();
        if round > 1 {
            fetcher
                .next_archive_file()
                .context("cannot start the next WARC file")?;
        }
        let mut discovery = discover(&fetcher, &feeds, Expect::Feeds, &known);
        let tally = Tally::default();
        let records = PageRecords::new(
            fetcher.clone(),
            std::mem::take(&mut discovery.targets),
            &tally,
        );
        let stored = store_chunks(
            &pipeline,
            &mut store,
            Chunks::with_limits(records, FOLLOW_CHUNK_RECORDS, CHUNK_BYTES),
            &mut |event| match event {
                Event::Warning(warning) => eprintln!("newslens: {}", printable(warning)),
                Event::Failed(error) => eprintln!("newslens: {error}"),
                Event::Chunk { .. } | Event::UpdatingStories => {}
            },
        )
        .with_context(|| format!("cannot ingest into the corpus {}", shown(&args.db)))?;
        let counts = if stored.outcome.added > 0 {
            update_stories(&mut store, &StoryConfig::default())?
        } else {
            store.counts()?
        };
        remember(&mut store, &discovery.feeds, &tally)
            .with_context(|| format!("cannot write the fetch log in {}", shown(&args.db)))?;
        n_failed_total += stored.n_failed;
        let left = match tally.n_left() {
            0 => String::new(),
            n_left => format!(", {n_left} left for the next run"),
        };
        eprintln!(
            "newslens: round {round}: {} feeds ({} unchanged), {} new pages fetched, {} added, {} known, {} failed{left}; corpus {} articles in {} stories; {:.1} s",
            feeds.len(),
            discovery.n_unchanged,
            tally.n_fetched(),
            stored.outcome.added,
            discovery.n_known + stored.outcome.same_text + stored.outcome.same_url,
            stored.n_failed,
            counts.articles,
            counts.stories,
            started.elapsed().as_secs_f64(),
        );
        if args.once || fetcher.is_stopping() {
            break;
        }
        wait_unless_stopped(&fetcher, args.every.saturating_sub(started.elapsed()));
        if fetcher.is_stopping() {
            break;
        }
    }
    if fetcher.is_stopping() {
        // Stopping is how a follow ends: what it fetched is stored and logged, so it exits 0.
        eprintln!(
            "newslens: stopped; what was fetched is stored and the next run resumes from here"
        );
        return Ok(0);
    }
    Ok(n_failed_total)
}

/// Sleeps until the next round, waking early when a signal asks to stop.
fn wait_unless_stopped(fetcher: &Fetcher, wait: Duration) {
    let until = Instant::now() + wait;
    while !fetcher.is_stopping() {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(Duration::from_millis(100)));
    }
}
