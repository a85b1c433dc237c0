//! The fetch log's shape: a feed's validators from its last complete round, which the web fetcher
//! (`newslens ingest URL`, `newslens follow`) keeps beside the corpus so a restarted crawl resumes.
//! Each backend stores them in tables of its own and answers point queries
//! ([`crate::Store::feed_validators`], [`crate::Store::is_page_known`]); nothing here touches a
//! database or HTTP.

/// A feed's validators from its last complete round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedValidators {
    /// The feed's URL.
    pub url: String,
    /// Its `ETag`.
    pub etag: Option<String>,
    /// Its `Last-Modified`.
    pub last_modified: Option<String>,
    /// The `<lastmod>` its sitemap index gave it (sitemaps listed by an index only), as written.
    pub listed_lastmod: Option<String>,
}
