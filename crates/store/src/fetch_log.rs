//! The fetch log's shapes: feed validators and the page URLs fetched for good, which the web
//! fetcher (`newslens ingest URL`, `newslens follow`) keeps beside the corpus so a restarted crawl
//! resumes. Each backend stores them in two tables of its own ([`crate::Store::fetch_log`]);
//! nothing here touches a database or HTTP.

use std::collections::{HashMap, HashSet};

/// A feed's validators from its last complete round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedValidators {
    /// The feed's URL.
    pub url: String,
    /// Its `ETag`.
    pub etag: Option<String>,
    /// Its `Last-Modified`.
    pub last_modified: Option<String>,
}

/// What the fetch log holds.
#[derive(Debug, Clone, Default)]
pub struct FetchLog {
    /// Feed URL → its validators.
    pub feeds: HashMap<String, FeedValidators>,
    /// Page URLs fetched for good.
    pub pages: HashSet<String>,
}
