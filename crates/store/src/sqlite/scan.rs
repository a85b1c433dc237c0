//! The SQLite answers to a corpus scan (`scan.rs`): articles by rowid, stories by id, a page at
//! a time. Each page is one short statement, so a long export holds no read transaction open
//! between pages and never blocks the WAL checkpoint of a writer running meanwhile.

use rusqlite::{params, Connection};

use super::{stored_article, stored_json, ArticleRow};
use crate::scan::{ArticleCursor, ArticlePage, ArticleScan, StoryPage};
use crate::{Result, StoreError};

/// A page of articles after `after`.
pub(super) fn articles(
    connection: &Connection,
    scan: &ArticleScan,
    after: Option<ArticleCursor>,
    limit: usize,
    error: impl Fn(rusqlite::Error) -> StoreError,
) -> Result<ArticlePage> {
    let limit = limit.clamp(1, i64::MAX as usize);
    let mut statement = connection
        .prepare_cached(
            "SELECT rowid, id, json, story, duplicate_of FROM articles
             WHERE rowid > ?1
               AND (?2 IS NULL OR outlet LIKE '%' || ?2 || '%')
               AND (?3 IS NULL OR published >= ?3)
               AND (?4 IS NULL OR substr(published, 1, length(?4)) <= ?4)
             ORDER BY rowid LIMIT ?5",
        )
        .map_err(&error)?;
    let rows: Vec<(i64, ArticleRow)> = statement
        .query_map(
            params![
                after.map_or(0, |cursor| cursor.0),
                scan.outlet,
                scan.since,
                scan.until,
                limit as i64
            ],
            |row| {
                Ok((
                    row.get(0)?,
                    (
                        row.get(1)?,
                        stored_json(row.get_ref(2)?)?,
                        row.get(3)?,
                        row.get(4)?,
                    ),
                ))
            },
        )
        .and_then(|rows| rows.collect())
        .map_err(&error)?;
    let next = match rows.last() {
        Some((position, _)) if rows.len() == limit => Some(ArticleCursor(*position)),
        _ => None,
    };
    let articles = rows
        .into_iter()
        .map(|(_, row)| stored_article(row))
        .collect::<Result<Vec<_>>>()?;
    Ok(ArticlePage { articles, next })
}

/// A page of stories after the id `after`.
pub(super) fn stories(
    connection: &Connection,
    after: Option<&str>,
    limit: usize,
    error: impl Fn(rusqlite::Error) -> StoreError,
) -> Result<StoryPage> {
    let limit = limit.clamp(1, i64::MAX as usize);
    let mut statement = connection
        .prepare_cached(&format!(
            "SELECT {} FROM stories WHERE id > ?1 ORDER BY id LIMIT ?2",
            super::views::SUMMARY_COLUMNS
        ))
        .map_err(&error)?;
    let stories = statement
        .query_map(
            params![after.unwrap_or(""), limit as i64],
            super::views::summary,
        )
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(&error)?;
    let next = match stories.last() {
        Some(last) if stories.len() == limit => Some(last.id.clone()),
        _ => None,
    };
    Ok(StoryPage { stories, next })
}
