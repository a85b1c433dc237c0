//! The fetch log beside the corpus: feed validators and the page URLs fetched for good
//! (migrations 0005 and 0006: `fetched_feeds`, `fetched_sitemaps`, `fetched_pages`), so `newslens follow` resumes where it stopped.
//!
//! Plain rows, no HTTP: the fetcher decides what goes in. Lookups are point queries on the
//! tables' primary keys (and on `articles_by_url`), never a read of the whole log, so a year of
//! following costs disk, not memory. These back the `Store` trait's fetch-log methods (the
//! PostgreSQL store keeps the same tables). It does not touch articles or stories.

use rusqlite::{params, OptionalExtension};

use super::SqliteStore;
use crate::fetch_log::FeedValidators;
use crate::Result;

impl SqliteStore {
    /// The validators of the feed at `url` from its last complete round, if any.
    pub(crate) fn read_feed_validators(&self, url: &str) -> Result<Option<FeedValidators>> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT feed.etag, feed.last_modified, sitemap.listed_lastmod
                 FROM fetched_feeds AS feed
                 LEFT JOIN fetched_sitemaps AS sitemap ON sitemap.url = feed.url
                 WHERE feed.url = ?1",
            )
            .map_err(|source| self.error(source))?;
        statement
            .query_row([url], |row| {
                Ok(FeedValidators {
                    url: url.to_string(),
                    etag: row.get(0)?,
                    last_modified: row.get(1)?,
                    listed_lastmod: row.get(2)?,
                })
            })
            .optional()
            .map_err(|source| self.error(source))
    }

    /// Whether a page URL (canonical) is not to be fetched again: an article is stored under it,
    /// or the fetch log lists it as fetched for good. Two indexed point queries.
    pub(crate) fn page_known(&self, url: &str) -> Result<bool> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM fetched_pages WHERE url = ?1)
                     OR EXISTS (SELECT 1 FROM articles WHERE url = ?1)",
            )
            .map_err(|source| self.error(source))?;
        statement
            .query_row([url], |row| row.get(0))
            .map_err(|source| self.error(source))
    }

    /// Records feeds checked and pages fetched at `when`, in one transaction.
    pub(crate) fn record_fetch_log(
        &mut self,
        feeds: &[FeedValidators],
        pages: &[String],
        when: &str,
    ) -> Result<()> {
        let path = self.path.clone();
        let wrap = |source| crate::StoreError::Database {
            path: path.clone(),
            source,
        };
        let transaction = self.connection.transaction().map_err(wrap)?;
        {
            let mut feed_row = transaction
                .prepare(
                    "INSERT INTO fetched_feeds (url, etag, last_modified, checked_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3, checked_at = ?4",
                )
                .map_err(wrap)?;
            let mut lastmod_row = transaction
                .prepare(
                    "INSERT INTO fetched_sitemaps (url, listed_lastmod) VALUES (?1, ?2)
                     ON CONFLICT(url) DO UPDATE SET listed_lastmod = ?2",
                )
                .map_err(wrap)?;
            let mut no_lastmod = transaction
                .prepare("DELETE FROM fetched_sitemaps WHERE url = ?1")
                .map_err(wrap)?;
            for feed in feeds {
                feed_row
                    .execute(params![feed.url, feed.etag, feed.last_modified, when])
                    .map_err(wrap)?;
                match &feed.listed_lastmod {
                    Some(lastmod) => lastmod_row.execute(params![feed.url, lastmod]),
                    None => no_lastmod.execute(params![feed.url]),
                }
                .map_err(wrap)?;
            }
            let mut page_row = transaction
                .prepare("INSERT OR IGNORE INTO fetched_pages (url, fetched_at) VALUES (?1, ?2)")
                .map_err(wrap)?;
            for page in pages {
                page_row.execute(params![page, when]).map_err(wrap)?;
            }
        }
        transaction.commit().map_err(wrap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[test]
    fn the_fetch_log_keeps_the_latest_validators_and_every_page() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let feed = |etag: &str| FeedValidators {
            url: "https://a.example/feed".into(),
            etag: Some(etag.into()),
            last_modified: None,
            listed_lastmod: Some("2024-05-01".into()),
        };
        store
            .write_fetch_log(&[feed("\"1\"")], &["https://a.example/1".into()], "t1")
            .unwrap();
        store
            .write_fetch_log(
                &[feed("\"2\"")],
                &["https://a.example/1".into(), "https://a.example/2".into()],
                "t2",
            )
            .unwrap();
        assert_eq!(
            store.feed_validators("https://a.example/feed").unwrap(),
            Some(feed("\"2\""))
        );
        assert_eq!(
            store.feed_validators("https://a.example/other").unwrap(),
            None
        );
        assert!(store.is_page_known("https://a.example/1").unwrap());
        assert!(store.is_page_known("https://a.example/2").unwrap());
        assert!(!store.is_page_known("https://a.example/3").unwrap());
    }

    /// Issue 15: the log is never read whole, so each lookup must be an index search.
    #[test]
    fn fetch_log_lookups_search_indexes_instead_of_scanning() {
        let store = SqliteStore::open_in_memory().unwrap();
        for sql in [
            "SELECT 1 FROM fetched_pages WHERE url = 'x'",
            "SELECT 1 FROM articles WHERE url = 'x'",
            "SELECT etag FROM fetched_feeds WHERE url = 'x'",
            "SELECT listed_lastmod FROM fetched_sitemaps WHERE url = 'x'",
        ] {
            let plan: String = store
                .connection
                .query_row(&format!("EXPLAIN QUERY PLAN {sql}"), [], |row| row.get(3))
                .unwrap();
            assert!(plan.starts_with("SEARCH"), "{sql}: {plan}");
        }
    }
}
