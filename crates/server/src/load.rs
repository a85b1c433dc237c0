//! An open-loop HTTP load generator: the server under a fixed request rate on loopback, latency
//! percentiles per endpoint (what `newslens bench serve` measures with).
//!
//! The server runs in this process on its own tokio runtime, exactly as `newslens serve` runs it.
//! The load is open-loop: request `k` is due at `start + k / rate` whatever happened to the ones
//! before, and its latency is measured from when it was due, so a stalled server shows in the
//! figures instead of slowing the load (no coordinated omission). Requests go over a bounded set of
//! keep-alive connections, as a browser or a proxy would send them.
//!
//! This is not an HTTP client for anything else: it sends `GET`s only, reads bodies framed by
//! `Content-Length` only, and prints nothing (the CLI lays out the figures).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::runtime::Runtime;

use newslens_store::{QuoteFilter, SqliteStore, Store, StoreError, StoryFilter};

use crate::{serve_on, AppState, Limits, Settings, DEFAULT_MAX_BODY};

/// Why a load test could not run.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The corpus file does not exist.
    #[error("{}: no corpus here", .0.display())]
    NoCorpus(PathBuf),
    /// A rate, duration or connection count of zero.
    #[error("the rate, the seconds and the connections must be above 0")]
    Nothing,
    /// The corpus could not be opened.
    #[error("cannot open {}", path.display())]
    Open {
        /// The corpus file.
        path: PathBuf,
        /// Why.
        source: StoreError,
    },
    /// The corpus has nothing to ask for.
    #[error("{}: the corpus has no quotes or no articles", .0.display())]
    Empty(PathBuf),
    /// A store query failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The server's state (its connections and analysis threads) could not be set up.
    #[error(transparent)]
    State(#[from] newslens_pipeline::PipelineError),
    /// The runtime or the listener could not start.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A connection's task died.
    #[error(transparent)]
    Task(#[from] tokio::task::JoinError),
}

/// What to load and how hard.
#[derive(Debug, Clone)]
pub struct LoadSettings {
    /// The corpus to serve.
    pub db: PathBuf,
    /// Requests per second offered to each endpoint.
    pub rate: u32,
    /// Seconds of load per endpoint.
    pub seconds: u64,
    /// Keep-alive connections the load is spread over.
    pub connections: usize,
    /// Server worker threads (`None`: one per core).
    pub jobs: Option<usize>,
}

/// One endpoint's paths, taken in turn.
#[derive(Debug)]
pub struct Endpoint {
    /// How the figures name it (`GET /v1/quotes?speaker=`).
    pub name: &'static str,
    paths: Vec<String>,
}

/// One endpoint's figures.
#[derive(Debug, Clone, Copy)]
pub struct Latencies {
    /// Requests sent.
    pub n_requests: usize,
    /// Requests answered per second of wall time.
    pub requests_per_second: f64,
    /// Requests that failed or did not answer 200.
    pub errors: usize,
    /// Median latency, in milliseconds.
    pub p50_ms: f64,
    /// 90th percentile latency, in milliseconds.
    pub p90_ms: f64,
    /// 99th percentile latency, in milliseconds.
    pub p99_ms: f64,
    /// Slowest request, in milliseconds.
    pub max_ms: f64,
}

/// A server running on loopback with a client runtime ready to load it.
pub struct LoadTest {
    settings: LoadSettings,
    server: Runtime,
    client: Runtime,
    addr: SocketAddr,
    endpoints: Vec<Endpoint>,
}

/// Starts the application over `db` on a free loopback port, in a runtime of its own, and a
/// single-threaded runtime for the client that probes it: the server runtime, the client runtime
/// and the bound address. Shared by the load generator and the hostile probes.
pub(crate) fn serve_on_loopback(
    db: &std::path::Path,
    jobs: Option<usize>,
    limits: Limits,
) -> Result<(Runtime, Runtime, SocketAddr), LoadError> {
    let server = crate::runtime(jobs, &limits)?;
    let state = AppState::open(Settings {
        db: db.display().to_string(),
        token: None,
        max_body: DEFAULT_MAX_BODY,
        loaded: Default::default(),
        limits,
    })?;
    let listener = server.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    server.spawn(serve_on(listener, state));
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok((server, client, addr))
}

impl LoadTest {
    /// Picks the requests from the corpus and starts the server on a free loopback port.
    pub fn start(settings: LoadSettings) -> Result<LoadTest, LoadError> {
        if !settings.db.exists() {
            return Err(LoadError::NoCorpus(settings.db.clone()));
        }
        if settings.rate == 0 || settings.seconds == 0 || settings.connections == 0 {
            return Err(LoadError::Nothing);
        }
        let endpoints = endpoints(&settings.db)?;
        let (server, client, addr) =
            serve_on_loopback(&settings.db, settings.jobs, Limits::default())?;
        Ok(LoadTest {
            settings,
            server,
            client,
            addr,
            endpoints,
        })
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoints to measure, in order.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// Warms the connections and caches with one second of load, then measures the endpoint.
    pub fn measure(&self, endpoint: &Endpoint) -> Result<Latencies, LoadError> {
        let LoadSettings {
            rate,
            seconds,
            connections,
            ..
        } = self.settings;
        self.client
            .block_on(load(self.addr, endpoint, rate, 1, connections))?;
        let outcome =
            self.client
                .block_on(load(self.addr, endpoint, rate, seconds, connections))?;
        let mut latencies = outcome.latencies;
        latencies.sort_unstable();
        let percentile = |p: f64| -> f64 {
            let at = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len());
            latencies[at - 1].as_secs_f64() * 1000.0
        };
        Ok(Latencies {
            n_requests: latencies.len(),
            requests_per_second: latencies.len() as f64 / outcome.elapsed.as_secs_f64(),
            errors: outcome.errors,
            p50_ms: percentile(0.50),
            p90_ms: percentile(0.90),
            p99_ms: percentile(0.99),
            max_ms: percentile(1.0),
        })
    }

    /// Stops the server, giving requests in flight a second.
    pub fn stop(self) {
        self.server.shutdown_timeout(Duration::from_secs(1));
    }
}

/// Realistic requests from the corpus itself: quotes by its speakers, pages of its articles.
fn endpoints(db: &Path) -> Result<Vec<Endpoint>, LoadError> {
    let store = SqliteStore::open(db).map_err(|source| LoadError::Open {
        path: db.to_path_buf(),
        source,
    })?;
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
        return Err(LoadError::Empty(db.to_path_buf()));
    }
    Ok(vec![
        Endpoint {
            name: "GET /v1/quotes?speaker=",
            paths: speakers
                .iter()
                .map(|speaker| format!("/v1/quotes?speaker={}&limit=20", percent_encode(speaker)))
                .collect(),
        },
        Endpoint {
            name: "GET /articles/{id} (page)",
            paths: articles
                .iter()
                .map(|id| format!("/articles/{id}"))
                .collect(),
        },
    ])
}

/// A query value with every byte but unreserved ASCII percent-encoded.
fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Latencies of one run of load, its failures and its wall time.
struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
}

/// Offers `rate` requests a second for `seconds` over `connections` keep-alive connections.
async fn load(
    addr: SocketAddr,
    endpoint: &Endpoint,
    rate: u32,
    seconds: u64,
    connections: usize,
) -> Result<Outcome, LoadError> {
    let total = rate as usize * seconds as usize;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let next = Arc::new(AtomicUsize::new(0));
    let paths = Arc::new(endpoint.paths.clone());
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

/// A response that is not what this generator reads.
fn bad_response(why: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string())
}

/// One GET over a keep-alive connection (opened when needed); returns the status.
async fn request(
    connection: &mut Option<BufReader<TcpStream>>,
    addr: SocketAddr,
    path: &str,
) -> std::io::Result<u16> {
    let stream = match connection {
        Some(stream) => stream,
        None => {
            let stream = TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            connection.insert(BufReader::new(stream))
        }
    };
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: */*\r\n\r\n");
    stream.get_mut().write_all(head.as_bytes()).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| bad_response("no HTTP status line"))?;
    let mut length: Option<usize> = None;
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed",
            ));
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
    let length = length.ok_or_else(|| bad_response("a response without Content-Length"))?;
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speaker_name_is_percent_encoded_except_unreserved_ascii() {
        assert_eq!(percent_encode("Jane O'Neil-Ruiz"), "Jane%20O%27Neil-Ruiz");
        assert_eq!(percent_encode("Zoë"), "Zo%C3%AB");
    }
}
