//! `newslens worker`: pull records from the work queue, analyse, store, group into stories,
//! acknowledge; as many workers as wanted, on one machine or several, sharing one corpus.
//!
//! The loop is `newslens_queue::run_worker`; this module parses the arguments, opens the corpus
//! (`newslens_queue::open_corpus`), prints failures and waits as one line each, stops on Ctrl-C
//! or SIGTERM after the batch in hand, and prints a summary. `--summary FILE` writes the
//! summary as JSON (with each record's submit-to-stored latency) for `bench queue`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;

use newslens_fetch::parse_duration;
use newslens_pipeline::{peak_memory_kib, Pipeline, Settings};
use newslens_queue::{open_corpus, run_worker, Reopen, WorkerEvent, WorkerSettings};
use newslens_read::{printable, ReadOptions};

use crate::analyze::LoadedArgs;
use crate::database::shown;
use crate::queue::QueueArgs;

#[derive(Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    queue: QueueArgs,
    /// The corpus the worker stores into: an SQLite file (created if missing) or a
    /// postgres://USER@HOST:PORT/DB URL.
    #[arg(long, value_name = "PATH|URL", default_value = crate::database::DEFAULT_DB)]
    db: String,
    /// Threads to analyse with (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Largest record read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    max_bytes: u64,
    /// Records pulled and stored together at most (one transaction, one story update).
    #[arg(long, value_name = "N", default_value_t = 256)]
    batch: usize,
    /// How long a failed record waits before it is delivered again.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    retry_delay: Duration,
    /// Stop once nothing is pending or in flight, instead of waiting for more.
    #[arg(long)]
    until_empty: bool,
    /// Write a JSON summary here at the end (counts, latencies, peak memory).
    #[arg(long, value_name = "FILE", hide = true)]
    summary: Option<PathBuf>,
    /// No line per batch.
    #[arg(long, short = 'q')]
    quiet: bool,
    #[command(flatten)]
    loaded: LoadedArgs,
}

/// Runs the command; returns how many records were dead-lettered.
pub fn run(args: &WorkerArgs) -> Result<usize> {
    // No outlet or URL defaults here: `submit` filled them into the records.
    let pipeline = Arc::new(Pipeline::new(Settings {
        jobs: args.jobs,
        read: ReadOptions {
            max_bytes: args.max_bytes,
        },
        loaded: args.loaded.tagger()?,
        ..Settings::default()
    })?);
    let store = open_corpus(&args.db)
        .with_context(|| format!("cannot open the corpus {}", shown(&args.db)))?;
    let settings = WorkerSettings {
        batch: args.batch.max(1),
        until_empty: args.until_empty,
        retry_delay: args.retry_delay,
        ..WorkerSettings::new(args.queue.settings())
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let quiet = args.quiet;
    let report = runtime
        .block_on(async {
            let stop_on_signal = Arc::clone(&stop);
            tokio::spawn(async move {
                wait_for_stop_signal().await;
                eprintln!("newslens: worker: stopping after this batch");
                stop_on_signal.store(true, Ordering::Relaxed);
            });
            let db = args.db.clone();
            let reopen: Reopen = Arc::new(move || open_corpus(&db));
            run_worker(&settings, pipeline, store, Some(reopen), Arc::clone(&stop), &mut |event| {
                match event {
                    WorkerEvent::Ready { ack_wait } => eprintln!(
                        "newslens: worker: pulling from {} (ack wait {} s), storing into {}",
                        settings.queue.url,
                        ack_wait.as_secs_f64(),
                        shown(&args.db)
                    ),
                    WorkerEvent::Batch {
                        n_records,
                        n_added,
                        n_stored_before,
                    } if !quiet => eprintln!(
                        "newslens: worker: batch of {n_records}: {n_added} added, {n_stored_before} already stored"
                    ),
                    WorkerEvent::Batch { .. } => {}
                    WorkerEvent::Warning(warning) => {
                        eprintln!("newslens: {}", printable(warning))
                    }
                    WorkerEvent::Failed {
                        reason,
                        delivery,
                        dead,
                    } => eprintln!(
                        "newslens: {} (delivery {delivery}; {})",
                        printable(reason),
                        if dead { "dead-lettered" } else { "will be retried" }
                    ),
                    WorkerEvent::Waiting(what) => {
                        eprintln!("newslens: worker: waiting: {}", printable(what))
                    }
                }
            })
            .await
        })
        .with_context(|| format!("worker on {}", settings.queue.url))?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "newslens: worker: {} records in {} batches: {} added, {} already stored, {} retried, {} dead-lettered; {:.1} s",
        report.n_done,
        report.n_batches,
        report.n_added,
        report.n_stored_before,
        report.n_retried,
        report.n_dead,
        seconds
    );
    if let Some(path) = &args.summary {
        let summary = serde_json::json!({
            "n_done": report.n_done,
            "n_added": report.n_added,
            "n_dead": report.n_dead,
            "seconds": seconds,
            "peak_kib": peak_memory_kib(),
            "latencies_micros": report.latencies_micros,
        });
        std::fs::write(path, summary.to_string())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(report.n_dead)
}

/// Ctrl-C, or SIGTERM where there is one.
async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
