//! `newslens bench ingest`: the corpus benchmark — ingest N articles built from the development
//! texts in `../shared/data`, then time listing stories and searching.
//!
//! The articles are made at run time, never committed: article `k` joins the first half of one
//! development text (PolNeAR, ECB+, PTC) to the second half of another, with its own outlet and
//! date, so they are distinct texts of realistic length and vocabulary. It prints articles per
//! second (reading, analysis, storing and stories), peak memory, and the latencies of the views.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};

use newslens_store::{SearchQuery, SqliteStore, Store, StoryFilter};

use crate::ingest::{ingest, process_cpu_time, IngestArgs};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Ingest N articles built from ../shared/data texts; report rate, memory and view latencies.
    Ingest(BenchIngestArgs),
    /// Serve a corpus and offer a fixed request rate on loopback; report p50/p99 latency.
    Serve(crate::bench_serve::BenchServeArgs),
    /// Time listing stories and searching in an existing corpus.
    Views(BenchViewsArgs),
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
    /// Keep the corpus database here (for `bench serve`); by default it is deleted.
    #[arg(long, value_name = "PATH")]
    keep_db: Option<PathBuf>,
}

pub fn run(command: &BenchCommand) -> Result<()> {
    match command {
        BenchCommand::Ingest(args) => bench_ingest(args),
        BenchCommand::Serve(args) => crate::bench_serve::run(args),
        BenchCommand::Views(args) => {
            if !args.db.exists() {
                bail!("{}: no such corpus", args.db.display());
            }
            let store = SqliteStore::open(&args.db)
                .with_context(|| format!("cannot open the corpus {}", args.db.display()))?;
            println!("bench views: {}", args.db.display());
            time_views(&store).print();
            Ok(())
        }
    }
}

fn texts_in(dir: &Path, texts: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        if path.extension().is_some_and(|ext| ext == "txt") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                texts.push(text);
            }
        }
    }
}

fn bench_ingest(args: &BenchIngestArgs) -> Result<()> {
    let mut texts = Vec::new();
    for sub in [
        "quotes/polnear/train/text",
        "quotes/polnear/dev/text",
        "clustering/ecbplus/docs",
        "framing/ptc/articles",
    ] {
        texts_in(&args.data.join(sub), &mut texts);
    }
    if texts.len() < 2 {
        bail!(
            "{}: no development texts found (PolNeAR, ECB+, PTC)",
            args.data.display()
        );
    }
    let paragraphs: Vec<Vec<&str>> = texts
        .iter()
        .map(|text| {
            text.split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect()
        })
        .collect();

    let dir = tempfile::tempdir().context("cannot make a temporary folder")?;
    let input = dir.path().join("bench.jsonl");
    let db = dir.path().join("bench.db");
    {
        let file = std::fs::File::create(&input).context("cannot write the benchmark input")?;
        let mut out = std::io::BufWriter::new(file);
        let n_texts = paragraphs.len();
        for article_idx in 0..args.articles {
            let first = article_idx % n_texts;
            let second = (first * 7 + article_idx / n_texts * 13 + 1) % n_texts;
            let (a, b) = (&paragraphs[first], &paragraphs[second]);
            let mut body: Vec<&str> = a[..a.len().div_ceil(2)].to_vec();
            body.extend_from_slice(&b[b.len() / 2..]);
            let line = serde_json::json!({
                "text": body.join("\n\n"),
                "outlet": format!("Bench Outlet {}", article_idx % 7),
                "url": format!("https://bench{}.example/{article_idx}", article_idx % 7),
                "published": format!("2024-{:02}-{:02}", 1 + article_idx % 12, 1 + article_idx % 28),
            });
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    }
    drop(paragraphs);
    drop(texts);
    let input_bytes = std::fs::metadata(&input).map(|m| m.len()).unwrap_or(0);

    let ingest_args = IngestArgs {
        paths: vec![input.display().to_string()],
        db: db.clone(),
        outlet: None,
        url: None,
        jobs: args.jobs,
        max_bytes: 10_000_000,
        quiet: true,
    };
    let started = Instant::now();
    let cpu_before = process_cpu_time();
    let report = ingest(&ingest_args, false)?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = process_cpu_time().saturating_sub(cpu_before);
    let peak_kib = peak_memory_kib();

    let mut store = SqliteStore::open(&db)?;
    // The story update again, phase by phase.
    let phase = Instant::now();
    let inputs = store.story_inputs()?;
    let read_s = phase.elapsed().as_secs_f64();
    let phase = Instant::now();
    let clustering = newslens_store::cluster(&inputs, &newslens_store::StoryConfig::default());
    let cluster_s = phase.elapsed().as_secs_f64();
    let phase = Instant::now();
    store.write_stories(&inputs, &clustering)?;
    let write_s = phase.elapsed().as_secs_f64();
    drop(inputs);
    let views = time_views(&store);
    let db_bytes: u64 = ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", db.display())).ok())
        .map(|m| m.len())
        .sum();

    println!(
        "bench ingest: {} articles built from ../shared/data texts ({:.1} MB of JSON lines)",
        args.articles,
        input_bytes as f64 / 1e6
    );
    println!(
        "  ingest: {:.1} s in all ({:.1} s reading, analysis and storing; {:.1} s stories) = {:.0} articles/s on {} threads",
        seconds,
        report.store_time.as_secs_f64(),
        report.story_time.as_secs_f64(),
        report.n_analysed as f64 / seconds.max(1e-9),
        args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
    );
    println!(
        "  CPU time: {:.1} s in all, {:.1} s of it writing to the database (one thread)",
        cpu.as_secs_f64(),
        report.writer_cpu.as_secs_f64(),
    );
    println!(
        "  corpus: {} articles ({} near-copies), {} stories, {} quotes; database {:.1} MB",
        report.counts.articles,
        report.counts.duplicates,
        report.counts.stories,
        report.counts.quotes,
        db_bytes as f64 / 1e6
    );
    println!("  story update again: {read_s:.2} s reading features, {cluster_s:.2} s clustering, {write_s:.2} s writing");
    println!("  peak memory (VmHWM): {:.1} MB", peak_kib as f64 / 1024.0);
    views.print();
    if let Some(keep) = &args.keep_db {
        drop(store);
        keep_database(&db, keep)?;
        println!("  corpus kept at {}", keep.display());
    }
    Ok(())
}

/// Median latencies of the views, in milliseconds, with how many items each returned.
struct ViewTimes {
    all_stories: (f64, usize),
    newest_50: (f64, usize),
    searches: Vec<(&'static str, f64, usize)>,
}

impl ViewTimes {
    fn print(&self) {
        let (all_ms, n_stories) = self.all_stories;
        println!(
            "  list all {n_stories} stories: {all_ms:.1} ms; newest 50: {:.1} ms",
            self.newest_50.0
        );
        for (query, ms, n) in &self.searches {
            println!("  search {query:<24} {ms:.1} ms ({n} hits)");
        }
    }
}

/// Times listing every story, the newest 50 and five searches: each warmed once, then the median
/// of five runs.
fn time_views(store: &SqliteStore) -> ViewTimes {
    let time_ms = |f: &mut dyn FnMut() -> usize| {
        f();
        let mut runs: Vec<(f64, usize)> = (0..5)
            .map(|_| {
                let started = Instant::now();
                let n = f();
                (started.elapsed().as_secs_f64() * 1000.0, n)
            })
            .collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        runs[2]
    };
    let all_stories = time_ms(&mut || {
        store
            .stories(&StoryFilter::default())
            .map_or(0, |s| s.len())
    });
    let newest_50 = time_ms(&mut || {
        store
            .stories(&StoryFilter {
                min_articles: 1,
                limit: Some(50),
                offset: 0,
                most_covered: false,
            })
            .map_or(0, |s| s.len())
    });
    let searches = [
        "president",
        "police said",
        "\"White House\"",
        "election AND campaign",
        "rehab*",
    ]
    .into_iter()
    .map(|query| {
        let (ms, n) = time_ms(&mut || {
            store
                .search(&SearchQuery {
                    text: query.to_string(),
                    limit: Some(20),
                    ..SearchQuery::default()
                })
                .map_or(0, |hits| hits.len())
        });
        (query, ms, n)
    })
    .collect();
    ViewTimes {
        all_stories,
        newest_50,
        searches,
    }
}

/// Moves the benchmark's database (checkpointed into one file) to `keep`.
fn keep_database(db: &Path, keep: &Path) -> Result<()> {
    SqliteStore::open(db)?.checkpoint()?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", keep.display()));
    }
    std::fs::copy(db, keep)
        .with_context(|| format!("cannot keep the corpus at {}", keep.display()))?;
    Ok(())
}

/// The process's peak resident memory in KiB (Linux), 0 elsewhere.
fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}
