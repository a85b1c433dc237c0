//! Article pages fetched in parallel and handed to the pipeline as records, in the order found.
//!
//! [`PageRecords`] is an iterator of `newslens_pipeline` inputs: fetch threads take the next page
//! (each host waiting its turn), and the iterator gives the results back in order, so a crawl's
//! output order is its input order like every other entry point's. A fetched page becomes a
//! `Record` of HTML whose given URL is its canonical one (the page's own `<link rel=canonical>`
//! on the same host, else the URL fetched) and whose fallback metadata is the feed's (title, date,
//! authors, outlet), then the fetch time as the date of last resort — as the WARC reader does with
//! `WARC-Date`, so an archive reads back the same. What was fetched for good, and what only failed
//! for now, is kept in a [`Tally`] for the fetch log. It does not read or analyse the HTML.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use newslens_read::{decode::with_http_charset, Format, Given, Origin, ReadError, Record};
use newslens_store::{FeedValidators, Store, StoreError};

use crate::canonical::{canonical_url, page_canonical};
use crate::client::{Fetcher, Response};
use crate::discover::{kind_of, parse_canonical, BodyKind, FeedRound, Target};
use crate::error::{FetchError, FetchErrorKind};
use crate::feed::Listing;

/// Results the fetch threads may run ahead of the one the pipeline waits for.
const WINDOW: usize = 64;

/// What a crawl did with its pages, for the fetch log and the progress line. A page counts only
/// once the pipeline has taken it, so what the log says is done is what the corpus holds.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    inner: Arc<Mutex<TallyInner>>,
}

#[derive(Debug, Default)]
struct TallyInner {
    done: Vec<String>,
    retry_later: HashSet<String>,
    n_fetched: usize,
    n_left: usize,
}

impl Tally {
    /// Pages fetched (2xx) so far.
    pub fn n_fetched(&self) -> usize {
        self.lock().n_fetched
    }

    /// Pages not fetched because the crawl was stopped (they are fetched next run).
    pub fn n_left(&self) -> usize {
        self.lock().n_left
    }

    /// URLs fetched for good: answered, or failed in a way that will not change.
    pub fn done(&self) -> Vec<String> {
        self.lock().done.clone()
    }

    /// URLs that failed for now (timeouts, 5xx) or were left by a stop, to be tried again.
    pub fn retry_later(&self) -> HashSet<String> {
        self.lock().retry_later.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TallyInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts a page the pipeline takes, and turns its error into a reading error.
    fn settle(&self, url: String, result: Result<Record, FetchError>) -> Result<Record, ReadError> {
        let mut inner = self.lock();
        match &result {
            Ok(record) => {
                inner.n_fetched += 1;
                if let Some(canonical) = &record.given.url {
                    inner.done.push(canonical.clone());
                }
                inner.done.push(url);
            }
            Err(error) if error.is_transient() => {
                inner.retry_later.insert(url);
            }
            Err(_) => inner.done.push(url),
        }
        drop(inner);
        result.map_err(FetchError::into_read_error)
    }

    fn leave(&self, url: String) {
        let mut inner = self.lock();
        inner.n_left += 1;
        inner.retry_later.insert(url);
    }
}

/// Records the fetch log of a round once its pages are stored: every page fetched for good, and
/// the validators of each feed none of whose articles has to be tried again (a feed with one is
/// fetched in full next time, so that article is not lost behind a 304).
pub fn remember<S: Store + ?Sized>(
    store: &mut S,
    feeds: &[FeedRound],
    tally: &Tally,
) -> Result<(), StoreError> {
    let retry_later = tally.retry_later();
    let complete: Vec<FeedValidators> = feeds
        .iter()
        .filter(|feed| !feed.items.iter().any(|url| retry_later.contains(url)))
        .map(|feed| feed.validators.clone())
        .collect();
    let now = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    store.write_fetch_log(&complete, &tally.done(), &now)
}

/// What a fetch thread hands back for one target.
enum Fetched {
    /// A page fetched (or failed) under this URL.
    Page(String, Box<Result<Record, FetchError>>),
    /// A URL that failed during discovery.
    Failed(FetchError),
}

/// The pipeline's inputs for a crawl's targets, in order (see the module doc).
///
/// When the fetcher is stopped, threads take no new target; the pages already fetched are still
/// yielded (in order, skipping the ones never fetched), and every page not yielded is left in the
/// tally for the next run, so the fetch log never says "done" of a page the corpus lacks.
pub struct PageRecords {
    receiver: Receiver<(usize, Fetched)>,
    pending: BTreeMap<usize, Fetched>,
    /// The page URL of each target (`None` for a discovery failure), until it is settled.
    urls: Vec<Option<String>>,
    next: usize,
    total: usize,
    yielded: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    tally: Tally,
}

impl PageRecords {
    /// Starts fetching `targets` on the fetcher's threads; what happened goes into `tally`.
    pub fn new(fetcher: Arc<Fetcher>, targets: Vec<Target>, tally: &Tally) -> PageRecords {
        let total = targets.len();
        let urls = targets
            .iter()
            .map(|target| match target {
                Target::Page { listing, .. } => Some(listing.url.clone()),
                Target::Failed(_) => None,
            })
            .collect();
        let tasks: Arc<Vec<Mutex<Option<Target>>>> =
            Arc::new(targets.into_iter().map(|t| Mutex::new(Some(t))).collect());
        let (sender, receiver) = channel();
        let next_task = Arc::new(AtomicUsize::new(0));
        let yielded = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        for _ in 0..fetcher.options().threads.clamp(1, total.max(1)) {
            let (fetcher, tasks, sender) = (fetcher.clone(), tasks.clone(), sender.clone());
            let (next_task, yielded, stop) = (next_task.clone(), yielded.clone(), stop.clone());
            std::thread::spawn(move || loop {
                let stopping = || stop.load(Ordering::Relaxed) || fetcher.is_stopping();
                if stopping() {
                    return;
                }
                let idx = next_task.fetch_add(1, Ordering::Relaxed);
                if idx >= tasks.len() {
                    break;
                }
                while idx >= yielded.load(Ordering::Relaxed) + WINDOW {
                    if stopping() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                let Some(target) = tasks[idx].lock().unwrap_or_else(|e| e.into_inner()).take()
                else {
                    continue;
                };
                let fetched = match target {
                    Target::Failed(error) => Fetched::Failed(error),
                    Target::Page { listing, response } => {
                        let url = listing.url.clone();
                        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            page_record(&fetcher, listing, response.map(|r| *r))
                        }))
                        .unwrap_or_else(|_| Err(FetchError::new(&url, FetchErrorKind::Internal)));
                        Fetched::Page(url, Box::new(result))
                    }
                };
                if sender.send((idx, fetched)).is_err() {
                    return;
                }
            });
        }
        PageRecords {
            receiver,
            pending: BTreeMap::new(),
            urls,
            next: 0,
            total,
            yielded,
            stop,
            tally: tally.clone(),
        }
    }

    /// What the pipeline gets for a target; `None` for a page a stop kept from being fetched.
    fn settle(&mut self, idx: usize, fetched: Fetched) -> Option<Result<Record, ReadError>> {
        self.urls[idx] = None;
        match fetched {
            Fetched::Failed(error) => Some(Err(error.into_read_error())),
            Fetched::Page(url, result) => match *result {
                Err(error) if error.kind == FetchErrorKind::Stopped => {
                    self.tally.leave(url);
                    None
                }
                result => Some(self.tally.settle(url, result)),
            },
        }
    }
}

impl Iterator for PageRecords {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.next < self.total {
            if let Some(fetched) = self.pending.remove(&self.next) {
                let idx = self.next;
                self.next += 1;
                self.yielded.store(self.next, Ordering::Relaxed);
                match self.settle(idx, fetched) {
                    Some(item) => return Some(item),
                    None => continue,
                }
            }
            match self.receiver.recv() {
                Ok((idx, fetched)) => {
                    self.pending.insert(idx, fetched);
                }
                // Every thread has ended before the last target: the crawl was stopped. What
                // was fetched is still given, in order; the gaps are left for the next run.
                Err(_) => match self.pending.pop_first() {
                    Some((idx, fetched)) => {
                        self.next = idx;
                        self.pending.insert(idx, fetched);
                    }
                    None => {
                        for url in self.urls.iter_mut().filter_map(Option::take) {
                            self.tally.leave(url);
                        }
                        self.next = self.total;
                    }
                },
            }
        }
        None
    }
}

impl Drop for PageRecords {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Fetches a page (unless it came with its body) and makes it a record.
fn page_record(
    fetcher: &Fetcher,
    listing: Listing,
    response: Option<Response>,
) -> Result<Record, FetchError> {
    let response = match response {
        Some(response) => response,
        None => fetcher.get(&parse_canonical(&listing.url)?)?,
    };
    if kind_of(&response) != BodyKind::Page {
        fetcher.archive_response(&response, &[]);
        let content_type = response
            .content_type()
            .unwrap_or_else(|| "no Content-Type".to_string());
        return Err(FetchError::new(
            listing.url,
            FetchErrorKind::Unsupported(content_type),
        ));
    }
    // A page's own canonical URL counts only on its host: a site that points every page at its
    // home page would otherwise make every article a copy of the first.
    let fetched = canonical_url(response.url.as_str())?;
    let canonical = page_canonical(&response.body, &response.url)
        .filter(|own| own.host_str() == fetched.host_str())
        .unwrap_or(fetched);
    let mut fields = vec![("Newslens-URL", canonical.to_string())];
    fields.extend(listing.title.clone().map(|t| ("Newslens-Title", t)));
    fields.extend(listing.published.clone().map(|p| ("Newslens-Published", p)));
    fields.extend(
        listing
            .authors
            .iter()
            .map(|a| ("Newslens-Author", a.clone())),
    );
    fields.extend(listing.outlet.clone().map(|o| ("Newslens-Outlet", o)));
    fetcher.archive_response(&response, &fields);
    let content_type = response.content_type();
    let fallback = Given {
        title: listing.title,
        published: listing.published.or(Some(response.fetched_at.clone())),
        authors: listing.authors,
        outlet: listing.outlet,
        url: Some(response.url.to_string()),
        ..Given::default()
    };
    Ok(Record {
        origin: Origin::file(listing.url),
        bytes: with_http_charset(response.body, content_type.as_deref()),
        format: Format::Html,
        given: Given {
            url: Some(canonical.to_string()),
            ..Given::default()
        },
        fallback,
    })
}
