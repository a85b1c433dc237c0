//! Articles from the web for newslens: pages, feeds and sitemaps fetched politely, turned into
//! the same records files give, for the one pipeline.
//!
//! The flow of a crawl:
//! 1. [`discover`] fetches the URLs a user gives. A feed (RSS 2.0, Atom, JSON Feed, via
//!    `feed-rs`) or a sitemap (index, urlset, news sitemap; our own reader over `quick-xml`)
//!    expands to the article URLs it lists, each with what the feed says of it ([`Listing`]: title,
//!    date, authors); a page stands for itself. URLs are canonical ([`canonical_url`]), and those
//!    the corpus stores or the fetch log lists ([`Known`]) are dropped before any request.
//! 2. [`PageRecords`] fetches the pages on a few threads and yields `newslens_read::Record`s in
//!    order, for `newslens_pipeline` to read, analyse and store exactly like files.
//! 3. [`remember`] writes the fetch log (feed validators, pages done) once the pages are stored.
//!
//! Every request goes through one [`Fetcher`]: robots.txt obeyed (per host, RFC 9309), a delay
//! and a concurrency cap per host, a User-Agent naming newslens, conditional GET for feeds,
//! retries with backoff on 429/5xx honouring `Retry-After`, a timeout, a redirect limit, a body
//! limit, gzip and brotli; with `--warc` every response is archived. A URL that fails is one
//! [`FetchError`] (`URL: reason`) and the rest go on.
//!
//! It does not analyse or store articles (the pipeline does) and does not print.
//!
//! # Brief overview
//! ```
//! use newslens_fetch::{canonical_url, feed_listings};
//!
//! let feed = br#"<rss version="2.0"><channel><title>Harbour Post</title>
//!   <item><title>Ferry strike ends</title><link>https://news.example/ferry?utm_source=rss</link>
//!   <pubDate>Tue, 12 Mar 2019 14:05:00 +0100</pubDate></item></channel></rss>"#;
//! let base = canonical_url("https://news.example/feed.xml").unwrap();
//! let listings = feed_listings(feed, &base).unwrap();
//! assert_eq!(listings[0].url, "https://news.example/ferry");
//! assert_eq!(listings[0].published.as_deref(), Some("2019-03-12T13:05:00Z"));
//! ```
#![warn(missing_docs)]

mod archive;
mod canonical;
mod client;
mod discover;
mod error;
mod feed;
mod hosts;
mod pages;
mod robots;
mod sitemap;
#[cfg(feature = "test-site")]
pub mod test_site;

pub use canonical::{canonical_url, page_canonical, resolve_canonical};
pub use client::{FetchOptions, Fetcher, Response, Validators, DEFAULT_USER_AGENT};
pub use discover::{discover, kind_of, BodyKind, Discovery, Expect, FeedRound, Known, Target};
pub use error::{FetchError, FetchErrorKind, Result};
pub use feed::{feed_listings, Listing};
pub use pages::{remember, PageRecords, Tally};
pub use sitemap::{read_sitemap, ListedSitemap, Sitemap};

/// Whether a command-line argument is a web address rather than a path.
pub fn is_web_url(argument: &str) -> bool {
    let lower = argument.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A duration as people write it: `15m`, `1h`, `30s`, `250ms`, or plain seconds (`90`).
pub fn parse_duration(text: &str) -> std::result::Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (try 30s, 15m, 1h)"))?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" | "secs" => value,
        "ms" => value / 1000.0,
        "m" | "min" | "mins" => value * 60.0,
        "h" | "hr" | "hours" => value * 3600.0,
        other => return Err(format!("unknown unit {other:?} (use ms, s, m or h)")),
    };
    std::time::Duration::try_from_secs_f64(seconds).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3 weeks").is_err());
    }

    #[test]
    fn web_urls_are_told_from_paths() {
        assert!(is_web_url("https://news.example/a"));
        assert!(is_web_url("HTTP://news.example/a"));
        assert!(!is_web_url("articles/https.txt"));
        assert!(!is_web_url("-"));
    }
}
