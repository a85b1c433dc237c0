//! `newslens bench serve`: the server under a fixed request rate on loopback, p99 latency per
//! endpoint.
//!
//! The server runs in this process on its own tokio runtime, exactly as `newslens serve` runs it.
//! The load generator is open-loop: request `k` is due at `start + k / rate` whatever happened to
//! the ones before, and its latency is measured from when it was due, so a stalled server shows
//! in the figures instead of slowing the load (no coordinated omission). Requests go over a
//! bounded set of keep-alive connections, as a browser or a proxy would send them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use newslens_server::{serve_on, AppState, Settings, DEFAULT_MAX_BODY};
use newslens_store::{QuoteFilter, SqliteStore, Store, StoryFilter};

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

/// One endpoint's paths, taken in turn.
struct Scenario {
    name: &'static str,
    paths: Vec<String>,
}

pub fn run(args: &BenchServeArgs) -> Result<()> {
    if !args.db.exists() {
        bail!("{}: no corpus here", args.db.display());
    }
    if args.rate == 0 || args.seconds == 0 || args.connections == 0 {
        bail!("--rate, --seconds and --connections must be above 0");
    }
    let scenarios = scenarios(&args.db)?;

    let mut server = tokio::runtime::Builder::new_multi_thread();
    if let Some(jobs) = args.jobs {
        server.worker_threads(jobs.max(1));
    }
    let server = server.enable_all().build()?;
    let state = AppState::open(Settings {
        db: args.db.clone(),
        token: None,
        max_body: DEFAULT_MAX_BODY,
    })?;
    let listener = server.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    server.spawn(serve_on(listener, state));

    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    println!(
        "newslens bench serve: {} on http://{addr}/, {} requests/s for {} s per endpoint over {} connections",
        args.db.display(),
        args.rate,
        args.seconds,
        args.connections
    );
    println!(
        "{:<26} {:>8} {:>9} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "endpoint", "requests", "req/s", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for scenario in &scenarios {
        // Warm the connections and caches a little, then measure.
        client.block_on(load(addr, scenario, args.rate, 1, args.connections))?;
        let outcome = client.block_on(load(
            addr,
            scenario,
            args.rate,
            args.seconds,
            args.connections,
        ))?;
        let mut latencies = outcome.latencies;
        latencies.sort_unstable();
        let pct = |p: f64| -> f64 {
            let at = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len());
            latencies[at - 1].as_secs_f64() * 1000.0
        };
        println!(
            "{:<26} {:>8} {:>9.0} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            scenario.name,
            latencies.len(),
            latencies.len() as f64 / outcome.elapsed.as_secs_f64(),
            outcome.errors,
            pct(0.50),
            pct(0.90),
            pct(0.99),
            pct(1.0),
        );
    }
    server.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

/// Realistic requests from the corpus itself: quotes by its speakers, pages of its articles.
fn scenarios(db: &std::path::Path) -> Result<Vec<Scenario>> {
    let store = SqliteStore::open(db).with_context(|| format!("cannot open {}", db.display()))?;
    let mut speakers: Vec<String> = store
        .quotes(&QuoteFilter {
            limit: Some(5_000),
            ..QuoteFilter::default()
        })?
        .into_iter()
        .filter_map(|quote| quote.speaker)
        .collect();
    speakers.sort();
    speakers.dedup();
    let articles: Vec<String> = store
        .stories(&StoryFilter {
            min_articles: 1,
            limit: Some(2_000),
            offset: 0,
            most_covered: false,
        })?
        .into_iter()
        .flat_map(|story| story.articles.into_iter().map(|article| article.id))
        .collect();
    if speakers.is_empty() || articles.is_empty() {
        bail!("{}: the corpus has no quotes or no articles", db.display());
    }
    let encode = |name: &str| -> String {
        name.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    Ok(vec![
        Scenario {
            name: "GET /v1/quotes?speaker=",
            paths: speakers
                .iter()
                .map(|speaker| format!("/v1/quotes?speaker={}&limit=20", encode(speaker)))
                .collect(),
        },
        Scenario {
            name: "GET /articles/{id} (page)",
            paths: articles
                .iter()
                .map(|id| format!("/articles/{id}"))
                .collect(),
        },
    ])
}

struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
}

async fn load(
    addr: SocketAddr,
    scenario: &Scenario,
    rate: u32,
    seconds: u64,
    connections: usize,
) -> Result<Outcome> {
    let total = rate as usize * seconds as usize;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let next = Arc::new(AtomicUsize::new(0));
    let paths = Arc::new(scenario.paths.clone());
    let start = tokio::time::Instant::now() + Duration::from_millis(20);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let next = Arc::clone(&next);
        let paths = Arc::clone(&paths);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let mut connection: Option<BufReader<TcpStream>> = None;
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= total {
                    break;
                }
                let due = start + interval * k as u32;
                tokio::time::sleep_until(due).await;
                let path = &paths[k % paths.len()];
                let ok = match request(&mut connection, addr, path).await {
                    Ok(status) => status == 200,
                    Err(_) => {
                        connection = None;
                        false
                    }
                };
                latencies.push(due.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let began = Instant::now();
    let mut outcome = Outcome {
        latencies: Vec::with_capacity(total),
        errors: 0,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (latencies, errors) = task.await?;
        outcome.latencies.extend(latencies);
        outcome.errors += errors;
    }
    outcome.elapsed = began.elapsed().saturating_sub(Duration::from_millis(20));
    Ok(outcome)
}

/// One GET over a keep-alive connection (opened when needed); returns the status.
async fn request(
    connection: &mut Option<BufReader<TcpStream>>,
    addr: SocketAddr,
    path: &str,
) -> Result<u16> {
    if connection.is_none() {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        *connection = Some(BufReader::new(stream));
    }
    let Some(stream) = connection.as_mut() else {
        bail!("no connection");
    };
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: */*\r\n\r\n");
    stream.get_mut().write_all(head.as_bytes()).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .context("no HTTP status line")?;
    let mut length: Option<usize> = None;
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            bail!("connection closed");
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let length = length.context("a response without Content-Length")?;
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await?;
    Ok(status)
}
