//! From the URLs a user gives to the article pages to fetch: feeds and sitemaps expand to the
//! articles they list (with the feed item's title, date and authors), a page stands for itself.
//!
//! [`discover`] fetches the given URLs (several at a time, each host in its turn), tells a feed
//! from a sitemap from a page by its first element or JSON (the Content-Type only breaks ties),
//! follows sitemap indexes two levels down, canonicalises every URL, drops duplicates and URLs the
//! corpus or the fetch log already has, and returns the pages in the order given. Page bodies
//! fetched on the way are kept, never fetched twice. It does not read pages (see `pages.rs`).

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use url::Url;

use newslens_store::{FeedValidators, FetchLog, Store, StoreError, StoredKeys};

use crate::canonical::canonical_url;
use crate::client::{Fetcher, Response, Validators};
use crate::error::{FetchError, FetchErrorKind};
use crate::feed::{feed_listings, Listing};
use crate::sitemap::{read_sitemap, Sitemap};

/// Sitemap indexes are followed this deep (an index of indexes of urlsets).
const SITEMAP_DEPTH: usize = 2;
/// Most sitemaps read from one given URL.
const MAX_SITEMAPS: usize = 1000;

/// What the corpus and the fetch log already hold, read before a round.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Stored articles (their URLs are not fetched again).
    pub stored: StoredKeys,
    /// Feed validators and pages fetched for good.
    pub log: FetchLog,
}

impl Known {
    /// Reads both from a corpus (of either backend).
    pub fn from_store<S: Store + ?Sized>(store: &S) -> Result<Known, StoreError> {
        Ok(Known {
            stored: store.stored_keys()?,
            log: store.fetch_log()?,
        })
    }

    /// Whether a page URL (canonical) is stored or was fetched for good.
    pub fn has_page(&self, url: &str) -> bool {
        self.stored.contains_url(url) || self.log.pages.contains(url)
    }

    fn validators(&self, feed_url: &str) -> Validators {
        self.log
            .feeds
            .get(feed_url)
            .map(|feed| Validators {
                etag: feed.etag.clone(),
                last_modified: feed.last_modified.clone(),
            })
            .unwrap_or_default()
    }
}

/// What the given URLs are expected to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Pages, feeds or sitemaps (`newslens ingest URL`).
    Anything,
    /// Feeds or sitemaps; a page is an error (`newslens follow --feeds`).
    Feeds,
}

/// A page to read, or a URL that failed on the way.
#[derive(Debug)]
pub enum Target {
    /// An article page: what its feed said, and its body when it was fetched already.
    Page {
        /// URL and feed metadata.
        listing: Listing,
        /// The answer, when the URL was given directly.
        response: Option<Box<Response>>,
    },
    /// A given URL, feed or sitemap that failed.
    Failed(FetchError),
}

/// A feed that answered with its list this round.
#[derive(Debug, Clone)]
pub struct FeedRound {
    /// Its URL and validators, to remember once its articles are in.
    pub validators: FeedValidators,
    /// The article URLs it listed.
    pub items: Vec<String>,
}

impl FeedRound {
    /// The feed or sitemap at `url` as `response` gave it, listing `items`.
    fn new(url: &str, response: &Response, items: Vec<String>) -> FeedRound {
        let validators = response.validators();
        FeedRound {
            validators: FeedValidators {
                url: url.to_string(),
                etag: validators.etag,
                last_modified: validators.last_modified,
            },
            items,
        }
    }
}

/// The outcome of [`discover`].
#[derive(Debug, Default)]
pub struct Discovery {
    /// Pages to read and failures, in the order given.
    pub targets: Vec<Target>,
    /// Feeds that answered with content.
    pub feeds: Vec<FeedRound>,
    /// Feeds that answered 304 Not Modified.
    pub n_unchanged: usize,
    /// Page URLs skipped as stored or fetched before.
    pub n_known: usize,
}

impl Discovery {
    /// Pages to fetch or read.
    pub fn n_pages(&self) -> usize {
        self.targets
            .iter()
            .filter(|target| matches!(target, Target::Page { .. }))
            .count()
    }
}

/// What one given URL led to.
#[derive(Default)]
struct Found {
    targets: Vec<Target>,
    feed: Option<FeedRound>,
    unchanged: bool,
    known: bool,
}

/// Fetches the given URLs and expands feeds and sitemaps into the pages they list.
pub fn discover(fetcher: &Fetcher, urls: &[String], expect: Expect, known: &Known) -> Discovery {
    let results: Vec<Mutex<Option<Found>>> = urls.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let n_threads = fetcher.options().threads.clamp(1, urls.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..n_threads {
            scope.spawn(|| loop {
                let idx = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = urls.get(idx) else { break };
                // A parser panic (a third-party feed parser's, say) costs this URL only.
                let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    find(fetcher, url, expect, known)
                }))
                .unwrap_or_else(|_| Found {
                    targets: vec![Target::Failed(FetchError::new(
                        url.as_str(),
                        FetchErrorKind::Internal,
                    ))],
                    ..Found::default()
                });
                *results[idx].lock().unwrap_or_else(|e| e.into_inner()) = Some(found);
            });
        }
    });
    let mut discovery = Discovery::default();
    let mut seen_pages = HashSet::new();
    for result in results {
        let Some(found) = result.into_inner().unwrap_or_else(|e| e.into_inner()) else {
            continue;
        };
        discovery.n_unchanged += usize::from(found.unchanged);
        discovery.n_known += usize::from(found.known);
        if let Some(feed) = found.feed {
            discovery.feeds.push(feed);
        }
        for target in found.targets {
            match &target {
                Target::Page { listing, response } if response.is_none() => {
                    if known.has_page(&listing.url) {
                        discovery.n_known += 1;
                        continue;
                    }
                    if !seen_pages.insert(listing.url.clone()) {
                        continue;
                    }
                }
                Target::Page { listing, .. } => {
                    if !seen_pages.insert(listing.url.clone()) {
                        continue;
                    }
                }
                Target::Failed(_) => {}
            }
            discovery.targets.push(target);
        }
    }
    discovery
}

/// What one given URL is and leads to.
fn find(fetcher: &Fetcher, given: &str, expect: Expect, known: &Known) -> Found {
    let failed = |error: FetchError| Found {
        targets: vec![Target::Failed(error)],
        ..Found::default()
    };
    let url = match canonical_url(given) {
        Ok(url) => url,
        Err(error) => return failed(error),
    };
    if expect == Expect::Anything && known.has_page(url.as_str()) {
        return Found {
            known: true,
            ..Found::default()
        };
    }
    let response = match fetcher.get_if_changed(&url, &known.validators(url.as_str())) {
        Ok(Some(response)) => response,
        Ok(None) => {
            return Found {
                unchanged: true,
                ..Found::default()
            }
        }
        Err(error) => return failed(error),
    };
    let fail_with = |kind| failed(FetchError::new(url.as_str(), kind));
    match kind_of(&response) {
        BodyKind::Feed => {
            fetcher.archive_response(&response, &[]);
            match feed_listings(&response.body, &response.url) {
                Ok(listings) => {
                    let items = listings.iter().map(|l| l.url.clone()).collect();
                    Found {
                        feed: Some(FeedRound::new(url.as_str(), &response, items)),
                        targets: pages_of(listings),
                        ..Found::default()
                    }
                }
                Err(kind) => fail_with(kind),
            }
        }
        BodyKind::Sitemap => {
            fetcher.archive_response(&response, &[]);
            let mut targets = Vec::new();
            let mut items = Vec::new();
            read_sitemaps(fetcher, &response, 0, &mut 1, &mut targets, &mut items);
            Found {
                feed: Some(FeedRound::new(url.as_str(), &response, items)),
                targets,
                ..Found::default()
            }
        }
        BodyKind::Page if expect == Expect::Anything => Found {
            targets: vec![Target::Page {
                listing: Listing {
                    url: url.to_string(),
                    ..Listing::default()
                },
                response: Some(Box::new(response)),
            }],
            ..Found::default()
        },
        BodyKind::Page => {
            fetcher.archive_response(&response, &[]);
            fail_with(FetchErrorKind::NotAFeed("an HTML page".to_string()))
        }
        BodyKind::Other => {
            fetcher.archive_response(&response, &[]);
            let content_type = response
                .content_type()
                .unwrap_or_else(|| "no Content-Type".to_string());
            match expect {
                Expect::Feeds => fail_with(FetchErrorKind::NotAFeed(content_type)),
                Expect::Anything => fail_with(FetchErrorKind::Unsupported(content_type)),
            }
        }
    }
}

fn pages_of(listings: Vec<Listing>) -> Vec<Target> {
    listings
        .into_iter()
        .map(|listing| Target::Page {
            listing,
            response: None,
        })
        .collect()
}

/// Reads a fetched sitemap, following an index's sitemaps down to [`SITEMAP_DEPTH`].
fn read_sitemaps(
    fetcher: &Fetcher,
    response: &Response,
    depth: usize,
    n_read: &mut usize,
    targets: &mut Vec<Target>,
    items: &mut Vec<String>,
) {
    let fail = |kind| Target::Failed(FetchError::new(response.requested.as_str(), kind));
    match read_sitemap(&response.body, &response.url) {
        Err(kind) => targets.push(fail(kind)),
        Ok(Sitemap::Pages(listings)) => {
            items.extend(listings.iter().map(|l| l.url.clone()));
            targets.extend(pages_of(listings));
        }
        Ok(Sitemap::Index(sitemaps)) => {
            for sitemap_url in sitemaps {
                if depth >= SITEMAP_DEPTH || *n_read >= MAX_SITEMAPS {
                    break;
                }
                *n_read += 1;
                match fetcher.get(&sitemap_url) {
                    Ok(child) => {
                        fetcher.archive_response(&child, &[]);
                        read_sitemaps(fetcher, &child, depth + 1, n_read, targets, items);
                    }
                    Err(error) => targets.push(Target::Failed(error)),
                }
            }
        }
    }
}

/// What a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// RSS, Atom or JSON Feed.
    Feed,
    /// A sitemap index or urlset.
    Sitemap,
    /// An HTML page.
    Page,
    /// Anything else (an image, a PDF, plain text).
    Other,
}

/// Tells a feed, a sitemap and a page apart by the body's first element (or JSON Feed's
/// `version`); the Content-Type decides only for bodies that do not say.
pub fn kind_of(response: &Response) -> BodyKind {
    body_kind(response.content_type().as_deref(), &response.body)
}

fn body_kind(content_type: Option<&str>, body: &[u8]) -> BodyKind {
    let head = String::from_utf8_lossy(&body[..body.len().min(2048)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let says_html = content_type.is_some_and(|t| t.contains("html"));
    if head.starts_with('{') {
        return if head.contains("jsonfeed.org") {
            BodyKind::Feed
        } else {
            BodyKind::Other
        };
    }
    match root_element(head).as_deref() {
        Some("rss" | "feed" | "rdf") => BodyKind::Feed,
        Some("urlset" | "sitemapindex") => BodyKind::Sitemap,
        Some("html") => BodyKind::Page,
        _ if says_html => BodyKind::Page,
        _ => BodyKind::Other,
    }
}

/// The local name of the first element, past the XML declaration, comments and the doctype.
fn root_element(mut text: &str) -> Option<String> {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("<?") {
            text = &rest[rest.find("?>")? + 2..];
        } else if let Some(rest) = text.strip_prefix("<!--") {
            text = &rest[rest.find("-->")? + 3..];
        } else if let Some(rest) = text.strip_prefix("<!") {
            text = &rest[rest.find('>')? + 1..];
        } else if let Some(rest) = text.strip_prefix('<') {
            let name: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
                .collect();
            let local = name.rsplit(':').next().unwrap_or(&name).to_string();
            return (!local.is_empty()).then_some(local);
        } else {
            return None;
        }
    }
}

/// Parses a URL the crawl made canonical before.
pub(crate) fn parse_canonical(url: &str) -> Result<Url, FetchError> {
    Url::parse(url).map_err(|error| FetchError::new(url, FetchErrorKind::BadUrl(error.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_told_apart_by_their_first_element() {
        let xml = Some("application/xml");
        assert_eq!(
            body_kind(
                xml,
                b"<?xml version=\"1.0\"?>\n<!-- c --><rss version=\"2.0\">"
            ),
            BodyKind::Feed
        );
        assert_eq!(
            body_kind(xml, b"<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            BodyKind::Feed
        );
        assert_eq!(body_kind(xml, b"<rdf:RDF xmlns:rdf=\"x\">"), BodyKind::Feed);
        assert_eq!(
            body_kind(Some("text/xml"), b"\xef\xbb\xbf<urlset>"),
            BodyKind::Sitemap
        );
        assert_eq!(
            body_kind(Some("text/html"), b"<sitemapindex>"),
            BodyKind::Sitemap
        );
        assert_eq!(
            body_kind(None, b"<!DOCTYPE html><html lang=en>"),
            BodyKind::Page
        );
        assert_eq!(
            body_kind(Some("text/html; charset=utf-8"), b"<p>hi</p>"),
            BodyKind::Page
        );
        assert_eq!(
            body_kind(
                Some("application/json"),
                b"{\"version\": \"https://jsonfeed.org/version/1.1\"}"
            ),
            BodyKind::Feed
        );
        assert_eq!(
            body_kind(Some("application/pdf"), b"%PDF-1.7"),
            BodyKind::Other
        );
        assert_eq!(body_kind(Some("text/plain"), b"hello"), BodyKind::Other);
    }
}
