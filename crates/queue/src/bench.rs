//! The worker benchmark behind `newslens bench queue`: the `bench ingest` articles (built from
//! `../shared/data` texts at run time) through a local `nats-server -js` to 1, then 2 worker
//! processes sharing one SQLite corpus, against a plain in-process ingest of the same input.
//!
//! Each run has a fresh server and corpus and two phases, with the workers started first:
//! - **throughput**: every article submitted at once; articles/s is the count over the time from
//!   the first publish until nothing is pending or in flight;
//! - **latency**: a further fifth of the articles (at most 500) submitted at half the throughput
//!   measured with one worker, so the queue is not a backlog; p50/p99 of each record's time from
//!   its submit stamp to the worker's acknowledgement (stored, in its story, searchable).
//!
//! The workers then stop on SIGTERM and write their summaries (peak resident memory included).
//! This module measures and returns figures; printing is the caller's.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use newslens_pipeline::bench::{bench_ingest, write_bench_input};
use newslens_pipeline::{records_of, Defaults};
use newslens_read::ReadOptions;

use crate::local_server::{nats_server_binary, LocalNats};
use crate::{status, submit, QueueError, QueueSettings};

/// What to run.
#[derive(Debug, Clone)]
pub struct QueueBenchSettings {
    /// The development data folder.
    pub data: PathBuf,
    /// Articles of the throughput phase.
    pub n_articles: usize,
    /// Worker processes per run, one run each (e.g. `[1, 2]`).
    pub worker_counts: Vec<usize>,
    /// Analysis threads per worker; `None` for one per core.
    pub jobs: Option<usize>,
    /// The `newslens` binary the workers run.
    pub newslens: PathBuf,
}

/// One run's figures.
#[derive(Debug, Clone)]
pub struct WorkersRun {
    /// Worker processes.
    pub n_workers: usize,
    /// First publish to nothing pending or in flight, throughput phase.
    pub drain: Duration,
    /// Articles submitted in the throughput phase.
    pub n_articles: usize,
    /// Articles the corpus holds at the end (near-copies included).
    pub n_stored: usize,
    /// Records dead-lettered (should be none).
    pub n_dead: u64,
    /// The latency phase's rate, records per second.
    pub latency_rate: f64,
    /// Records of the latency phase.
    pub n_latency: usize,
    /// Submit-to-searchable latency of the latency phase: p50, p99, max.
    pub latency: [Duration; 3],
    /// Each worker's peak resident memory, KiB.
    pub peak_kib: Vec<u64>,
}

/// The benchmark's figures.
#[derive(Debug, Clone)]
pub struct QueueBench {
    /// Size of the throughput phase's JSON-lines input.
    pub input_bytes: u64,
    /// Articles of the throughput phase.
    pub n_articles: usize,
    /// The plain ingest of the same input: wall time (stories included) and peak memory (KiB).
    pub ingest_wall: Duration,
    /// Peak memory of the in-process ingest, KiB.
    pub ingest_peak_kib: u64,
    /// Analysis threads of the plain ingest.
    pub ingest_threads: usize,
    /// One per worker count.
    pub runs: Vec<WorkersRun>,
}

/// Runs the benchmark.
pub fn bench_queue(settings: &QueueBenchSettings) -> crate::Result<QueueBench> {
    let nats = nats_server_binary().ok_or_else(|| QueueError::Io {
        what: "nats-server".into(),
        source: std::io::Error::other("not found (apt-get install nats-server)"),
    })?;
    let dir = tempfile::tempdir().map_err(io("a temporary folder"))?;
    let n_articles = settings.n_articles;
    let n_latency = (n_articles / 5).clamp(1, 500);
    // One file of both phases' articles, split in two: the latency phase's are new articles.
    let all = dir.path().join("all.jsonl");
    write_bench_input(&settings.data, n_articles + n_latency, &all)?;
    let text = std::fs::read_to_string(&all).map_err(io("the benchmark input"))?;
    let lines: Vec<&str> = text.lines().collect();
    let throughput_input = dir.path().join("throughput.jsonl");
    let latency_input = dir.path().join("latency.jsonl");
    write_lines(&throughput_input, &lines[..n_articles])?;
    write_lines(&latency_input, &lines[n_articles..])?;
    drop(text);
    let input_bytes = std::fs::metadata(&throughput_input).map_or(0, |m| m.len());

    // The plain ingest first, in this process, of the same articles (it builds the same file).
    let ingest = bench_ingest(&settings.data, n_articles, settings.jobs, None)?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(io("the async runtime"))?;
    let mut runs = Vec::new();
    let mut latency_rate = None;
    for &n_workers in &settings.worker_counts {
        let run_dir = dir.path().join(format!("workers-{n_workers}"));
        std::fs::create_dir(&run_dir).map_err(io("a run folder"))?;
        let run = run_workers(
            settings,
            &nats,
            &run_dir,
            n_workers,
            [&throughput_input, &latency_input],
            [n_articles, n_latency],
            &mut latency_rate,
            &runtime,
        )?;
        runs.push(run);
    }
    Ok(QueueBench {
        input_bytes,
        n_articles,
        ingest_wall: ingest.wall,
        ingest_peak_kib: ingest.peak_kib,
        ingest_threads: ingest.threads,
        runs,
    })
}

#[allow(clippy::too_many_arguments)]
fn run_workers(
    settings: &QueueBenchSettings,
    nats: &Path,
    run_dir: &Path,
    n_workers: usize,
    inputs: [&Path; 2],
    counts: [usize; 2],
    latency_rate: &mut Option<f64>,
    runtime: &tokio::runtime::Runtime,
) -> crate::Result<WorkersRun> {
    let server = LocalNats::start(nats, &run_dir.join("jetstream"))?;
    let queue = QueueSettings::new(server.url());
    // Create the queue before any worker so that none races to set it up.
    runtime.block_on(status(&queue, 0))?;
    let db = run_dir.join("corpus.db");
    let mut workers: Vec<(Child, PathBuf)> = Vec::new();
    for worker_idx in 0..n_workers {
        let summary = run_dir.join(format!("worker-{worker_idx}.json"));
        let mut command = Command::new(&settings.newslens);
        command
            .args(["worker", "--quiet", "--queue", &server.url(), "--db"])
            .arg(&db)
            .arg("--summary")
            .arg(&summary)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(jobs) = settings.jobs {
            command.args(["--jobs", &jobs.to_string()]);
        }
        let child = command.spawn().map_err(io("cannot start a worker"))?;
        workers.push((child, summary));
    }
    // Every worker is pulling (or has had a second to start).
    let ready_by = Instant::now() + Duration::from_secs(10);
    while Instant::now() < ready_by {
        let waiting = runtime
            .block_on(status(&queue, 0))
            .map_or(0, |status| status.waiting_pulls);
        if waiting >= n_workers {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }

    let started = Instant::now();
    submit_file(runtime, &queue, inputs[0], None)?;
    wait_until_drained(runtime, &queue)?;
    let drain = started.elapsed();

    let rate = *latency_rate.get_or_insert(counts[0] as f64 / drain.as_secs_f64().max(1e-3) / 2.0);
    let latency_started_micros = crate::message::now_micros();
    submit_file(runtime, &queue, inputs[1], Some(rate))?;
    wait_until_drained(runtime, &queue)?;
    let n_dead = runtime.block_on(status(&queue, 0))?.dead;

    let mut latencies = Vec::new();
    let mut peak_kib = Vec::new();
    for (mut child, summary) in workers {
        // SIGTERM: the worker finishes its batch and writes its summary.
        #[cfg(unix)]
        // SAFETY: sending a signal to our own child's pid.
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
        }
        #[cfg(not(unix))]
        let _ = child.kill();
        let _ = child.wait();
        let text = std::fs::read_to_string(&summary).map_err(io("a worker's summary"))?;
        let summary: serde_json::Value = serde_json::from_str(&text)
            .map_err(|error| io("a worker's summary")(std::io::Error::other(error)))?;
        peak_kib.push(summary["peak_kib"].as_u64().unwrap_or(0));
        for pair in summary["latencies_micros"].as_array().into_iter().flatten() {
            let (Some(submitted), Some(latency)) = (pair[0].as_u64(), pair[1].as_u64()) else {
                continue;
            };
            if submitted >= latency_started_micros {
                latencies.push(latency);
            }
        }
    }
    latencies.sort_unstable();
    let n_stored = newslens_store::SqliteStore::open(&db)
        .and_then(|store| newslens_store::Store::counts(&store))
        .map_or(0, |counts| counts.articles);
    Ok(WorkersRun {
        n_workers,
        drain,
        n_articles: counts[0],
        n_stored,
        n_dead,
        latency_rate: rate,
        n_latency: latencies.len(),
        latency: [
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
            percentile(&latencies, 1.0),
        ],
        peak_kib,
    })
}

fn submit_file(
    runtime: &tokio::runtime::Runtime,
    queue: &QueueSettings,
    input: &Path,
    rate: Option<f64>,
) -> crate::Result<()> {
    let records = records_of(&[input.display().to_string()], &ReadOptions::default());
    runtime.block_on(submit(
        queue,
        records,
        &Defaults::default(),
        rate,
        &mut |_| {},
    ))?;
    Ok(())
}

/// Waits until nothing is pending or in flight (polled every 50 ms).
fn wait_until_drained(
    runtime: &tokio::runtime::Runtime,
    queue: &QueueSettings,
) -> crate::Result<()> {
    loop {
        let status = runtime.block_on(status(queue, 0))?;
        if status.pending == 0 && status.in_flight == 0 {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn percentile(sorted_micros: &[u64], quantile: f64) -> Duration {
    if sorted_micros.is_empty() {
        return Duration::ZERO;
    }
    let idx =
        ((sorted_micros.len() as f64 * quantile).ceil() as usize).clamp(1, sorted_micros.len());
    Duration::from_micros(sorted_micros[idx - 1])
}

fn write_lines(path: &Path, lines: &[&str]) -> crate::Result<()> {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(path, text).map_err(io("the benchmark input"))
}

fn io(what: &str) -> impl Fn(std::io::Error) -> QueueError + '_ {
    move |source| QueueError::Io {
        what: what.to_string(),
        source,
    }
}
