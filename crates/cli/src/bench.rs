//! `newslens bench ingest`: the corpus benchmark — ingest N articles built from the development
//! texts in `../shared/data`, then time listing stories and searching.
//!
//! The measuring is `newslens_pipeline::bench` (the ingest) and `newslens_store::bench` (the
//! views); this module parses the arguments and prints articles per second (reading, analysis,
//! storing and stories), peak memory, and the latencies of the views. `bench hostile` runs
//! `newslens_server::hostile`'s probes and prints one line per probe.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};

use newslens_pipeline::bench::{bench_ingest, IngestBench};
use newslens_server::hostile::{HostileSettings, HostileTest};
use newslens_store::bench::{time_views, ViewTimes};
use newslens_store::SqliteStore;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Ingest N articles built from ../shared/data texts; report rate, memory and view latencies.
    Ingest(BenchIngestArgs),
    /// Serve a corpus and offer a fixed request rate on loopback; report p50/p99 latency.
    Serve(crate::bench_serve::BenchServeArgs),
    /// Time listing stories and searching in an existing corpus.
    Views(BenchViewsArgs),
    /// Time one outlet's profile (GET /v1/outlets/{name}) on a corpus of N articles.
    Outlets(crate::bench_outlets::BenchOutletsArgs),
    /// Serve a corpus on loopback and probe it as an attacker would (costly searches, thousands
    /// of connections, idle and slow clients); report each probe's outcome and time.
    Hostile(BenchHostileArgs),
    /// Submit N articles built from ../shared/data to a local nats-server and run 1, then 2
    /// worker processes; report articles/s, submit-to-searchable latency and worker memory,
    /// against a plain ingest of the same input.
    #[cfg(feature = "queue")]
    Queue(crate::bench_queue::BenchQueueArgs),
    /// Export a table of an existing corpus in each format; report rows/s, file size and peak
    /// memory (which should not grow with the corpus).
    Export(crate::bench_export::BenchExportArgs),
}

#[derive(Args)]
pub struct BenchHostileArgs {
    /// The corpus to serve (for example one kept by `bench ingest --keep-db PATH`).
    #[arg(long, value_name = "PATH")]
    db: PathBuf,
    /// Connections opened at once, each with a costly search.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    concurrent: usize,
    /// Idle connections held open while a new client asks.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    idle: usize,
}

#[derive(Args)]
pub struct BenchViewsArgs {
    /// The corpus database (e.g. one kept by `bench ingest --keep-db`).
    #[arg(long, value_name = "PATH", default_value = "newslens.db")]
    db: PathBuf,
}

#[derive(Args)]
pub struct BenchIngestArgs {
    /// Articles to build and ingest.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    articles: usize,
    /// The development data folder.
    #[arg(long, value_name = "DIR", default_value = "../shared/data")]
    data: PathBuf,
    /// Threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Keep the corpus database here (for `bench serve`, or to time one more batch on the
    /// grown corpus); by default it is deleted.
    #[arg(long, value_name = "PATH")]
    keep_db: Option<PathBuf>,
    /// Ingest in batches of N articles, as a desk following the news would, and print the
    /// time and peak memory of batches as the corpus grows.
    #[arg(long, value_name = "N")]
    batch: Option<usize>,
    /// With `--batch`: date the articles as a stream, N a day in date order from 1 January
    /// 2024. By default dates cycle over 84 days, so every day grows denser with the corpus.
    #[arg(long, value_name = "N", requires = "batch")]
    per_day: Option<usize>,
}

pub fn run(command: &BenchCommand) -> Result<()> {
    match command {
        BenchCommand::Ingest(args) if args.batch.is_some() => run_growth(args),
        BenchCommand::Ingest(args) => {
            let bench = bench_ingest(
                &args.data,
                args.articles,
                args.jobs,
                args.keep_db.as_deref(),
            )?;
            print_ingest(&bench);
            if let Some(keep) = &args.keep_db {
                println!("  corpus kept at {}", keep.display());
            }
            Ok(())
        }
        BenchCommand::Serve(args) => crate::bench_serve::run(args),
        BenchCommand::Export(args) => crate::bench_export::run(args),
        BenchCommand::Outlets(args) => crate::bench_outlets::run(args),
        BenchCommand::Hostile(args) => run_hostile(args),
        #[cfg(feature = "queue")]
        BenchCommand::Queue(args) => crate::bench_queue::run(args),
        BenchCommand::Views(args) => {
            if !args.db.exists() {
                bail!("{}: no such corpus", args.db.display());
            }
            let store = SqliteStore::open(&args.db)
                .with_context(|| format!("cannot open the corpus {}", args.db.display()))?;
            println!("bench views: {}", args.db.display());
            print_views(&time_views(&store));
            Ok(())
        }
    }
}

/// `bench hostile`: the probes are `newslens_server::hostile`; this prints one line per probe.
/// `bench ingest --batch N`: the growth curve, one line at each corpus size of 1, 2 and 5 times
/// a power of ten (and the last batch), averaged over the ten batches before it.
fn run_growth(args: &BenchIngestArgs) -> Result<()> {
    let batch = args.batch.unwrap_or(100);
    println!(
        "bench ingest: {} articles in batches of {batch} (built from {}; {})",
        args.articles,
        args.data.display(),
        match args.per_day {
            Some(per_day) => format!("{per_day} a day in date order"),
            None => "dates cycling over 84 days".to_string(),
        }
    );
    println!(
        "{:>9} {:>11} {:>11} {:>11} {:>11} {:>9} {:>9}",
        "corpus", "batch ms", "stories ms", "CPU ms", "before MB", "peak MB", "stories"
    );
    let mut recent: std::collections::VecDeque<newslens_pipeline::bench::BatchPoint> =
        Default::default();
    let mut next_mark = 1000usize.max(batch);
    let mut printed = 0;
    let total = args.articles;
    let print = |recent: &std::collections::VecDeque<newslens_pipeline::bench::BatchPoint>| {
        let n = recent.len().max(1) as f64;
        let wall = recent.iter().map(|p| p.wall.as_secs_f64()).sum::<f64>() / n * 1000.0;
        let stories = recent.iter().map(|p| p.stories.as_secs_f64()).sum::<f64>() / n * 1000.0;
        let cpu = recent.iter().map(|p| p.cpu.as_secs_f64()).sum::<f64>() / n * 1000.0;
        let peak = recent.iter().map(|p| p.peak_kib).max().unwrap_or(0) as f64 / 1024.0;
        if let Some(last) = recent.back() {
            let before = last.before_kib as f64 / 1024.0;
            println!(
                "{:>9} {wall:>11.1} {stories:>11.1} {cpu:>11.1} {before:>11.1} {peak:>9.1} {:>9}",
                last.corpus, last.n_stories
            );
        }
    };
    let dates = match args.per_day {
        Some(per_day) => newslens_pipeline::bench::BenchDates::PerDay(per_day),
        None => newslens_pipeline::bench::BenchDates::Cycle,
    };
    let bench = newslens_pipeline::bench::bench_growth(
        &args.data,
        total,
        dates,
        batch,
        args.jobs,
        args.keep_db.as_deref(),
        &mut |point| {
            recent.push_back(point.clone());
            if recent.len() > 10 {
                recent.pop_front();
            }
            if point.corpus >= next_mark || point.corpus >= total {
                print(&recent);
                printed = point.corpus;
                while next_mark <= point.corpus {
                    next_mark = next_mark_after(next_mark);
                }
            }
        },
    )?;
    // The last batches, when the corpus stopped short of a mark (inputs stored twice are skipped).
    if recent.back().is_some_and(|last| last.corpus != printed) {
        print(&recent);
    }
    let seconds = bench.wall.as_secs_f64();
    println!(
        "  {} articles in {seconds:.1} s: {:.0} articles/s with {} threads{}",
        bench.n_articles,
        bench.n_articles as f64 / seconds.max(1e-9),
        bench.threads,
        if bench.peak_per_batch {
            "; peak memory per batch (VmHWM reset before each)"
        } else {
            "; peak memory is the process's so far (the kernel refused to reset VmHWM)"
        }
    );
    if let Some(keep) = &args.keep_db {
        println!("  corpus kept at {}", keep.display());
    }
    Ok(())
}

/// 1000 → 2000 → 5000 → 10000 → …
fn next_mark_after(mark: usize) -> usize {
    let magnitude = 10usize.pow(mark.max(1).ilog10());
    match mark / magnitude {
        1 => 2 * magnitude,
        2..=4 => 5 * magnitude,
        _ => 10 * magnitude,
    }
}

fn run_hostile(args: &BenchHostileArgs) -> Result<()> {
    let test = HostileTest::start(HostileSettings {
        db: args.db.clone(),
        concurrent: args.concurrent,
        idle: args.idle,
    })?;
    let limits = test.limits();
    println!(
        "newslens bench hostile: {} on http://{}/ (at most {} connections, {} requests in flight, \
         {} read connections; read budget {} s, request timeout {} s)",
        args.db.display(),
        test.addr(),
        limits.max_connections,
        limits.max_in_flight,
        limits.readers,
        limits.read_budget.as_secs_f64(),
        limits.request_timeout.as_secs_f64()
    );
    test.run(&mut |outcome| {
        println!(
            "  {:<50} {:>9.3} s  {}",
            outcome.probe,
            outcome.elapsed.as_secs_f64(),
            outcome.outcome
        );
    });
    test.stop();
    Ok(())
}

fn print_ingest(bench: &IngestBench) {
    let report = &bench.report;
    let seconds = bench.wall.as_secs_f64();
    println!(
        "bench ingest: {} articles built from ../shared/data texts ({:.1} MB of JSON lines)",
        bench.n_articles,
        bench.input_bytes as f64 / 1e6
    );
    println!(
        "  ingest: {:.1} s in all ({:.1} s reading, analysis and storing; {:.1} s stories) = {:.0} articles/s on {} threads",
        seconds,
        report.store_time.as_secs_f64(),
        report.story_time.as_secs_f64(),
        report.stored.n_read as f64 / seconds.max(1e-9),
        bench.threads,
    );
    println!(
        "  CPU time: {:.1} s in all, {:.1} s of it writing to the database (one thread)",
        bench.cpu.as_secs_f64(),
        report.stored.writer_cpu.as_secs_f64(),
    );
    println!(
        "  corpus: {} articles ({} near-copies), {} stories, {} quotes; database {:.1} MB",
        report.counts.articles,
        report.counts.duplicates,
        report.counts.stories,
        report.counts.quotes,
        bench.db_bytes as f64 / 1e6
    );
    println!(
        "  stories --rebuild (every article clustered again in one batch): {:.2} s",
        bench.rebuild.as_secs_f64()
    );
    println!(
        "  peak memory (VmHWM): {:.1} MB",
        bench.peak_kib as f64 / 1024.0
    );
    print_views(&bench.views);
}

fn print_views(views: &ViewTimes) {
    let (all_ms, n_stories) = views.all_stories;
    println!(
        "  list all {n_stories} stories: {all_ms:.1} ms; newest 50: {:.1} ms",
        views.newest_50.0
    );
    for (query, ms, n_hits) in &views.searches {
        println!("  search {query:<24} {ms:.1} ms ({n_hits} hits)");
    }
}
