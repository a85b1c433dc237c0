//! Fetch errors: what went wrong with one URL, worded for the line `newslens: URL: reason`.
//!
//! A failed URL never stops a crawl: the error is reported for that URL and the rest go on. This
//! module only names failures; it does not decide whether to retry (the client does).

use std::fmt;
use std::time::Duration;

use newslens_read::{ErrorKind, Origin, ReadError};

/// What went wrong with one URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchErrorKind {
    /// Not an http(s) URL, or not a URL at all.
    #[error("not an http(s) URL: {0}")]
    BadUrl(String),
    /// robots.txt of the host forbids newslens this path.
    #[error("disallowed by robots.txt")]
    Robots,
    /// robots.txt could not be fetched (5xx or no answer): RFC 9309 says to fetch nothing then.
    #[error("robots.txt unreachable ({0}), nothing fetched from this host")]
    RobotsUnreachable(String),
    /// The server answered with an error status.
    #[error("HTTP {0}")]
    Status(u16),
    /// The server kept answering 429/5xx after the retries.
    #[error("HTTP {status} after {n_attempts} attempts")]
    GaveUp {
        /// The last status.
        status: u16,
        /// Requests made.
        n_attempts: u32,
    },
    /// The server asked to wait longer than newslens waits.
    #[error("HTTP {status}, Retry-After {wait:?} is beyond the {limit:?} limit")]
    RetryTooLate {
        /// The status.
        status: u16,
        /// How long the server asked for.
        wait: Duration,
        /// The longest wait allowed.
        limit: Duration,
    },
    /// No answer in time.
    #[error("timed out")]
    Timeout,
    /// A redirect led back to a URL already visited.
    #[error("redirect loop")]
    RedirectLoop,
    /// More redirects than the limit.
    #[error("more than {0} redirects")]
    TooManyRedirects(u32),
    /// A redirect without a usable Location.
    #[error("redirect without a valid Location")]
    BadRedirect,
    /// The body is larger than `--max-bytes`.
    #[error("body over the limit of {0} bytes (see --max-bytes)")]
    TooLarge(u64),
    /// A URL given as a feed that is not one.
    #[error("not a feed ({0})")]
    NotAFeed(String),
    /// A feed or sitemap that does not parse.
    #[error("malformed {what}: {message}")]
    Malformed {
        /// "feed" or "sitemap".
        what: &'static str,
        /// The parser's message.
        message: String,
    },
    /// A body that is neither a page, a feed nor a sitemap.
    #[error("not an article page, feed or sitemap ({0})")]
    Unsupported(String),
    /// A bug: fetching or parsing this URL panicked (please report it with the URL).
    #[error("internal error on this URL, please report it")]
    Internal,
    /// Connection refused, DNS failure, TLS error…
    #[error("{0}")]
    Network(String),
    /// Not fetched because newslens was asked to stop (Ctrl-C, SIGTERM); tried again next run.
    #[error("not fetched, newslens is stopping")]
    Stopped,
}

/// An error with the URL it happened to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    /// The URL as given (or found in a feed).
    pub url: String,
    /// What went wrong.
    pub kind: FetchErrorKind,
}

impl FetchError {
    /// An error of this kind for this URL.
    pub fn new(url: impl Into<String>, kind: FetchErrorKind) -> FetchError {
        FetchError {
            url: url.into(),
            kind,
        }
    }

    /// Whether trying again later may succeed (timeouts, 429/5xx, network), so the URL is not
    /// remembered as done.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind,
            FetchErrorKind::Timeout
                | FetchErrorKind::GaveUp { .. }
                | FetchErrorKind::RetryTooLate { .. }
                | FetchErrorKind::RobotsUnreachable(_)
                | FetchErrorKind::Network(_)
                | FetchErrorKind::Stopped
        ) || matches!(self.kind, FetchErrorKind::Status(status) if status == 429 || status >= 500)
    }

    /// The same error as a reading error, so the pipeline reports it like any failed input.
    pub fn into_read_error(self) -> ReadError {
        ReadError::new(Origin::file(self.url), ErrorKind::Io(self.kind.to_string()))
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.url, self.kind)
    }
}

impl std::error::Error for FetchError {}

/// Results of fetching.
pub type Result<T> = std::result::Result<T, FetchError>;
