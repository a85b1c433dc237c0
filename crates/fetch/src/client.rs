//! The HTTP client: one polite GET, with robots.txt, per-host turns, retries, redirects, limits
//! and the archive.
//!
//! [`Fetcher::get`] follows redirects itself (so that each hop is checked against robots.txt, a
//! loop is named as one, and every hop is archived), waits for its host's turn ([`Hosts`]) before
//! each request, retries 429 and 5xx answers with exponential backoff or the server's
//! `Retry-After` (bounded), and reads at most `max_bytes` of body, asking for gzip or brotli and
//! decoding it here (`newslens_read::content_coding`, at most `max_bytes` decoded too) so that the
//! archive can keep the body as sent. Every response but the one returned is archived here when `--warc` is on; the caller
//! archives the returned one with what it learnt from it ([`Fetcher::archive`]). It does not
//! know what a feed or an article is.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use url::Url;

use newslens_read::content_coding::{self, ContentCodingError};

use crate::archive::Archive;
use crate::error::{FetchError, FetchErrorKind, Result};
use crate::hosts::Hosts;
use crate::robots::{agent_token, Rules};

/// How the client behaves; the defaults are the polite ones `newslens` uses.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The User-Agent header; its first word (up to `/`) is the robots.txt agent token.
    pub user_agent: String,
    /// Least time between two requests to one host.
    pub delay: Duration,
    /// Most requests in flight to one host.
    pub per_host: usize,
    /// Fetch threads (requests in flight in all).
    pub threads: usize,
    /// Longest a request may take, body included.
    pub timeout: Duration,
    /// Most redirects followed from one URL.
    pub max_redirects: u32,
    /// Largest body read, in bytes (after decompression).
    pub max_bytes: u64,
    /// Retries of a 429 or 5xx answer or a failed connection.
    pub retries: u32,
    /// The first backoff; each retry doubles it.
    pub backoff: Duration,
    /// The longest wait honoured (a longer `Retry-After` gives up at once).
    pub max_wait: Duration,
    /// Where to write WARC files of every response (none when `None`).
    pub warc_dir: Option<PathBuf>,
}

/// The User-Agent newslens sends unless told otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "newslens/",
    env!("CARGO_PKG_VERSION"),
    " (news analysis; obeys robots.txt)"
);

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            delay: Duration::from_secs(1),
            per_host: 1,
            threads: 8,
            timeout: Duration::from_secs(30),
            max_redirects: 5,
            max_bytes: 10_000_000,
            retries: 2,
            backoff: Duration::from_secs(2),
            max_wait: Duration::from_secs(60),
            warc_dir: None,
        }
    }
}

/// Validators from an earlier answer, for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` the server gave.
    pub etag: Option<String>,
    /// The `Last-Modified` the server gave.
    pub last_modified: Option<String>,
}

impl Validators {
    /// Whether there is anything to send.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A successful (2xx) answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// The URL requested first.
    pub requested: Url,
    /// The URL that answered, after redirects.
    pub url: Url,
    /// The status.
    pub status: u16,
    /// The response headers, names lower-cased, as received.
    pub headers: Vec<(String, String)>,
    /// The body, decompressed.
    pub body: Vec<u8>,
    /// The body as the server sent it, when that differs (a `Content-Encoding` was undone) and
    /// `--warc` is on: what the archive keeps.
    pub sent_body: Option<Vec<u8>>,
    /// When it was fetched, `YYYY-MM-DDTHH:MM:SSZ` (the WARC-Date).
    pub fetched_at: String,
}

impl Response {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The `Content-Type` header, lower-cased.
    pub fn content_type(&self) -> Option<String> {
        self.header("content-type").map(|v| v.to_ascii_lowercase())
    }

    /// The validators to send next time.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.header("etag").map(str::to_string),
            last_modified: self.header("last-modified").map(str::to_string),
        }
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// One answer, whatever its status.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    sent_body: Option<Vec<u8>>,
    fetched_at: String,
}

/// A polite HTTP client shared by the fetch threads.
pub struct Fetcher {
    agent: ureq::Agent,
    options: FetchOptions,
    hosts: Hosts,
    robots: Mutex<HashMap<String, Arc<OnceLock<Rules>>>>,
    archive: Option<Mutex<Archive>>,
    stop: Arc<AtomicBool>,
}

impl Fetcher {
    /// A client with these options; creates the WARC folder when one is asked for.
    pub fn new(options: FetchOptions) -> std::io::Result<Fetcher> {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(options.user_agent.as_str())
            .timeout_global(Some(options.timeout))
            .build()
            .new_agent();
        let archive = match &options.warc_dir {
            Some(dir) => Some(Mutex::new(Archive::create(dir, &options.user_agent)?)),
            None => None,
        };
        Ok(Fetcher {
            agent,
            hosts: Hosts::new(options.delay, options.per_host),
            robots: Mutex::new(HashMap::new()),
            archive,
            options,
            stop: Arc::new(AtomicBool::new(false)),
        })
    }

    /// The flag that stops the crawl: once set (by a signal handler, say), no new request starts,
    /// waits for a host's turn or a retry end at once, and those URLs fail with
    /// [`FetchErrorKind::Stopped`] — which callers drop silently and try again next run.
    /// Requests already sent finish (within the timeout).
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// Whether the crawl was asked to stop.
    pub fn is_stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// The options it runs with.
    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// Starts a new WARC file (a `follow` round each writes its own, so a killed process leaves
    /// at most one file cut short).
    pub fn next_archive_file(&self) -> std::io::Result<()> {
        match &self.archive {
            Some(archive) => archive.lock().unwrap_or_else(|e| e.into_inner()).rotate(),
            None => Ok(()),
        }
    }

    /// GETs `url`, following redirects; an answer other than 2xx is an error.
    pub fn get(&self, url: &Url) -> Result<Response> {
        match self.get_if_changed(url, &Validators::default())? {
            Some(response) => Ok(response),
            None => Err(FetchError::new(url.as_str(), FetchErrorKind::Status(304))),
        }
    }

    /// A conditional GET: `None` when the server answers 304 Not Modified.
    pub fn get_if_changed(&self, url: &Url, validators: &Validators) -> Result<Option<Response>> {
        let fail = |kind| FetchError::new(url.as_str(), kind);
        let mut current = url.clone();
        let mut visited = vec![current.clone()];
        let mut n_redirects = 0;
        loop {
            if self.is_stopping() {
                return Err(fail(FetchErrorKind::Stopped));
            }
            self.check_robots(&current).map_err(fail)?;
            let answer = self.get_with_retries(&current, validators).map_err(fail)?;
            let is_redirect = matches!(answer.status, 301 | 302 | 303 | 307 | 308);
            if !(200..300).contains(&answer.status) {
                self.archive(&current, &answer, &[]);
            }
            if is_redirect {
                let next = header(&answer.headers, "location")
                    .and_then(|location| current.join(location.trim()).ok())
                    .filter(|next| matches!(next.scheme(), "http" | "https"))
                    .ok_or_else(|| fail(FetchErrorKind::BadRedirect))?;
                let mut next_bare = next.clone();
                next_bare.set_fragment(None);
                if visited.contains(&next_bare) {
                    return Err(fail(FetchErrorKind::RedirectLoop));
                }
                n_redirects += 1;
                if n_redirects > self.options.max_redirects {
                    return Err(fail(FetchErrorKind::TooManyRedirects(
                        self.options.max_redirects,
                    )));
                }
                visited.push(next_bare.clone());
                current = next_bare;
                continue;
            }
            return match answer.status {
                200..=299 => Ok(Some(Response {
                    requested: url.clone(),
                    url: current,
                    status: answer.status,
                    headers: answer.headers,
                    body: answer.body,
                    sent_body: answer.sent_body,
                    fetched_at: answer.fetched_at,
                })),
                304 => Ok(None),
                status => Err(fail(FetchErrorKind::Status(status))),
            };
        }
    }

    /// Writes a response to the WARC file (when `--warc` is on) with extra newslens fields
    /// (`Newslens-URL`, `Newslens-Title`…, which `newslens_read::warc` reads back).
    pub fn archive_response(&self, response: &Response, fields: &[(&str, String)]) {
        self.write_archive(
            &response.url,
            &response.fetched_at,
            response.status,
            &response.headers,
            response.sent_body.as_deref().unwrap_or(&response.body),
            fields,
        );
    }

    fn archive(&self, url: &Url, answer: &Answer, fields: &[(&str, String)]) {
        self.write_archive(
            url,
            &answer.fetched_at,
            answer.status,
            &answer.headers,
            answer.sent_body.as_deref().unwrap_or(&answer.body),
            fields,
        );
    }

    /// A failed write is reported on standard error and the crawl goes on: the corpus matters
    /// more than its archive.
    fn write_archive(
        &self,
        url: &Url,
        fetched_at: &str,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
        fields: &[(&str, String)],
    ) {
        if let Some(archive) = &self.archive {
            let mut archive = archive.lock().unwrap_or_else(|e| e.into_inner());
            if let Err(error) =
                archive.write_response(url.as_str(), fetched_at, status, headers, body, fields)
            {
                eprintln!(
                    "newslens: {}: cannot archive: {error}",
                    archive.path().display()
                );
            }
        }
    }

    /// The sitemaps the robots.txt of `url`'s host names (`Sitemap:` lines), canonical; none
    /// when it has none or cannot be fetched.
    pub fn robots_sitemaps(&self, url: &Url) -> Vec<Url> {
        match self.robots_of(url).get() {
            Some(Rules::Robot(robot)) => robot
                .sitemaps
                .iter()
                .filter_map(|sitemap| crate::canonical::resolve_canonical(url, sitemap))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The rules of `url`'s host, fetching its robots.txt once per host and run.
    fn robots_of(&self, url: &Url) -> Arc<OnceLock<Rules>> {
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut robots = self.robots.lock().unwrap_or_else(|e| e.into_inner());
            robots.entry(origin.clone()).or_default().clone()
        };
        // Threads asking for the same host wait here for the one fetching its robots.txt.
        cell.get_or_init(|| {
            let rules = self.fetch_robots(&origin);
            if let (Some(delay), Some(host)) = (rules.crawl_delay(), host_key(url)) {
                self.hosts.set_delay(&host, delay);
            }
            rules
        });
        cell
    }

    /// Checks `url` against its host's robots.txt.
    fn check_robots(&self, url: &Url) -> std::result::Result<(), FetchErrorKind> {
        let cell = self.robots_of(url);
        let Some(rules) = cell.get() else {
            return Err(FetchErrorKind::Internal);
        };
        match rules {
            // Cut short by a stop, not the host's fault (the run ends anyway).
            Rules::Unreachable(_) if self.is_stopping() => Err(FetchErrorKind::Stopped),
            Rules::Unreachable(reason) => Err(FetchErrorKind::RobotsUnreachable(reason.clone())),
            rules if rules.allows(url.as_str()) => Ok(()),
            _ => Err(FetchErrorKind::Robots),
        }
    }

    fn fetch_robots(&self, origin: &str) -> Rules {
        let token = agent_token(&self.options.user_agent);
        let Ok(mut url) = Url::parse(&format!("{origin}/robots.txt")) else {
            return Rules::AllowAll;
        };
        // RFC 9309: follow at least five redirects; a loop or worse counts as unreachable.
        for _ in 0..5 {
            let answer = match self.get_with_retries(&url, &Validators::default()) {
                Ok(answer) => answer,
                Err(kind) => return Rules::Unreachable(kind.to_string()),
            };
            self.archive(&url, &answer, &[]);
            if matches!(answer.status, 301 | 302 | 303 | 307 | 308) {
                match header(&answer.headers, "location").and_then(|l| url.join(l).ok()) {
                    Some(next) => {
                        url = next;
                        continue;
                    }
                    None => return Rules::AllowAll,
                }
            }
            return Rules::from_answer(token, answer.status, &answer.body);
        }
        Rules::Unreachable("too many redirects".to_string())
    }

    /// One GET, waiting for the host's turn, retried on 429/5xx and failed connections.
    fn get_with_retries(
        &self,
        url: &Url,
        validators: &Validators,
    ) -> std::result::Result<Answer, FetchErrorKind> {
        let host = host_key(url).ok_or_else(|| FetchErrorKind::BadUrl(url.to_string()))?;
        let mut n_attempts = 0;
        loop {
            n_attempts += 1;
            let turn = self
                .hosts
                .enter(&host, &self.stop)
                .ok_or(FetchErrorKind::Stopped)?;
            let result = self.get_once(url, validators);
            drop(turn);
            let retry_in = match &result {
                Ok(answer) if matches!(answer.status, 429 | 500 | 502 | 503 | 504) => {
                    // Archived here, whether retried or given up on: the caller sees only an error.
                    self.archive(url, answer, &[]);
                    let asked = header(&answer.headers, "retry-after").and_then(retry_after);
                    let wait = asked.unwrap_or_else(|| self.backoff(n_attempts));
                    if wait > self.options.max_wait {
                        return Err(FetchErrorKind::RetryTooLate {
                            status: answer.status,
                            wait,
                            limit: self.options.max_wait,
                        });
                    }
                    if n_attempts > self.options.retries {
                        return Err(FetchErrorKind::GaveUp {
                            status: answer.status,
                            n_attempts,
                        });
                    }
                    wait
                }
                Err(FetchErrorKind::Network(_)) if n_attempts <= self.options.retries => {
                    self.backoff(n_attempts)
                }
                _ => return result,
            };
            self.sleep_unless_stopped(retry_in)?;
        }
    }

    /// Sleeps before a retry, in short steps so that a stop is not kept waiting for a minute.
    fn sleep_unless_stopped(&self, wait: Duration) -> std::result::Result<(), FetchErrorKind> {
        let until = std::time::Instant::now() + wait;
        loop {
            if self.is_stopping() {
                return Err(FetchErrorKind::Stopped);
            }
            let left = until.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            std::thread::sleep(left.min(Duration::from_millis(100)));
        }
    }

    fn backoff(&self, n_attempts: u32) -> Duration {
        self.options
            .backoff
            .saturating_mul(1 << n_attempts.saturating_sub(1).min(10))
            .min(self.options.max_wait)
    }

    fn get_once(
        &self,
        url: &Url,
        validators: &Validators,
    ) -> std::result::Result<Answer, FetchErrorKind> {
        // Asked for by hand and decoded here (not by ureq), so the archive keeps what was sent.
        let mut request = self
            .agent
            .get(url.as_str())
            .header("Accept-Encoding", "gzip, br");
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag.as_str());
        }
        if let Some(last_modified) = &validators.last_modified {
            request = request.header("If-Modified-Since", last_modified.as_str());
        }
        let fetched_at = jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let mut response = request.call().map_err(error_kind)?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let max_bytes = self.options.max_bytes;
        if response
            .body()
            .content_length()
            .is_some_and(|length| length > max_bytes)
        {
            return Err(FetchErrorKind::TooLarge(max_bytes));
        }
        let sent = response
            .body_mut()
            .with_config()
            .limit(max_bytes)
            .read_to_vec()
            .map_err(error_kind)?;
        let content_encoding = header(&headers, "content-encoding");
        let (body, sent_body) = if content_coding::is_encoded(content_encoding) {
            let body = content_coding::decode_content(content_encoding, sent.clone(), max_bytes)
                .map_err(|error| match error {
                    ContentCodingError::TooLarge(limit) => FetchErrorKind::TooLarge(limit),
                    other => FetchErrorKind::Network(other.to_string()),
                })?;
            (body, self.archive.is_some().then_some(sent))
        } else {
            (sent, None)
        };
        Ok(Answer {
            status,
            headers,
            body,
            sent_body,
            fetched_at,
        })
    }
}

/// `host:port`, the unit of politeness.
fn host_key(url: &Url) -> Option<String> {
    Some(format!(
        "{}:{}",
        url.host_str()?,
        url.port_or_known_default().unwrap_or(0)
    ))
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = when.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

fn error_kind(error: ureq::Error) -> FetchErrorKind {
    match error {
        ureq::Error::Timeout(_) => FetchErrorKind::Timeout,
        ureq::Error::BodyExceedsLimit(limit) => FetchErrorKind::TooLarge(limit),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => FetchErrorKind::Timeout,
        ureq::Error::BadUri(uri) => FetchErrorKind::BadUrl(uri),
        ureq::Error::HostNotFound => FetchErrorKind::Network("host not found".to_string()),
        ureq::Error::ConnectionFailed => FetchErrorKind::Network("connection failed".to_string()),
        other => FetchErrorKind::Network(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn backoff_doubles_and_is_bounded() {
        let fetcher = Fetcher::new(FetchOptions {
            backoff: Duration::from_secs(2),
            max_wait: Duration::from_secs(5),
            ..FetchOptions::default()
        })
        .unwrap();
        assert_eq!(fetcher.backoff(1), Duration::from_secs(2));
        assert_eq!(fetcher.backoff(2), Duration::from_secs(4));
        assert_eq!(fetcher.backoff(3), Duration::from_secs(5));
    }
}
