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

/// What a crawl did with its pages, for the fetch log and the progress line.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    inner: Arc<Mutex<TallyInner>>,
}

#[derive(Debug, Default)]
struct TallyInner {
    done: Vec<String>,
    retry_later: HashSet<String>,
    n_fetched: usize,
}

impl Tally {
    /// Pages fetched (2xx) so far.
    pub fn n_fetched(&self) -> usize {
        self.lock().n_fetched
    }

    /// URLs fetched for good: answered, or failed in a way that will not change.
    pub fn done(&self) -> Vec<String> {
        self.lock().done.clone()
    }

    /// URLs that failed for now (timeouts, 5xx) and should be tried again.
    pub fn retry_later(&self) -> HashSet<String> {
        self.lock().retry_later.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TallyInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
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

/// The pipeline's inputs for a crawl's targets, in order (see the module doc).
pub struct PageRecords {
    receiver: Receiver<(usize, Result<Record, ReadError>)>,
    pending: BTreeMap<usize, Result<Record, ReadError>>,
    next: usize,
    total: usize,
    yielded: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl PageRecords {
    /// Starts fetching `targets` on the fetcher's threads; what happened goes into `tally`.
    pub fn new(fetcher: Arc<Fetcher>, targets: Vec<Target>, tally: &Tally) -> PageRecords {
        let total = targets.len();
        let tasks: Arc<Vec<Mutex<Option<Target>>>> =
            Arc::new(targets.into_iter().map(|t| Mutex::new(Some(t))).collect());
        let (sender, receiver) = channel();
        let next_task = Arc::new(AtomicUsize::new(0));
        let yielded = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        for _ in 0..fetcher.options().threads.clamp(1, total.max(1)) {
            let (fetcher, tasks, sender) = (fetcher.clone(), tasks.clone(), sender.clone());
            let (next_task, yielded, stop) = (next_task.clone(), yielded.clone(), stop.clone());
            let tally = tally.clone();
            std::thread::spawn(move || loop {
                let idx = next_task.fetch_add(1, Ordering::Relaxed);
                if idx >= tasks.len() {
                    break;
                }
                while idx >= yielded.load(Ordering::Relaxed) + WINDOW {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let Some(target) = tasks[idx].lock().unwrap_or_else(|e| e.into_inner()).take()
                else {
                    continue;
                };
                let result = match target {
                    Target::Failed(error) => Err(error.into_read_error()),
                    Target::Page { listing, response } => {
                        let url = listing.url.clone();
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            read_page(&fetcher, listing, response.map(|r| *r), &tally)
                        }))
                        .unwrap_or_else(|_| {
                            Err(FetchError::new(url, FetchErrorKind::Internal).into_read_error())
                        })
                    }
                };
                if sender.send((idx, result)).is_err() {
                    return;
                }
            });
        }
        PageRecords {
            receiver,
            pending: BTreeMap::new(),
            next: 0,
            total,
            yielded,
            stop,
        }
    }
}

impl Iterator for PageRecords {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.next < self.total {
            if let Some(result) = self.pending.remove(&self.next) {
                self.next += 1;
                self.yielded.store(self.next, Ordering::Relaxed);
                return Some(result);
            }
            let (idx, result) = self.receiver.recv().ok()?;
            self.pending.insert(idx, result);
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
fn read_page(
    fetcher: &Fetcher,
    listing: Listing,
    response: Option<Response>,
    tally: &Tally,
) -> Result<Record, ReadError> {
    let url = listing.url.clone();
    let result = page_record(fetcher, listing, response);
    let mut inner = tally.lock();
    match &result {
        Ok(record) => {
            inner.n_fetched += 1;
            inner.done.push(url);
            if let Some(canonical) = &record.given.url {
                inner.done.push(canonical.clone());
            }
        }
        Err(error) if error.is_transient() => {
            inner.retry_later.insert(url);
        }
        Err(_) => inner.done.push(url),
    }
    drop(inner);
    result.map_err(FetchError::into_read_error)
}

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
