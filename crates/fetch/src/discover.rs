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

use newslens_store::{FeedValidators, Store, StoreError};

use crate::canonical::canonical_url;
use crate::client::{Fetcher, Response, Validators};
use crate::error::{FetchError, FetchErrorKind};
use crate::feed::{feed_listings, Listing};
use crate::sitemap::{read_sitemap, ListedSitemap, Sitemap};

/// Sitemap indexes are followed this deep (an index of indexes of urlsets).
const SITEMAP_DEPTH: usize = 2;
/// Most sitemaps read from one given URL.
const MAX_SITEMAPS: usize = 1000;

/// What the corpus and the fetch log already hold, asked URL by URL.
///
/// Every question is a point query on the corpus database (its own connection, behind a lock the
/// discovery threads share), so memory does not grow with the corpus or the fetch log. A question
/// the database fails to answer counts as "not known": the URL is fetched, and the pipeline still
/// skips an article it stores.
#[derive(Default)]
pub struct Known {
    corpus: Option<Mutex<Box<dyn Store + Send>>>,
}

impl Known {
    /// Asks the corpus `db` names (an SQLite path or a PostgreSQL URL), on a connection of its
    /// own beside the writer's (WAL, or PostgreSQL itself, lets both be).
    pub fn open(db: &str) -> Result<Known, StoreError> {
        Ok(Known::of(newslens_store::open(db)?))
    }

    /// Asks this store.
    pub fn of(store: Box<dyn Store + Send>) -> Known {
        Known {
            corpus: Some(Mutex::new(store)),
        }
    }

    /// Whether a page URL (canonical) is stored or was fetched for good.
    pub fn has_page(&self, url: &str) -> bool {
        self.ask(|store| store.is_page_known(url)).unwrap_or(false)
    }

    /// What the fetch log holds of a feed or sitemap.
    fn feed(&self, feed_url: &str) -> Option<FeedValidators> {
        self.ask(|store| store.feed_validators(feed_url)).flatten()
    }

    fn validators(&self, feed_url: &str) -> Validators {
        self.feed(feed_url)
            .map(|feed| Validators {
                etag: feed.etag,
                last_modified: feed.last_modified,
            })
            .unwrap_or_default()
    }

    fn ask<T>(&self, question: impl FnOnce(&dyn Store) -> Result<T, StoreError>) -> Option<T> {
        let store = self.corpus.as_ref()?;
        question(&**store.lock().unwrap_or_else(|e| e.into_inner())).ok()
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
                listed_lastmod: None,
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
    feeds: Vec<FeedRound>,
    n_unchanged: usize,
    known: bool,
}

impl Found {
    fn failed(error: FetchError) -> Found {
        Found {
            targets: vec![Target::Failed(error)],
            ..Found::default()
        }
    }

    fn add(&mut self, other: Found) {
        self.targets.extend(other.targets);
        self.feeds.extend(other.feeds);
        self.n_unchanged += other.n_unchanged;
        self.known |= other.known;
    }
}

/// Fetches the given URLs and expands feeds and sitemaps into the pages they list.
pub fn discover(fetcher: &Fetcher, urls: &[String], expect: Expect, known: &Known) -> Discovery {
    let results: Vec<Mutex<Option<Found>>> = urls.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let n_threads = fetcher.options().threads.clamp(1, urls.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..n_threads {
            scope.spawn(|| loop {
                if fetcher.is_stopping() {
                    break;
                }
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
        discovery.n_unchanged += found.n_unchanged;
        discovery.n_known += usize::from(found.known);
        discovery.feeds.extend(found.feeds);
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
                // Not a failure of the URL: it is asked again next run.
                Target::Failed(error) if error.kind == FetchErrorKind::Stopped => continue,
                Target::Failed(_) => {}
            }
            discovery.targets.push(target);
        }
    }
    discovery
}

/// What one given URL is and leads to. A bare site root (`https://host/`) stands for the site:
/// when the host's robots.txt names sitemaps, they are read as if given (the home page is a list
/// of links, not an article); when it names none, the root is fetched like any URL.
fn find(fetcher: &Fetcher, given: &str, expect: Expect, known: &Known) -> Found {
    let url = match canonical_url(given) {
        Ok(url) => url,
        Err(error) => return Found::failed(error),
    };
    if is_site_root(&url) {
        let sitemaps = fetcher.robots_sitemaps(&url);
        if !sitemaps.is_empty() {
            let mut found = Found::default();
            for sitemap in sitemaps {
                found.add(find_one(fetcher, sitemap, Expect::Feeds, known));
            }
            return found;
        }
    }
    find_one(fetcher, url, expect, known)
}

/// Whether a URL names a whole site: path `/`, no query.
fn is_site_root(url: &Url) -> bool {
    url.path() == "/" && url.query().is_none()
}

/// What one URL (canonical) is and leads to.
fn find_one(fetcher: &Fetcher, url: Url, expect: Expect, known: &Known) -> Found {
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
                n_unchanged: 1,
                ..Found::default()
            }
        }
        Err(error) => return Found::failed(error),
    };
    let fail_with = |kind| Found::failed(FetchError::new(url.as_str(), kind));
    match kind_of(&response) {
        BodyKind::Feed => {
            fetcher.archive_response(&response, &[]);
            match feed_listings(&response.body, &response.url) {
                Ok(listings) => {
                    let items = listings.iter().map(|l| l.url.clone()).collect();
                    Found {
                        feeds: vec![FeedRound::new(url.as_str(), &response, items)],
                        targets: pages_of(listings),
                        ..Found::default()
                    }
                }
                Err(kind) => fail_with(kind),
            }
        }
        BodyKind::Sitemap => {
            fetcher.archive_response(&response, &[]);
            let mut found = Found::default();
            let mut reading = SitemapReading {
                fetcher,
                known,
                n_read: 1,
            };
            reading.read(url.as_str(), &response, None, 0, &mut found);
            found
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

/// Reading a sitemap and, for an index, the sitemaps it lists down to [`SITEMAP_DEPTH`].
struct SitemapReading<'r> {
    fetcher: &'r Fetcher,
    known: &'r Known,
    n_read: usize,
}

impl SitemapReading<'_> {
    /// Reads the fetched sitemap at `url` (as given or listed), which its index listed with
    /// `listed_lastmod`.
    ///
    /// A `urlset` is one [`FeedRound`] under its own URL, with its validators and that
    /// `<lastmod>`, saved once its pages are in. An index is read in full every round (it is
    /// small, and a 304 on it would hide a changed child); each child it lists is skipped
    /// without a request when the index gives the same `<lastmod>` as when the child's last
    /// round completed, else asked with a conditional GET.
    fn read(
        &mut self,
        url: &str,
        response: &Response,
        listed_lastmod: Option<String>,
        depth: usize,
        found: &mut Found,
    ) {
        let fail = |kind| Target::Failed(FetchError::new(response.requested.as_str(), kind));
        match read_sitemap(&response.body, &response.url) {
            Err(kind) => found.targets.push(fail(kind)),
            Ok(Sitemap::Pages(listings)) => {
                let items = listings.iter().map(|l| l.url.clone()).collect();
                let mut round = FeedRound::new(url, response, items);
                round.validators.listed_lastmod = listed_lastmod;
                found.feeds.push(round);
                found.targets.extend(pages_of(listings));
            }
            Ok(Sitemap::Index(sitemaps)) => {
                // No validators: an index written by an older newslens with an ETag is read in
                // full again.
                found.feeds.push(FeedRound {
                    validators: FeedValidators {
                        url: url.to_string(),
                        ..FeedValidators::default()
                    },
                    items: Vec::new(),
                });
                for child in sitemaps {
                    if depth >= SITEMAP_DEPTH || self.n_read >= MAX_SITEMAPS {
                        break;
                    }
                    self.read_child(child, depth, found);
                }
            }
        }
    }

    fn read_child(&mut self, child: ListedSitemap, depth: usize, found: &mut Found) {
        let logged = self.known.feed(child.url.as_str());
        if let (Some(lastmod), Some(logged)) = (&child.lastmod, &logged) {
            if logged.listed_lastmod.as_ref() == Some(lastmod) {
                found.n_unchanged += 1;
                return;
            }
        }
        self.n_read += 1;
        let validators = logged
            .as_ref()
            .map(|logged| Validators {
                etag: logged.etag.clone(),
                last_modified: logged.last_modified.clone(),
            })
            .unwrap_or_default();
        match self.fetcher.get_if_changed(&child.url, &validators) {
            Ok(Some(response)) => {
                self.fetcher.archive_response(&response, &[]);
                self.read(
                    child.url.as_str(),
                    &response,
                    child.lastmod,
                    depth + 1,
                    found,
                );
            }
            Ok(None) => {
                found.n_unchanged += 1;
                // Unchanged since its last complete round: remember the new <lastmod> too, so
                // the next round does not even ask.
                if let Some(mut logged) = logged.filter(|_| child.lastmod.is_some()) {
                    logged.listed_lastmod = child.lastmod;
                    found.feeds.push(FeedRound {
                        validators: logged,
                        items: Vec::new(),
                    });
                }
            }
            Err(error) => found.targets.push(Target::Failed(error)),
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
