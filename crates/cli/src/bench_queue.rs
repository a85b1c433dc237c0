//! `newslens bench queue`: the worker benchmark — the `bench ingest` articles through a local
//! nats-server to 1, then 2 worker processes (this same binary), against a plain ingest.
//!
//! The measuring is `newslens_queue::bench`; this module parses the arguments and prints.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use newslens_queue::bench::{bench_queue, QueueBenchSettings};

#[derive(Args)]
pub struct BenchQueueArgs {
    /// Articles submitted at once for the throughput figure (a fifth more, at most 500, follow
    /// at a steady rate for the latency figure).
    #[arg(long, value_name = "N", default_value_t = 2000)]
    articles: usize,
    /// The development data folder.
    #[arg(long, value_name = "DIR", default_value = "../shared/data")]
    data: PathBuf,
    /// Worker processes of each run.
    #[arg(
        long,
        value_name = "N,N…",
        value_delimiter = ',',
        default_value = "1,2"
    )]
    workers: Vec<usize>,
    /// Analysis threads per worker and for the plain ingest (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
}

pub fn run(args: &BenchQueueArgs) -> Result<()> {
    let newslens = std::env::current_exe().context("cannot find this binary for the workers")?;
    let bench = bench_queue(&QueueBenchSettings {
        data: args.data.clone(),
        n_articles: args.articles,
        worker_counts: args.workers.clone(),
        jobs: args.jobs,
        newslens,
    })?;
    println!(
        "bench queue: {} articles built from ../shared/data texts ({:.1} MB of JSON lines), SQLite corpus",
        bench.n_articles,
        bench.input_bytes as f64 / 1e6
    );
    let ingest_seconds = bench.ingest_wall.as_secs_f64();
    println!(
        "  plain ingest (one process, {} threads): {:.1} s = {:.0} articles/s; peak memory {:.0} MB",
        bench.ingest_threads,
        ingest_seconds,
        bench.n_articles as f64 / ingest_seconds.max(1e-9),
        bench.ingest_peak_kib as f64 / 1024.0
    );
    for run in &bench.runs {
        let drain = run.drain.as_secs_f64();
        let [p50, p99, max] = run.latency.map(|latency| latency.as_secs_f64() * 1000.0);
        let memory: Vec<String> = run
            .peak_kib
            .iter()
            .map(|kib| format!("{:.0}", *kib as f64 / 1024.0))
            .collect();
        println!(
            "  {} worker{}: {} articles submitted at once, drained in {:.1} s = {:.0} articles/s; corpus {} articles, {} dead-lettered",
            run.n_workers,
            if run.n_workers == 1 { "" } else { "s" },
            run.n_articles,
            drain,
            run.n_articles as f64 / drain.max(1e-9),
            run.n_stored,
            run.n_dead
        );
        println!(
            "    latency, submit to searchable, {} more at {:.0}/s: p50 {p50:.0} ms, p99 {p99:.0} ms, max {max:.0} ms",
            run.n_latency, run.latency_rate
        );
        println!(
            "    peak memory per worker (VmHWM): {} MB",
            memory.join(", ")
        );
    }
    Ok(())
}
