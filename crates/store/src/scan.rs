//! Reading a whole corpus a page at a time, for exports: every stored article (or story) once, in
//! storage order, without holding more than one page in memory.
//!
//! A scan is keyset-paged: each page ends with a cursor (the last row's position) and the next
//! page starts after it, so a page costs the same at the end of a corpus of a million articles as
//! at its start (an OFFSET would reread every row before it), and articles stored while an
//! export runs appear after the ones already read, never twice. The filters mean what the quote
//! view's mean (`views.rs`): outlets match on a case-insensitive substring, dates compare as ISO
//! 8601 text, `until` as a prefix so that `2020-01` takes the whole month.
//!
//! This module defines the shapes; each backend answers them in its own `scan.rs`. It does not
//! turn articles into rows of a table: that is the export crate's work.

use crate::record::StoredArticle;
use crate::views::StorySummary;

/// Which articles a scan reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleScan {
    /// Only articles whose outlet contains this (any case).
    pub outlet: Option<String>,
    /// Only articles published on or after this date (ISO 8601 prefix); undated ones are left out.
    pub since: Option<String>,
    /// Only articles published on or before this date (ISO 8601 prefix); undated ones are left out.
    pub until: Option<String>,
}

impl ArticleScan {
    /// Whether an article with this outlet and publication date is one the scan reads, decided
    /// as the backends' queries decide it (for rows, like a story's listed articles, that are
    /// filtered outside the database).
    pub fn admits(&self, outlet: Option<&str>, published: Option<&str>) -> bool {
        if let Some(wanted) = &self.outlet {
            let Some(outlet) = outlet else {
                return false;
            };
            if !outlet.to_lowercase().contains(&wanted.to_lowercase()) {
                return false;
            }
        }
        if self.since.is_some() || self.until.is_some() {
            let Some(published) = published else {
                return false;
            };
            if let Some(since) = &self.since {
                if published < since.as_str() {
                    return false;
                }
            }
            if let Some(until) = &self.until {
                let prefix = published.get(..until.len()).unwrap_or(published);
                if prefix > until.as_str() {
                    return false;
                }
            }
        }
        true
    }

    /// Whether the scan reads every article.
    pub fn is_everything(&self) -> bool {
        self.outlet.is_none() && self.since.is_none() && self.until.is_none()
    }
}

/// Where a scan of articles goes on from: the position of the last article read. Positions are
/// the storage order (insertion order on both backends) and are not article ids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ArticleCursor(pub i64);

/// One page of an article scan.
#[derive(Debug, Clone, Default)]
pub struct ArticlePage {
    /// The articles, in storage order.
    pub articles: Vec<StoredArticle>,
    /// Where the next page starts; `None` when this page was the last.
    pub next: Option<ArticleCursor>,
}

/// One page of a story scan (stories in id order).
#[derive(Debug, Clone, Default)]
pub struct StoryPage {
    /// The stories, by id; their merge and split events are not filled.
    pub stories: Vec<StorySummary>,
    /// The id the next page starts after; `None` when this page was the last.
    pub next: Option<String>,
}

/// Articles a page holds unless the caller asks for fewer: a few megabytes of contract JSON.
pub const DEFAULT_PAGE: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlet_matches_a_substring_in_any_case() {
        let scan = ArticleScan {
            outlet: Some("gazette".into()),
            ..ArticleScan::default()
        };
        assert!(scan.admits(Some("Harbour Gazette"), None));
        assert!(!scan.admits(Some("Harbour Times"), None));
        assert!(!scan.admits(None, None));
    }

    #[test]
    fn until_is_a_prefix_and_undated_articles_fall_outside_a_date_range() {
        let scan = ArticleScan {
            since: Some("2020-01-02".into()),
            until: Some("2020-01".into()),
            ..ArticleScan::default()
        };
        assert!(scan.admits(None, Some("2020-01-31T23:00:00")));
        assert!(!scan.admits(None, Some("2020-02-01")));
        assert!(!scan.admits(None, Some("2020-01-01T10:00:00")));
        assert!(!scan.admits(None, None));
    }
}
