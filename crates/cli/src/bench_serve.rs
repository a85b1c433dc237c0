//! `newslens bench serve`: the server under a fixed request rate on loopback, p99 latency per
//! endpoint, printed as a table.
//!
//! The load generator (open-loop, keep-alive connections, the server in this process) is
//! `newslens_server::load`; this module holds the flags and lays out its figures.

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;

use newslens_server::load::{LoadSettings, LoadTest};

#[derive(Args)]
pub struct BenchServeArgs {
    /// The corpus to serve (for example one kept by `bench ingest --keep-db PATH`).
    #[arg(long, value_name = "PATH")]
    db: PathBuf,
    /// Requests per second offered to each endpoint.
    #[arg(long, value_name = "N", default_value_t = 500)]
    rate: u32,
    /// Seconds of load per endpoint.
    #[arg(long, value_name = "S", default_value_t = 10)]
    seconds: u64,
    /// Keep-alive connections the load is spread over.
    #[arg(long, value_name = "N", default_value_t = 64)]
    connections: usize,
    /// Server worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
}

pub fn run(args: &BenchServeArgs) -> Result<()> {
    // Zero values are refused here, naming the flags; a missing corpus is `start`'s error, and
    // reported first, as it always was.
    if args.db.exists() && (args.rate == 0 || args.seconds == 0 || args.connections == 0) {
        bail!("--rate, --seconds and --connections must be above 0");
    }
    let test = LoadTest::start(LoadSettings {
        db: args.db.clone(),
        rate: args.rate,
        seconds: args.seconds,
        connections: args.connections,
        jobs: args.jobs,
    })?;
    println!(
        "newslens bench serve: {} on http://{}/, {} requests/s for {} s per endpoint over {} connections",
        args.db.display(),
        test.addr(),
        args.rate,
        args.seconds,
        args.connections
    );
    println!(
        "{:<26} {:>8} {:>9} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "endpoint", "requests", "req/s", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for endpoint in test.endpoints() {
        let latencies = test.measure(endpoint)?;
        println!(
            "{:<26} {:>8} {:>9.0} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            endpoint.name,
            latencies.n_requests,
            latencies.requests_per_second,
            latencies.errors,
            latencies.p50_ms,
            latencies.p90_ms,
            latencies.p99_ms,
            latencies.max_ms,
        );
    }
    test.stop();
    Ok(())
}
