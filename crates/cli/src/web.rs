//! The web options shared by `ingest URL…` and `follow`, and the one place they become a
//! `newslens_fetch::Fetcher`; also the reading of URL list files.
//!
//! Defaults are the polite ones (one request at a time per host, a second apart, robots.txt
//! obeyed, two retries). This module parses and builds, and turns Ctrl-C into the fetcher's stop
//! flag; the crawling is the fetch crate's.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use newslens_fetch::{parse_duration, FetchOptions, Fetcher, DEFAULT_USER_AGENT};

#[derive(Args, Clone, Debug)]
pub struct FetchArgs {
    /// User-Agent sent with every request; its first word (up to `/`) is the agent robots.txt
    /// rules are matched against.
    #[arg(long, value_name = "TEXT", default_value = DEFAULT_USER_AGENT)]
    pub user_agent: String,
    /// Least time between two requests to one host (longer when robots.txt asks).
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub delay: Duration,
    /// Most requests in flight to one host.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub per_host: usize,
    /// Most requests in flight in all.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub fetchers: usize,
    /// Longest one request may take, body included.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Most redirects followed from one URL.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_redirects: u32,
    /// Retries of a 429/5xx answer or a failed connection (backoff 2 s, 4 s…, or Retry-After).
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub retries: u32,
    /// Longest wait honoured before a retry; a longer Retry-After gives up on the URL.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub max_wait: Duration,
    /// Archive every response as gzipped WARC files in this folder (read back by `ingest`).
    #[arg(long, value_name = "DIR")]
    pub warc: Option<PathBuf>,
}

impl FetchArgs {
    /// The client these options describe; `max_bytes` is the command's `--max-bytes`.
    pub fn fetcher(&self, max_bytes: u64) -> Result<Arc<Fetcher>> {
        let options = FetchOptions {
            user_agent: self.user_agent.clone(),
            delay: self.delay,
            per_host: self.per_host.max(1),
            threads: self.fetchers.max(1),
            timeout: self.timeout,
            max_redirects: self.max_redirects,
            max_bytes,
            retries: self.retries,
            max_wait: self.max_wait,
            warc_dir: self.warc.clone(),
            ..FetchOptions::default()
        };
        let fetcher = Fetcher::new(options).with_context(|| match &self.warc {
            Some(dir) => format!("cannot write WARC files in {}", dir.display()),
            None => "cannot start the HTTP client".to_string(),
        })?;
        stop_on_signals(&fetcher)?;
        Ok(Arc::new(fetcher))
    }
}

/// Ctrl-C (SIGINT), SIGTERM or SIGQUIT stop a crawl gently: the fetcher's stop flag is set, so no
/// new request starts, and the command stores what was fetched and writes the fetch log before it
/// exits. A second signal while stopping exits at once with status 130 (what is committed stays).
#[cfg(unix)]
fn stop_on_signals(fetcher: &Fetcher) -> Result<()> {
    use signal_hook::consts::TERM_SIGNALS;
    let stop = fetcher.stop_flag();
    for &signal in TERM_SIGNALS {
        // Registered first, so it sees the flag as it was before this signal set it.
        signal_hook::flag::register_conditional_shutdown(signal, 130, stop.clone())
            .context("cannot catch signals")?;
        signal_hook::flag::register(signal, stop.clone()).context("cannot catch signals")?;
    }
    // A signal handler may not print; this watcher says at once that the signal was heard.
    std::thread::spawn(move || {
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
        }
        eprintln!("newslens: stopping after the requests in flight (again to quit at once)");
    });
    Ok(())
}

#[cfg(not(unix))]
fn stop_on_signals(_fetcher: &Fetcher) -> Result<()> {
    Ok(())
}

/// The URLs of a list file: one a line; blank lines and lines starting with `#` are skipped.
pub fn read_url_list(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the URL list {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect())
}
