//! The fetch log beside an SQLite corpus: feed validators and the page URLs fetched for good
//! (migration 0005), so `newslens follow` resumes where it stopped.
//!
//! Plain rows, no HTTP: the fetcher decides what goes in. These back [`crate::Store::fetch_log`]
//! and [`crate::Store::write_fetch_log`]. It does not touch articles or stories.

use rusqlite::params;

use super::SqliteStore;
use crate::fetch_log::{FeedValidators, FetchLog};
use crate::Result;

impl SqliteStore {
    /// Reads the whole fetch log.
    pub(crate) fn read_fetch_log(&self) -> Result<FetchLog> {
        let mut log = FetchLog::default();
        let mut statement = self
            .connection
            .prepare("SELECT url, etag, last_modified FROM fetched_feeds")
            .map_err(|source| self.error(source))?;
        let feeds = statement
            .query_map([], |row| {
                Ok(FeedValidators {
                    url: row.get(0)?,
                    etag: row.get(1)?,
                    last_modified: row.get(2)?,
                })
            })
            .map_err(|source| self.error(source))?;
        for feed in feeds {
            let feed = feed.map_err(|source| self.error(source))?;
            log.feeds.insert(feed.url.clone(), feed);
        }
        let mut statement = self
            .connection
            .prepare("SELECT url FROM fetched_pages")
            .map_err(|source| self.error(source))?;
        let pages = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(|source| self.error(source))?;
        for page in pages {
            log.pages.insert(page.map_err(|source| self.error(source))?);
        }
        Ok(log)
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
            for feed in feeds {
                feed_row
                    .execute(params![feed.url, feed.etag, feed.last_modified, when])
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
        let log = store.fetch_log().unwrap();
        assert_eq!(
            log.feeds["https://a.example/feed"].etag.as_deref(),
            Some("\"2\"")
        );
        assert_eq!(log.pages.len(), 2);
    }
}
