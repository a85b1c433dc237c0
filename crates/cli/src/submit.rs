//! `newslens submit`: publish input records to the work queue for `newslens worker`s.
//!
//! Paths are split into records exactly as `ingest` splits them (`newslens_pipeline::records_of`:
//! files, folders, JSON lines, web archives), so a file gives the same articles either way.
//! http(s) URLs are fetched here, not by the workers, with `ingest`'s fetcher (feeds and
//! sitemaps expanded, robots.txt, a turn per host), and the pages are submitted as records:
//! politeness towards a site is one process's job, so adding workers never multiplies the
//! requests a site sees, and workers stay pure analysis and storage. Submit has no corpus, so it
//! cannot skip URLs stored before; the workers skip them (same URL) before analysing.
//! This module parses the arguments and reports; publishing is `newslens_queue::submit`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use newslens_fetch::{discover, is_web_url, Discovery, Expect, Known, PageRecords, Tally};
use newslens_pipeline::{records_of, Defaults};
use newslens_queue::{submit, SubmitEvent};
use newslens_read::{printable, ReadOptions};

use crate::queue::QueueArgs;
use crate::web::{read_url_list, FetchArgs};

#[derive(Args)]
pub struct SubmitArgs {
    /// Files, folders (read recursively) or - for standard input, as for `ingest`; and http(s)
    /// URLs of article pages, feeds or sitemaps, fetched here and submitted as pages.
    #[arg(required_unless_present = "urls", value_name = "PATH|URL")]
    paths: Vec<String>,
    /// A file of URLs to fetch, one a line (`#` starts a comment line).
    #[arg(long, value_name = "FILE")]
    urls: Option<PathBuf>,
    #[command(flatten)]
    queue: QueueArgs,
    /// Outlet name for inputs that do not give one.
    #[arg(long, value_name = "NAME")]
    outlet: Option<String>,
    /// URL for inputs that do not give one.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Largest input read (one file, JSON line or archive record), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    max_bytes: u64,
    /// Submit at most this many records a second (default: as fast as the server takes them).
    #[arg(long, value_name = "N")]
    rate: Option<f64>,
    #[command(flatten)]
    fetch: FetchArgs,
}

/// Runs the command; returns how many inputs failed.
pub fn run(args: &SubmitArgs) -> Result<usize> {
    let (mut urls, paths): (Vec<String>, Vec<String>) =
        args.paths.iter().cloned().partition(|arg| is_web_url(arg));
    if let Some(list) = &args.urls {
        urls.extend(read_url_list(list)?);
    }
    let read = ReadOptions {
        max_bytes: args.max_bytes,
    };
    let (mut discovery, fetcher) = if urls.is_empty() {
        (Discovery::default(), None)
    } else {
        let fetcher = args.fetch.fetcher(args.max_bytes)?;
        (
            discover(&fetcher, &urls, Expect::Anything, &Known::default()),
            Some(fetcher),
        )
    };
    let tally = Tally::default();
    let pages = fetcher
        .map(|fetcher| PageRecords::new(fetcher, std::mem::take(&mut discovery.targets), &tally));
    let records = records_of(&paths, &read).chain(pages.into_iter().flatten());
    let defaults = Defaults {
        outlet: args.outlet.clone(),
        url: args.url.clone(),
    };
    let settings = args.queue.settings();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let report = runtime
        .block_on(submit(
            &settings,
            records,
            &defaults,
            args.rate,
            &mut |event| match event {
                SubmitEvent::Failed(reason) => eprintln!("newslens: {}", printable(reason)),
            },
        ))
        .with_context(|| format!("cannot submit to {}", settings.url))?;
    eprintln!(
        "newslens: {}: {} records submitted ({:.1} MB), {} already queued, {} failed",
        settings.url,
        report.n_submitted,
        report.n_bytes as f64 / 1e6,
        report.n_duplicates,
        report.n_failed
    );
    Ok(report.n_failed)
}
