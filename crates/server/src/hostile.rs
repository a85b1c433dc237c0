//! The probes of issue 17 against a server on loopback: what `newslens bench hostile` runs.
//!
//! The server runs in this process with [`Limits::default`], as `newslens serve` runs it, over a
//! corpus the caller names. Each probe is bounded in count and time and reports what it saw and
//! how long it took: costly searches (answered 400 fast, or bounded by the read budget), 2,000
//! concurrent connections each with a search (some shed with 503, none left hanging, and the
//! process's resident memory during and after), many idle connections beside a new client, and
//! a half-sent head and a stalled body (closed after the header and body timeouts).
//!
//! The memory figures are the whole process's, clients included (their share is a socket and a
//! few kilobytes each). This module prints nothing; the CLI lays out the outcomes.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::runtime::Runtime;

use crate::load::LoadError;
use crate::Limits;

/// What to probe.
#[derive(Debug, Clone)]
pub struct HostileSettings {
    /// The corpus to serve.
    pub db: PathBuf,
    /// Concurrent connections of the concurrency probe.
    pub concurrent: usize,
    /// Idle connections held open while a new client asks.
    pub idle: usize,
}

/// One probe's outcome.
#[derive(Debug, Clone)]
pub struct ProbeOutcome {
    /// What was sent.
    pub probe: String,
    /// What came back, in a few words.
    pub outcome: String,
    /// How long the probe took, or the figure it is about.
    pub elapsed: Duration,
}

/// The server under probe, with a client runtime.
pub struct HostileTest {
    settings: HostileSettings,
    limits: Limits,
    server: Runtime,
    client: Runtime,
    addr: SocketAddr,
}

/// The longest any single answer is waited for.
const ANSWER_WAIT: Duration = Duration::from_secs(20);

impl HostileTest {
    /// Starts the server on a free loopback port over `settings.db`.
    pub fn start(settings: HostileSettings) -> Result<HostileTest, LoadError> {
        if !settings.db.exists() {
            return Err(LoadError::NoCorpus(settings.db.clone()));
        }
        let limits = Limits::default();
        let (server, client, addr) =
            crate::load::serve_on_loopback(&settings.db, None, limits.clone())?;
        Ok(HostileTest {
            settings,
            limits,
            server,
            client,
            addr,
        })
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The limits the server runs with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Runs every probe in turn, calling `report` after each.
    pub fn run(&self, report: &mut dyn FnMut(&ProbeOutcome)) {
        let addr = self.addr;
        let letters = "abcdefghijklmnopqrstuvwxyz";
        for n_terms in [100, 200, 2000] {
            let query: Vec<String> = (0..n_terms)
                .map(|idx| format!("{}*", &letters[idx % 26..idx % 26 + 1]))
                .collect();
            let path = format!("/v1/search?q={}", query.join("+OR+"));
            let started = Instant::now();
            let answer = self.client.block_on(get(addr, &path));
            report(&ProbeOutcome {
                probe: format!("search of {n_terms} one-letter prefixes ORed"),
                outcome: answer.summary(),
                elapsed: started.elapsed(),
            });
        }
        let started = Instant::now();
        let answer = self
            .client
            .block_on(get(addr, &format!("/v1/search?q={COSTLY}")));
        report(&ProbeOutcome {
            probe: "search at the limits (8 prefixes, 32 terms)".into(),
            outcome: answer.summary(),
            elapsed: started.elapsed(),
        });
        for outcome in
            self.client
                .block_on(concurrent(addr, self.settings.concurrent, &self.limits))
        {
            report(&outcome);
        }
        for outcome in self.client.block_on(idle(addr, self.settings.idle)) {
            report(&outcome);
        }
        for outcome in self.client.block_on(slow_clients(addr, &self.limits)) {
            report(&outcome);
        }
    }

    /// Stops the server, giving requests in flight a second.
    pub fn stop(self) {
        self.server.shutdown_timeout(Duration::from_secs(1));
    }
}

/// A search within every limit, but as costly as they allow: eight three-letter prefixes and
/// 24 common words, ORed.
const COSTLY: &str = "con*+OR+pre*+OR+pro*+OR+com*+OR+sta*+OR+the*+OR+par*+OR+res*+OR+said+OR+\
     president+OR+police+OR+government+OR+people+OR+year+OR+time+OR+state+OR+city+OR+report+OR+\
     house+OR+week+OR+minister+OR+party+OR+court+OR+public+OR+country+OR+world+OR+day+OR+\
     official+OR+group+OR+million+OR+health+OR+school";

/// An answer's status (0 when none came) and how long it took.
struct Answer {
    status: u16,
    elapsed: Duration,
}

impl Answer {
    fn summary(&self) -> String {
        match self.status {
            0 => "no answer".into(),
            status => format!("{status}"),
        }
    }
}

/// `GET path` on a new connection; the status once the head is read.
async fn get(addr: SocketAddr, path: &str) -> Answer {
    let started = Instant::now();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let status = tokio::time::timeout(ANSWER_WAIT, async {
        let mut stream = TcpStream::connect(addr).await.ok()?;
        stream.write_all(request.as_bytes()).await.ok()?;
        read_status(&mut stream).await
    })
    .await
    .ok()
    .flatten()
    .unwrap_or(0);
    Answer {
        status,
        elapsed: started.elapsed(),
    }
}

/// Reads an answer's status line.
async fn read_status(stream: &mut TcpStream) -> Option<u16> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 512];
    let line_end = loop {
        if let Some(line_end) = head.windows(2).position(|pair| pair == b"\r\n") {
            break line_end;
        }
        let n_read = stream.read(&mut buffer).await.ok()?;
        if n_read == 0 {
            return None;
        }
        head.extend_from_slice(&buffer[..n_read]);
    };
    // The status line alone: the bytes after it may end inside a character of the body.
    std::str::from_utf8(&head[..line_end])
        .ok()?
        .split(' ')
        .nth(1)?
        .parse()
        .ok()
}

/// `n_connections` connections at once, each with a costly search; then the memory figures: 2 s
/// after, and once the read connections the burst used have been idle long enough to be closed.
async fn concurrent(addr: SocketAddr, n_connections: usize, limits: &Limits) -> Vec<ProbeOutcome> {
    let idle_kib = resident_kib();
    // The sampler runs on the client's one thread between the clients' steps, every 20 ms.
    let peak_kib = Arc::new(AtomicU64::new(0));
    let sampling = tokio::spawn({
        let peak_kib = Arc::clone(&peak_kib);
        async move {
            loop {
                peak_kib.fetch_max(resident_kib().unwrap_or(0), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    });
    let started = Instant::now();
    let requests: Vec<_> = (0..n_connections)
        .map(|_| tokio::spawn(async move { get(addr, &format!("/v1/search?q={COSTLY}")).await }))
        .collect();
    let (mut n_ok, mut n_shed, mut n_other, mut n_unanswered) = (0, 0, 0, 0);
    let mut slowest = Duration::ZERO;
    for request in requests {
        let Ok(answer) = request.await else {
            n_unanswered += 1;
            continue;
        };
        slowest = slowest.max(answer.elapsed);
        match answer.status {
            200 => n_ok += 1,
            503 => n_shed += 1,
            0 => n_unanswered += 1,
            _ => n_other += 1,
        }
    }
    let elapsed = started.elapsed();
    sampling.abort();
    let peak_kib = peak_kib
        .load(Ordering::Relaxed)
        .max(resident_kib().unwrap_or(0));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after_kib = resident_kib();
    // The closing runs every reader_idle / 2: a connection is closed at most 1.5 × reader_idle
    // after its last read.
    let settle = (limits.reader_idle * 3 / 2 + Duration::from_secs(1)).max(Duration::from_secs(2));
    tokio::time::sleep(settle - Duration::from_secs(2)).await;
    let settled_kib = resident_kib();
    vec![
        ProbeOutcome {
            probe: format!("{n_connections} connections at once, a costly search each"),
            outcome: format!(
                "{n_ok} answered 200, {n_shed} shed 503, {n_other} other, {n_unanswered} no \
                 answer; slowest {:.2} s",
                slowest.as_secs_f64()
            ),
            elapsed,
        },
        ProbeOutcome {
            probe: "resident memory (whole process)".into(),
            outcome: format!(
                "before {}, peak {}, 2 s after {}, {:.0} s after (idle readers closed) {}",
                megabytes(idle_kib),
                megabytes(Some(peak_kib)),
                megabytes(after_kib),
                settle.as_secs_f64(),
                megabytes(settled_kib)
            ),
            elapsed,
        },
    ]
}

/// `n_idle` connections opened and left idle, then a new client's request.
async fn idle(addr: SocketAddr, n_idle: usize) -> Vec<ProbeOutcome> {
    let started = Instant::now();
    let mut held = Vec::with_capacity(n_idle);
    for _ in 0..n_idle {
        match tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => held.push(stream),
            _ => break,
        }
    }
    let opened = started.elapsed();
    let mut outcomes = vec![ProbeOutcome {
        probe: format!("{n_idle} idle connections opened"),
        outcome: format!("{} connected", held.len()),
        elapsed: opened,
    }];
    for attempt in 1..=3 {
        let answer = get(addr, "/v1/corpus").await;
        outcomes.push(ProbeOutcome {
            probe: format!("a new client beside them (try {attempt})"),
            outcome: answer.summary(),
            elapsed: answer.elapsed,
        });
    }
    drop(held);
    outcomes
}

/// A half-sent head and a stalled body: how long until the server closes them.
async fn slow_clients(addr: SocketAddr, limits: &Limits) -> Vec<ProbeOutcome> {
    let wait = limits.header_timeout.max(limits.body_timeout) + Duration::from_secs(5);
    let half_sent = async {
        let started = Instant::now();
        let Ok(mut stream) = TcpStream::connect(addr).await else {
            return ("could not connect".to_string(), started.elapsed());
        };
        let _ = stream
            .write_all(b"GET /v1/corpus HTTP/1.1\r\nHost: loc")
            .await;
        let outcome = match tokio::time::timeout(wait, closed(&mut stream)).await {
            Ok(()) => "closed".to_string(),
            Err(_) => format!("still open after {} s", wait.as_secs()),
        };
        (outcome, started.elapsed())
    };
    let stalled_body = async {
        let started = Instant::now();
        let Ok(mut stream) = TcpStream::connect(addr).await else {
            return ("could not connect".to_string(), started.elapsed());
        };
        let _ = stream
            .write_all(
                b"POST /v1/analyze HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n\
                  Content-Length: 100000\r\n\r\nThe mayor said",
            )
            .await;
        let outcome = match tokio::time::timeout(wait, read_status(&mut stream)).await {
            Ok(Some(status)) => format!("{status}"),
            Ok(None) => "closed without an answer".to_string(),
            Err(_) => format!("still open after {} s", wait.as_secs()),
        };
        (outcome, started.elapsed())
    };
    let ((head_outcome, head_elapsed), (body_outcome, body_elapsed)) =
        tokio::join!(half_sent, stalled_body);
    vec![
        ProbeOutcome {
            probe: format!(
                "half-sent head (header timeout {} s)",
                limits.header_timeout.as_secs_f64()
            ),
            outcome: head_outcome,
            elapsed: head_elapsed,
        },
        ProbeOutcome {
            probe: format!(
                "stalled body (body timeout {} s)",
                limits.body_timeout.as_secs_f64()
            ),
            outcome: body_outcome,
            elapsed: body_elapsed,
        },
    ]
}

/// Reads until the server closes the connection.
async fn closed(stream: &mut TcpStream) {
    let mut buffer = [0u8; 1024];
    while let Ok(n_read) = stream.read(&mut buffer).await {
        if n_read == 0 {
            return;
        }
    }
}

/// The process's resident memory, in KiB (Linux; `None` elsewhere).
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

fn megabytes(kib: Option<u64>) -> String {
    match kib {
        Some(kib) => format!("{:.0} MB", kib as f64 / 1024.0),
        None => "unknown".into(),
    }
}
